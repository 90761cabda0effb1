-- purpose: remove the rejected lines of an interval (and the untimed ones of the same sources)
-- grain: rejects
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval); $sources (VARCHAR[])
DELETE FROM rejects
WHERE (ts >= $start AND ts < $end) OR (ts IS NULL AND list_contains($sources, source))
