-- purpose: copy the staged rejected lines of an interval (and, when asked, those without a time)
-- grain: rejects
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval); $untimed (BOOLEAN)
INSERT INTO rejects BY NAME
SELECT * FROM stage.rejects
WHERE (ts >= $start AND ts < $end) OR (ts IS NULL AND $untimed)
