-- purpose: the transits ending in an interval, for publishing
-- grain: one row per transit
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on end_ts)
SELECT * FROM transits
WHERE end_ts >= $start AND end_ts < $end
ORDER BY start_ts, mmsi
