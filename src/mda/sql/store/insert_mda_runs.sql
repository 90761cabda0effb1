-- purpose: append staged rows (an Arrow table registered as 'staged') to mda_runs
-- grain: mda_runs
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO mda_runs BY NAME SELECT * FROM staged
