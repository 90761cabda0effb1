-- purpose: names of the migrations already applied
-- grain: one row per migration
-- parameters: none
SELECT name FROM schema_migrations
