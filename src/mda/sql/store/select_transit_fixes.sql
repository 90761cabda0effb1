-- purpose: the fixes of each transit between its gate crossings (for maps)
-- grain: one row per fix of a transiting vessel, in time order (so in time order within each
--        transit); the transit is named by k, its place in select_transit_ids, so a fix carries
--        an integer instead of a copy of the event id
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on transits.end_ts)
WITH t AS (
    SELECT mmsi, start_ts, end_ts, (row_number() OVER (ORDER BY event_id) - 1)::INTEGER AS k
    FROM transits
    WHERE end_ts >= $start AND end_ts < $end
)
SELECT t.k, p.ts, p.lon, p.lat
FROM t
JOIN positions AS p
  ON p.mmsi = t.mmsi AND p.ts >= t.start_ts - INTERVAL 1 HOUR AND p.ts <= t.end_ts + INTERVAL 1 HOUR
ORDER BY p.ts
