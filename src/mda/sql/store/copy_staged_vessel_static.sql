-- purpose: copy the staged vessel_static of an interval into the store
-- grain: vessel_static
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval)
INSERT INTO vessel_static BY NAME SELECT * FROM stage.vessel_static WHERE ts >= $start AND ts < $end
