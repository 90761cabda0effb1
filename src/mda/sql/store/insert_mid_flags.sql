-- purpose: append staged rows (an Arrow table registered as 'staged') to mid_flags
-- grain: mid_flags
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO mid_flags BY NAME SELECT * FROM staged
