-- purpose: append staged rows (an Arrow table registered as 'staged') to zone_events
-- grain: zone_events
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO zone_events BY NAME SELECT * FROM staged
