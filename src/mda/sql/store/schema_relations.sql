-- purpose: tables and views of the store with their comments, for docs/schema.md
-- grain: one row per table or view of schema main
-- parameters: none
SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'
UNION ALL
SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'
ORDER BY kind, name
