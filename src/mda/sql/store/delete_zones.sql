-- purpose: empty the zones table before writing the zones of the current fence set
-- grain: zones
-- parameters: none
DELETE FROM zones
