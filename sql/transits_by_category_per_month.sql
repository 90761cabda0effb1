-- purpose: strait transits per UTC month by ship category (from the announced AIS ship type)
-- grain: one row per month and category
-- parameters: none
SELECT
    CAST(date_trunc('month', t.start_ts) AS DATE) AS month,
    coalesce(ship_category(coalesce(t.ship_type, v.ship_type)), 'unknown') AS category,
    count(*) AS transits
FROM transits AS t
LEFT JOIN vessels AS v USING (mmsi)
GROUP BY ALL
ORDER BY month, transits DESC, category
