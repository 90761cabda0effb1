-- purpose: empty the MID reference table before refreshing it from the package data
-- grain: mid_flags
-- parameters: none
DELETE FROM mid_flags
