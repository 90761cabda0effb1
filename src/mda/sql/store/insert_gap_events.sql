-- purpose: append staged rows (an Arrow table registered as 'staged') to gap_events
-- grain: gap_events
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO gap_events BY NAME SELECT * FROM staged
