-- purpose: detach the staging database attached by attach_stage
-- grain: none
-- parameters: none
DETACH stage
