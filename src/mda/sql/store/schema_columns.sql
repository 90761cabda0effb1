-- purpose: columns of the store's tables and views with type, nullability and comment
-- grain: one row per column
-- parameters: none
SELECT table_name, column_name, data_type, is_nullable, comment
FROM duckdb_columns()
WHERE NOT internal AND schema_name = 'main'
ORDER BY table_name, column_index
