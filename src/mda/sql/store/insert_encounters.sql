-- purpose: append staged rows (an Arrow table registered as 'staged') to encounters
-- grain: encounters
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO encounters BY NAME SELECT * FROM staged
