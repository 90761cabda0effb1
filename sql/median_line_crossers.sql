-- purpose: the vessels crossing the median line most often, with name, flag and category
-- grain: one row per MMSI (top 20)
-- parameters: none
SELECT
    m.mmsi,
    v.shipname,
    flag_of(m.mmsi) AS flag,
    v.category,
    count(*) AS crossings,
    count(*) FILTER (WHERE m.direction = 'W->E') AS towards_taiwan,
    min(m.start_ts) AS first_crossing,
    max(m.start_ts) AS last_crossing
FROM median_line_crossings AS m
LEFT JOIN vessels AS v USING (mmsi)
GROUP BY ALL
ORDER BY crossings DESC, m.mmsi
LIMIT 20
