-- purpose: the columns track segmentation and the detectors need, for one MMSI bucket of a window
--          whose last interval is staged but not yet copied into the store (the store's rows of
--          that interval already deleted): the stored rows of the window and the staged rows of
--          the interval, i.e. the rows the window will hold once the copy is done
-- grain: one row per position, in no particular order (the segmenter sorts them)
-- parameters: $start, $end (TIMESTAMPTZ, half-open window); $file (VARCHAR, the staged Parquet
--             file of positions, mda.store.stage); $staged_start, $staged_end (TIMESTAMPTZ, the
--             half-open interval copied from it); $buckets, $bucket (INTEGER: rows with
--             mmsi % $buckets = $bucket)
SELECT ts, mmsi, lon, lat, speed
FROM positions
WHERE ts >= $start AND ts < $end AND mmsi % $buckets = $bucket
UNION ALL
SELECT ts, mmsi, lon, lat, speed
FROM read_parquet($file)
WHERE ts >= $staged_start AND ts < $staged_end AND mmsi % $buckets = $bucket
