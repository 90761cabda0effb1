-- purpose: append staged rows (an Arrow table registered as 'staged') to median_line_crossings
-- grain: median_line_crossings
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO median_line_crossings BY NAME SELECT * FROM staged
