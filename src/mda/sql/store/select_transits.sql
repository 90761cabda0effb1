-- purpose: the transit log of an interval (by end_ts), for exports and publishing
-- grain: one row per transit
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on end_ts)
SELECT * FROM transits
WHERE end_ts >= $start AND end_ts < $end
ORDER BY start_ts, mmsi
