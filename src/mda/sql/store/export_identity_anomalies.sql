-- purpose: the whole identity_anomalies log, for `mda export identity_anomalies`
-- grain: one row per event
-- parameters: none
SELECT * FROM identity_anomalies ORDER BY start_ts, mmsi, event_id
