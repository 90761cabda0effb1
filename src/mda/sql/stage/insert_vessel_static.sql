-- purpose: append a decoded batch (an Arrow table registered as 'staged') to the staged vessel_static
-- grain: vessel_static
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO vessel_static SELECT * FROM staged
