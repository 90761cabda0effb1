-- purpose: position reports per grid cell of a period (the map's density layer)
-- grain: one row per cell holding at least one report, ordered by cell
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on ts); $cell (DOUBLE, cell size in degrees)
SELECT CAST(floor(lat / $cell) AS BIGINT) AS iy, CAST(floor(lon / $cell) AS BIGINT) AS ix, count(*) AS reports
FROM positions
WHERE ts >= $start AND ts < $end AND lon IS NOT NULL AND lat IS NOT NULL
GROUP BY ALL
ORDER BY iy, ix
