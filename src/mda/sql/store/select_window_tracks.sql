-- purpose: the columns track segmentation and the detectors need, for a run's interval padded before
-- grain: one row per position, ordered by vessel, time and place (the segmenter's order)
-- parameters: $start, $end (TIMESTAMPTZ, half-open window)
SELECT ts, mmsi, lon, lat, speed
FROM positions
WHERE ts >= $start AND ts < $end
ORDER BY mmsi, ts, lon, lat
