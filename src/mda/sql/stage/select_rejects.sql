-- purpose: every staged row of rejects, in insertion order (inspection and tests)
-- grain: rejects
-- parameters: none
SELECT * FROM rejects
