-- purpose: the whole port_calls log, for `mda export port_calls`
-- grain: one row per event
-- parameters: none
SELECT * FROM port_calls ORDER BY start_ts, mmsi, event_id
