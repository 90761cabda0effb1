-- purpose: append staged rows (an Arrow table registered as 'staged') to positions
-- grain: positions
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO positions BY NAME SELECT * FROM staged
