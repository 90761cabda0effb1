"""Idempotent loads: every write replaces exactly its interval.

A run deletes the interval's decoded rows (:func:`delete_raw`), copies the staged static
reports (:func:`copy_staged`), reads its window with the staged positions
(:class:`mda.store.read.StagedPositions`), copies the staged positions and rejects while it
detects events, then calls :func:`replace_events` and :func:`insert_run`, all inside one
:func:`transaction`, so readers see either the old interval or the new one, never half of it.
:func:`replace_raw` is the delete and the whole copy in one call.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from mda.interval import Interval
from mda.store.db import temporary_settings
from mda.store.sql import statement


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction; roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    if rows.num_rows == 0:
        return
    con.register("staged", rows)
    try:
        con.execute(statement(f"store/insert_{table}"))
    finally:
        con.unregister("staged")


#: The decoded tables a load copies from the stage, in the order :func:`replace_raw` copies them.
RAW_TABLES = ("positions", "vessel_static", "rejects")
#: Full row groups a copy holds in memory before writing them (DuckDB's
#: ``write_buffer_row_group_count``; its default is 5).
COPY_BUFFERED_ROW_GROUPS = 1
#: DuckDB settings of each table's copy.  The positions' text columns hold few distinct values
#: (receiving stations, input files), which dictionary compression takes: analysing each segment
#: for FSST as well costs a tenth of the copy's CPU for nothing.  The rejects' raw lines keep
#: FSST (it halves them).
COPY_SETTINGS: dict[str, dict[str, str]] = {"positions": {"disabled_compression_methods": "fsst"}}


def delete_raw(con: duckdb.DuckDBPyConnection, interval: Interval, sources: list[str]) -> None:
    """Delete the decoded rows of ``interval`` (by ``ts``) and the untimed rejects of ``sources``."""
    bounds = {"start": interval.start, "end": interval.end}
    con.execute(statement("store/delete_positions"), bounds)
    con.execute(statement("store/delete_vessel_static"), bounds)
    con.execute(statement("store/delete_rejects"), {**bounds, "sources": sources})


def copy_staged(
    con: duckdb.DuckDBPyConnection,
    interval: Interval,
    staged: Mapping[str, Path],
    tables: tuple[str, ...] = RAW_TABLES,
    *,
    untimed_rejects: bool,
) -> dict[str, int]:
    """Copy the staged rows of ``interval`` (by ``ts``) of ``tables`` into the store.

    ``staged`` maps table names of :data:`RAW_TABLES` to the Parquet files of a sealed
    :class:`mda.store.stage.Stage`; staged rejects without a time are copied too when
    ``untimed_rejects`` is true.  Call :func:`delete_raw` first, in the same transaction.

    Returns
    -------
    dict of str to int
        Rows copied per table.
    """
    bounds = {"start": interval.start, "end": interval.end}
    counts = {}
    # rows are copied in whatever order the threads finish (a table has no row order), and
    # each row group is compressed and written as soon as it is full instead of by fives
    # (DuckDB's default buffers five, which the COMMIT then writes on one core while the rest
    # of the run waits)
    copying = temporary_settings(
        con, preserve_insertion_order=False, write_buffer_row_group_count=COPY_BUFFERED_ROW_GROUPS
    )
    with copying:
        for table in tables:
            params = {**bounds, "untimed": untimed_rejects} if table == "rejects" else bounds
            where = {**params, "file": str(staged[table])}
            with temporary_settings(con, **COPY_SETTINGS.get(table, {})):
                row = con.execute(statement(f"store/copy_staged_{table}"), where).fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts


def replace_raw(
    con: duckdb.DuckDBPyConnection,
    interval: Interval,
    sources: list[str],
    staged: Mapping[str, Path],
    *,
    untimed_rejects: bool,
) -> dict[str, int]:
    """Replace the decoded rows of ``interval`` (by ``ts``) with the staged ones.

    :func:`delete_raw` then :func:`copy_staged` of every table: ``staged`` maps
    ``positions``, ``vessel_static`` and ``rejects`` to the Parquet files of a sealed
    :class:`mda.store.stage.Stage`.  Rejects without a time are replaced per source: those
    of ``sources`` are deleted, and the staged ones are copied when ``untimed_rejects`` is
    true.

    Returns
    -------
    dict of str to int
        Rows copied into ``positions``, ``vessel_static`` and ``rejects``.
    """
    delete_raw(con, interval, sources)
    return copy_staged(con, interval, staged, untimed_rejects=untimed_rejects)


def replace_events(
    con: duckdb.DuckDBPyConnection, interval: Interval, events: Mapping[str, pa.Table]
) -> None:
    """Replace the events written by ``interval`` (by ``closed_ts``) in each event table."""
    bounds = {"start": interval.start, "end": interval.end}
    for table, rows in events.items():
        con.execute(statement(f"store/delete_{table}"), bounds)
        _insert(con, table, rows)


def insert_run(con: duckdb.DuckDBPyConnection, run: pa.Table) -> None:
    """Record a run in ``mda_runs``."""
    _insert(con, "mda_runs", run)


def replace_zones(con: duckdb.DuckDBPyConnection, zones: pa.Table) -> None:
    """Replace the ``zones`` table with the zones of the fence set a load used.

    Parameters
    ----------
    zones : pyarrow.Table
        Columns of ``zones`` (see :func:`mda.store.zones_table`): WKT polygons, lon/lat degrees.
    """
    con.execute(statement("store/delete_zones"))
    _insert(con, "zones", zones)
