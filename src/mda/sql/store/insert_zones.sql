-- purpose: append staged rows (an Arrow table registered as 'staged') to zones
-- grain: zones
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO zones BY NAME SELECT * FROM staged
