-- purpose: append a decoded batch (an Arrow table registered as 'staged') to the staged rejects
-- grain: rejects
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO rejects SELECT * FROM staged
