-- purpose: AIS gaps that began inside a PLA announced exercise area (any period: areas are
--          shown whether or not active at the time; see active) ; needs spatial
-- grain: one row per gap and exercise area
-- parameters: none
SELECT
    g.mmsi,
    g.start_ts,
    g.end_ts,
    round(g.duration_s / 3600, 1) AS hours_dark,
    z.name AS exercise_area,
    (z.valid_from <= g.start_ts AND (z.valid_to IS NULL OR g.start_ts < z.valid_to)) AS active,
    -- ST_Distance_Sphere takes points in (lat, lon) order, unlike ST_Point(lon, lat) elsewhere
    round(ST_Distance_Sphere(ST_Point(g.start_lat, g.start_lon), ST_Point(g.end_lat, g.end_lon)) / 1852, 1)
        AS nm_between_fixes
FROM gap_events AS g
JOIN zones AS z
    ON z.kind = 'exercise_area'
    AND ST_Within(ST_Point(g.start_lon, g.start_lat), ST_GeomFromText(z.wkt))
ORDER BY g.start_ts, g.mmsi
