-- purpose: the columns track segmentation and the detectors need, for one MMSI bucket of a window
--          whose last interval is staged but not yet copied into the store: the stored rows of
--          the window outside that interval and the staged rows of the interval, i.e. the rows
--          the window will hold once the store's rows of the interval are replaced by the copy
-- grain: one row per position, in no particular order (the segmenter sorts them)
-- parameters: $start, $end (TIMESTAMPTZ, half-open window); $file (VARCHAR, the staged Parquet
--             file of positions, mda.store.stage); $staged_start, $staged_end (TIMESTAMPTZ, the
--             half-open interval copied from it); $buckets, $bucket (INTEGER: rows with
--             mmsi % $buckets = $bucket)
-- the stored rows outside the staged interval: the same whether the store's rows of the
-- interval are deleted and the copy is running (the loader's transaction) or not (another
-- connection, which sees the store as last committed)
SELECT ts, mmsi, lon, lat, speed
FROM positions
WHERE ts >= $start AND ts < $end AND NOT (ts >= $staged_start AND ts < $staged_end)
  AND mmsi % $buckets = $bucket
UNION ALL
SELECT ts, mmsi, lon, lat, speed
FROM read_parquet($file)
WHERE ts >= $staged_start AND ts < $staged_end AND mmsi % $buckets = $bucket
