"""Open the DuckDB file and bring its schema up to date."""

from __future__ import annotations

from pathlib import Path

import duckdb

from mda.store.sql import migrations, statement


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line for the user."""


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB database at ``path`` with the session time zone set to UTC.

    Raises
    ------
    StoreError
        When the file is missing (read-only), locked by another process or not a DuckDB file.
    """
    if read_only and not path.is_file():
        raise StoreError(f"database not found: {path}")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the database {path}: {exc.strerror}") from exc
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        con.execute("SET TimeZone = 'UTC'")
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot open database {path}: {first}") from exc
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded in ``schema_migrations``; return their names."""
    con.execute(statement("migrations_table"))
    done = {row[0] for row in con.execute(statement("applied_migrations")).fetchall()}
    applied = []
    for name, sql in migrations():
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(statement("record_migration"), {"name": name})
            con.execute("COMMIT")
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
