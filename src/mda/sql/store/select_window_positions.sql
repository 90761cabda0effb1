-- purpose: the positions a run's detectors read: its interval padded before
-- grain: one row per position
-- parameters: $start, $end (TIMESTAMPTZ, half-open window)
SELECT ts, mmsi, msg_type, lon, lat, speed, course, heading, status, station, source, line_no
FROM positions
WHERE ts >= $start AND ts < $end
