-- purpose: per run, that every input line is accounted for (lines_in = decoded + duplicates + non_ais + rejected)
-- grain: one row per run
-- parameters: none
SELECT
    run_id,
    interval_start,
    interval_end,
    lines_in,
    decoded,
    duplicates,
    non_ais,
    rejected,
    lines_in = decoded + duplicates + non_ais + rejected AS balanced
FROM mda_runs
ORDER BY finished_at
