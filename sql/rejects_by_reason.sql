-- purpose: what the decoder could not use, by source and reason, with one example line each
-- grain: one row per source and reason
-- parameters: none
SELECT source, reason, count(*) AS lines, any_value(raw) AS example
FROM rejects
GROUP BY ALL
ORDER BY source, lines DESC
