-- purpose: the UTC days holding staged positions (a run without an interval loads these)
-- grain: one row per day
-- parameters: $day (BIGINT, microseconds per day)
SELECT DISTINCT epoch_us(ts) // $day AS day FROM positions ORDER BY day
