-- purpose: append staged rows (an Arrow table registered as 'staged') to rejects
-- grain: rejects
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO rejects BY NAME SELECT * FROM staged
