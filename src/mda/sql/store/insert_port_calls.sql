-- purpose: append staged rows (an Arrow table registered as 'staged') to port_calls
-- grain: port_calls
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO port_calls BY NAME SELECT * FROM staged
