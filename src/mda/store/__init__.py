"""DuckDB store: the only package that opens the database."""
