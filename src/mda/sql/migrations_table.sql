-- purpose: bookkeeping of applied schema migrations
-- grain: one row per migration file
-- parameters: none
CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)
