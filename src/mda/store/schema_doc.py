"""Generate ``docs/schema.md`` from the comments of a freshly migrated store.

The migrations are the single source: every table, view and column carries a ``COMMENT ON``;
this module renders them as Markdown.  A test regenerates the document and compares it with
the committed file, so the two cannot drift.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from mda.store.db import migrate
from mda.store.sql import statement

HEADER = """# Store schema

Generated from the migrations in `src/mda/sql/migrations` by `mda db schema-doc`; do not edit
by hand. Times are `TIMESTAMPTZ` in UTC; intervals are half-open `[start, end)`.

`PATH` (what `duckdb PATH` opens) is a read-only snapshot, replaced atomically after each load;
the loader alone writes `PATH.writer`. Open the snapshot read-only (`duckdb -readonly PATH`,
`mda query`, `mda shell`).
"""


def schema_markdown() -> str:
    """Markdown describing every table, view, column and macro of a freshly migrated store."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        migrate(con)
        return render(con)
    finally:
        con.close()


def render(con: duckdb.DuckDBPyConnection) -> str:
    """Markdown of the schema of ``con`` (tables and views of ``main``, then macros)."""
    parts = [HEADER]
    relations = con.execute(statement("store/schema_relations")).fetchall()
    columns = con.execute(statement("store/schema_columns")).fetchall()
    for name, kind, comment in relations:
        parts.append(f"\n## {name} ({kind})\n\n{_cell(comment)}\n")
        parts.append("\n| column | type | null | description |\n|---|---|---|---|\n")
        for table, column, data_type, nullable, col_comment in columns:
            if table == name:
                null = "yes" if nullable else "no"
                parts.append(f"| {column} | {data_type} | {null} | {_cell(col_comment)} |\n")
    macros = con.execute(statement("store/schema_macros")).fetchall()
    if macros:
        parts.append("\n## Macros\n\n| macro | description |\n|---|---|\n")
        parts.extend(f"| {name} | {_cell(comment)} |\n" for name, comment in macros)
    return "".join(parts)


def _cell(text: object) -> str:
    return "" if text is None else str(text).replace("|", "\\|").replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    """Write the schema document to the path given (default ``docs/schema.md``)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/schema.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(schema_markdown(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
