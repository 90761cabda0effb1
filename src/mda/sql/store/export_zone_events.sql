-- purpose: the whole zone_events log, for `mda export zone_events`
-- grain: one row per event
-- parameters: none
SELECT * FROM zone_events ORDER BY start_ts, mmsi, event_id
