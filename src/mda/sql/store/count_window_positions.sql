-- purpose: how many positions a run's detectors will read (to size the MMSI buckets)
-- grain: one row
-- parameters: $start, $end (TIMESTAMPTZ, half-open window)
SELECT count(*) FROM positions WHERE ts >= $start AND ts < $end
