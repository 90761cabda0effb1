-- purpose: copy the staged vessel_static of an interval (a run's Parquet spool, mda.store.stage) into the store
-- grain: vessel_static
-- parameters: $file (VARCHAR, the staged Parquet file); $start, $end (TIMESTAMPTZ, half-open interval)
INSERT INTO vessel_static BY NAME
SELECT * FROM read_parquet($file)
WHERE ts >= $start AND ts < $end
