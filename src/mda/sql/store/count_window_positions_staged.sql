-- purpose: how many positions a run's detectors will read when the window's last interval is
--          staged but not yet copied into the store (see select_window_tracks_staged)
-- grain: one row
-- parameters: $start, $end (TIMESTAMPTZ, half-open window); $file (VARCHAR, the staged Parquet
--             file of positions); $staged_start, $staged_end (TIMESTAMPTZ, the interval copied
--             from it)
SELECT (
        SELECT count(*) FROM positions
        WHERE ts >= $start AND ts < $end AND NOT (ts >= $staged_start AND ts < $staged_end)
    )
     + (SELECT count(*) FROM read_parquet($file) WHERE ts >= $staged_start AND ts < $staged_end)
