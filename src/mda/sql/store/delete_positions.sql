-- purpose: remove the positions of an interval before it is reloaded
-- grain: positions
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval)
DELETE FROM positions WHERE ts >= $start AND ts < $end
