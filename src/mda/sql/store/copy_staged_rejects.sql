-- purpose: copy the staged rejected lines of an interval (and, when asked, those without a time)
-- grain: rejects
-- parameters: $file (VARCHAR, the staged Parquet file); $start, $end (TIMESTAMPTZ, half-open
--             interval); $untimed (BOOLEAN)
INSERT INTO rejects BY NAME
SELECT * FROM read_parquet($file)
WHERE (ts >= $start AND ts < $end) OR (ts IS NULL AND $untimed)
