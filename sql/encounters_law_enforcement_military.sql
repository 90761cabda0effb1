-- purpose: encounters in which at least one vessel announced ship type 55 (law enforcement) or 35 (military)
-- grain: one row per encounter
-- parameters: none
SELECT
    e.start_ts,
    e.end_ts,
    round(e.duration_s / 3600, 1) AS hours,
    e.mmsi,
    a.shipname AS name,
    ship_category(a.ship_type) AS category,
    e.other_mmsi,
    b.shipname AS other_name,
    ship_category(b.ship_type) AS other_category,
    e.lon,
    e.lat
FROM encounters AS e
LEFT JOIN vessels AS a ON a.mmsi = e.mmsi
LEFT JOIN vessels AS b ON b.mmsi = e.other_mmsi
WHERE a.ship_type IN (35, 55) OR b.ship_type IN (35, 55)
ORDER BY e.start_ts, e.mmsi
