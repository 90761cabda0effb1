-- purpose: append staged rows (an Arrow table registered as 'staged') to identity_anomalies
-- grain: identity_anomalies
-- parameters: none (rows come from the registered Arrow table)
INSERT INTO identity_anomalies BY NAME SELECT * FROM staged
