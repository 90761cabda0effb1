-- purpose: record one applied migration
-- grain: schema_migrations
-- parameters: $name (migration file name without .sql)
INSERT INTO schema_migrations VALUES ($name, current_timestamp)
