-- purpose: append staged rows (an Arrow table registered as 'staged') to loitering_events
-- grain: loitering_events
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO loitering_events BY NAME SELECT * FROM staged
