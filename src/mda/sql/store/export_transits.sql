-- purpose: the whole transits log, for `mda export transits`
-- grain: one row per event
-- parameters: none
SELECT * FROM transits ORDER BY start_ts, mmsi, event_id
