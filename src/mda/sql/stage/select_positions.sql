-- purpose: every staged row of positions, in insertion order (inspection and tests)
-- grain: positions
-- parameters: none
SELECT * FROM positions
