-- purpose: strait transits per ISO week, direction and claimed flag (flag from the MMSI's MID via flag_of)
-- grain: one row per week (Monday, UTC), direction and flag
-- parameters: none
SELECT
    CAST(date_trunc('week', start_ts) AS DATE) AS week,
    direction,
    coalesce(flag_of(mmsi), '??') AS flag,
    count(*) AS transits
FROM transits
GROUP BY ALL
ORDER BY week, direction, transits DESC, flag
