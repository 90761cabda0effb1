-- purpose: the columns track segmentation and the detectors need, for one MMSI bucket of a window
-- grain: one row per position, in no particular order (the segmenter sorts them by vessel,
--        time and place in the worker that segments the bucket)
-- parameters: $start, $end (TIMESTAMPTZ, half-open window); $buckets, $bucket (INTEGER: rows with
--             mmsi % $buckets = $bucket, so each vessel's fixes are read whole in one bucket)
SELECT ts, mmsi, lon, lat, speed
FROM positions
WHERE ts >= $start AND ts < $end AND mmsi % $buckets = $bucket
