-- purpose: the store's SQL macros with their comments, for docs/schema.md
-- grain: one row per macro
-- parameters: none
SELECT DISTINCT function_name, comment
FROM duckdb_functions()
WHERE NOT internal AND schema_name = 'main' AND function_type = 'macro'
ORDER BY function_name
