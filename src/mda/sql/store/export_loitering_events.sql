-- purpose: the whole loitering_events log, for `mda export loitering_events`
-- grain: one row per event
-- parameters: none
SELECT * FROM loitering_events ORDER BY start_ts, mmsi, event_id
