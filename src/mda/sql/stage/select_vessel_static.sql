-- purpose: every staged row of vessel_static, in insertion order (inspection and tests)
-- grain: vessel_static
-- parameters: none
SELECT * FROM vessel_static
