"""Idempotent loads: every write replaces exactly its interval, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from mda.interval import Interval
from mda.store.sql import statement


@dataclass(frozen=True)
class IntervalLoad:
    """Everything one run writes for its interval ``[start, end)``.

    Attributes
    ----------
    interval : Interval
        Half-open UTC interval being replaced.
    sources : list of str
        Input names; untimed rejects of these sources are replaced too.
    positions, vessel_static, rejects, transits : pyarrow.Table
        Rows to write (positions/static/rejects by ``ts``, transits by ``end_ts``, all inside
        the interval).
    run : pyarrow.Table
        The one-row ``mda_runs`` record.
    """

    interval: Interval
    sources: list[str]
    positions: pa.Table
    vessel_static: pa.Table
    rejects: pa.Table
    transits: pa.Table
    run: pa.Table


def replace_interval(con: duckdb.DuckDBPyConnection, load: IntervalLoad) -> None:
    """Delete the interval's rows and insert the new ones atomically."""
    bounds = {"start": load.interval.start, "end": load.interval.end}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(statement("store/delete_positions"), bounds)
        con.execute(statement("store/delete_vessel_static"), bounds)
        con.execute(statement("store/delete_rejects"), {**bounds, "sources": load.sources})
        con.execute(statement("store/delete_transits"), bounds)
        for table, rows in (
            ("positions", load.positions),
            ("vessel_static", load.vessel_static),
            ("rejects", load.rejects),
            ("transits", load.transits),
            ("mda_runs", load.run),
        ):
            con.register("staged", rows)
            try:
                con.execute(statement(f"store/insert_{table}"))
            finally:
                con.unregister("staged")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
