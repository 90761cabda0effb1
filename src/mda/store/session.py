"""Read-only analyst sessions on the snapshot, with the spatial extension when available.

An analyst session (``mda query``, ``mda shell``) opens the snapshot ``PATH`` read-only, loads
the DuckDB spatial extension from the ``duckdb-extension-spatial`` PyPI package (DuckDB cannot
``INSTALL`` it here), then disables file-system access and locks the configuration.  SQL typed
by the analyst therefore cannot write the snapshot, cannot ``ATTACH`` the writer database or
any other file, and cannot read or write files (``COPY``, ``read_csv``): exports go through
``mda export``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb

from mda.store.db import connect

SPATIAL_PACKAGE = "duckdb_extension_spatial"


def spatial_extension_path() -> Path | None:
    """Path of the spatial extension built for the installed DuckDB, or None when absent."""
    spec = importlib.util.find_spec(SPATIAL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    path = root / "extensions" / f"v{duckdb.__version__}" / "spatial.duckdb_extension"
    return path if path.is_file() else None


def load_spatial(con: duckdb.DuckDBPyConnection) -> str | None:
    """Load the spatial extension into ``con``; return None, or one line saying why not."""
    path = spatial_extension_path()
    if path is None:
        return (
            f"spatial SQL unavailable: no spatial extension for DuckDB {duckdb.__version__} "
            f"(install duckdb-extension-spatial=={duckdb.__version__})"
        )
    try:
        con.execute(f"LOAD '{_literal(str(path))}'")
    except duckdb.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"spatial SQL unavailable: {first}"
    return None


def _literal(text: str) -> str:
    """A path as the body of a SQL string literal (LOAD takes no bound parameter)."""
    return text.replace("'", "''")


def analyst_connection(path: Path, *, spatial: bool = True) -> tuple[duckdb.DuckDBPyConnection, str | None]:
    """Open the snapshot ``path`` for an analyst: read-only, spatial loaded, no file access.

    Returns
    -------
    connection, warning
        The locked-down connection and None, or a one-line warning when spatial is missing.
    """
    con = connect(path, read_only=True)
    warning = load_spatial(con) if spatial else None
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con, warning


def friendly_error(exc: duckdb.Error) -> str:
    """One line for a failed analyst statement; write attempts say the session is read-only."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if "read-only mode" in first or "read_only" in first.lower():
        return f"the analyst session is read-only (the store is written only by `mda run`): {first}"
    if "file system operations are disabled" in first:
        return f"analyst sessions cannot open or write files (use `mda export`): {first}"
    return first
