-- purpose: first and last position time in the store
-- grain: one row
-- parameters: none
SELECT min(ts) AS first_ts, max(ts) AS last_ts FROM positions
