-- purpose: the whole gap_events log, for `mda export gap_events`
-- grain: one row per event
-- parameters: none
SELECT * FROM gap_events ORDER BY start_ts, mmsi, event_id
