-- purpose: loitering hours by the zone each episode's median position lies in ('outside zones' otherwise); needs spatial
-- grain: one row per zone
-- parameters: none
SELECT
    coalesce(z.name, 'outside zones') AS zone,
    count(*) AS episodes,
    round(sum(l.duration_s) / 3600, 1) AS loitering_hours
FROM loitering_events AS l
LEFT JOIN zones AS z
    ON ST_Within(ST_Point(l.lon, l.lat), ST_GeomFromText(z.wkt))
GROUP BY ALL
ORDER BY loitering_hours DESC, zone
