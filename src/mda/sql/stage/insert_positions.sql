-- purpose: append a decoded batch (an Arrow table registered as 'staged') to the staged positions
-- grain: positions
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO positions SELECT * FROM staged
