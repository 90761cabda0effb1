-- purpose: append staged rows (an Arrow table registered as 'staged') to vessel_static
-- grain: vessel_static
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO vessel_static BY NAME SELECT * FROM staged
