-- purpose: the whole encounters log, for `mda export encounters`
-- grain: one row per event
-- parameters: none
SELECT * FROM encounters ORDER BY start_ts, mmsi, event_id
