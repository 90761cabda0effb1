-- purpose: copy the staged positions of an interval (a run's Parquet spool, mda.store.stage) into the store
-- grain: positions
-- parameters: $file (VARCHAR, the staged Parquet file); $start, $end (TIMESTAMPTZ, half-open interval)
INSERT INTO positions BY NAME
SELECT * FROM read_parquet($file)
WHERE ts >= $start AND ts < $end
