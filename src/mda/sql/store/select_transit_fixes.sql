-- purpose: the fixes of each transit between its gate crossings (for maps)
-- grain: one row per fix of a transiting vessel, in time order (so in time order within each transit;
--        ordering by time alone spares sorting the event ids)
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on transits.end_ts)
SELECT t.event_id, p.ts, p.lon, p.lat
FROM transits AS t
JOIN positions AS p
  ON p.mmsi = t.mmsi AND p.ts >= t.start_ts - INTERVAL 1 HOUR AND p.ts <= t.end_ts + INTERVAL 1 HOUR
WHERE t.end_ts >= $start AND t.end_ts < $end
ORDER BY p.ts
