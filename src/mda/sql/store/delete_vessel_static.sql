-- purpose: remove the static reports of an interval before it is reloaded
-- grain: vessel_static
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval)
DELETE FROM vessel_static WHERE ts >= $start AND ts < $end
