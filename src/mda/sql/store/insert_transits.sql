-- purpose: append staged rows (an Arrow table registered as 'staged') to transits
-- grain: transits
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO transits BY NAME SELECT * FROM staged
