-- purpose: strait transits per UTC day and direction (a transit counts on the day it ends)
-- grain: one row per day and direction
-- parameters: none
SELECT
    CAST(end_ts AS DATE) AS day,
    direction,
    count(*) AS transits,
    round(median(duration_s) / 3600, 1) AS median_hours
FROM transits
GROUP BY ALL
ORDER BY day, direction
