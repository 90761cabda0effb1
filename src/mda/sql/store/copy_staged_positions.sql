-- purpose: copy the staged positions of an interval into the store
-- grain: positions
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval)
INSERT INTO positions BY NAME SELECT * FROM stage.positions WHERE ts >= $start AND ts < $end
