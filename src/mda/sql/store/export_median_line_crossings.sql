-- purpose: the whole median_line_crossings log, for `mda export median_line_crossings`
-- grain: one row per event
-- parameters: none
SELECT * FROM median_line_crossings ORDER BY start_ts, mmsi, event_id
