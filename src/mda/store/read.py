"""Queries the pipeline, publishers and exports run against the store (results as Arrow)."""

from __future__ import annotations

import datetime as dt
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from mda import schemas
from mda.interval import Interval
from mda.store.sql import statement

#: Rows per batch when spooling a window's positions into bucket files.
SPOOL_BATCH_ROWS = 1_000_000


@dataclass(frozen=True)
class StagedPositions:
    """Positions of ``interval`` staged in ``file`` and not yet copied into the store.

    A load deletes the store's positions of the interval, then copies the staged ones
    (:func:`mda.store.load.copy_staged`) while the detectors already work on the window: the
    reads below given a ``StagedPositions`` return the rows the window holds once the copy is
    done (the stored rows of the window and the staged rows of the interval).

    Attributes
    ----------
    file : Path
        The staged Parquet file of positions (:class:`mda.store.stage.Stage`).
    interval : Interval
        The half-open UTC interval copied from it.
    """

    file: Path
    interval: Interval


def _bounds(interval: Interval) -> dict[str, dt.datetime]:
    return {"start": interval.start, "end": interval.end}


def _window_query(name: str, window: Interval, staged: StagedPositions | None) -> tuple[str, dict[str, Any]]:
    """The statement ``name`` over the window, or its ``_staged`` form with the staged rows."""
    if staged is None:
        return statement(f"store/{name}"), _bounds(window)
    params: dict[str, Any] = {
        **_bounds(window),
        "file": str(staged.file),
        "staged_start": staged.interval.start,
        "staged_end": staged.interval.end,
    }
    return statement(f"store/{name}_staged"), params


def read_window_tracks(
    con: duckdb.DuckDBPyConnection,
    window: Interval,
    bucket: int = 0,
    buckets: int = 1,
    staged: StagedPositions | None = None,
) -> pa.Table:
    """Positions with ``ts`` in ``window``: ``ts, mmsi, lon, lat, speed``, in no set order.

    What :func:`mda.tracks.segment.segment_tracks` and the detectors read; the segmenter sorts
    them (in the worker process that takes the bucket, so the loader only scans), and the
    receiving station, source and line columns are left in the store.  With ``buckets``
    above 1, only the MMSIs with ``mmsi % buckets == bucket``: every fix of those vessels, none
    of the others.  With ``staged``, the window as it will be once those rows are copied.
    """
    sql, params = _window_query("select_window_tracks", window, staged)
    table = con.execute(sql, {**params, "bucket": bucket, "buckets": buckets}).to_arrow_table()
    return table.cast(pa.schema([schemas.POSITIONS.field(name) for name in table.column_names]))


def spool_window_tracks(
    con: duckdb.DuckDBPyConnection,
    window: Interval,
    buckets: int,
    folder: Path,
    staged: StagedPositions | None = None,
) -> list[Path]:
    """Write the positions of ``window`` to one Arrow IPC file per MMSI bucket, in one scan.

    The columns and rows of :func:`read_window_tracks` (``ts, mmsi, lon, lat, speed``, in no
    set order); file ``k`` holds the MMSIs with ``mmsi % buckets == k``.  The store is read
    once, a batch of :data:`SPOOL_BATCH_ROWS` at a time, so memory stays flat, and a worker
    process reads its bucket from the file (:func:`mda.events.buckets.read_bucket_file`) instead
    of having it pickled to it.  With ``staged``, the window as it will be once those rows
    are copied.

    Returns
    -------
    list of Path
        The file of each bucket, in bucket order (created in ``folder``, which must exist).
    """
    sql, params = _window_query("select_window_tracks", window, staged)
    reader = con.execute(sql, {**params, "bucket": 0, "buckets": 1}).to_arrow_reader(SPOOL_BATCH_ROWS)
    schema = pa.schema([schemas.POSITIONS.field(name) for name in reader.schema.names])
    paths = [folder / f"bucket-{k:05d}.arrow" for k in range(buckets)]
    with ExitStack() as files:
        writers = [
            files.enter_context(pa.ipc.new_file(files.enter_context(pa.OSFile(str(path), "wb")), schema))
            for path in paths
        ]
        for batch in reader:
            rows = batch.cast(schema)
            bucket = rows["mmsi"].to_numpy().astype(np.int64) % buckets
            # a stable sort by bucket; a radix sort when the bucket numbers fit 16 bits
            order = np.argsort(bucket.astype(np.uint16) if buckets <= 1 << 16 else bucket, kind="stable")
            grouped = rows.take(order)
            ends = np.cumsum(np.bincount(bucket, minlength=buckets)).tolist()
            for k, (lo, hi) in enumerate(zip([0, *ends[:-1]], ends, strict=True)):
                if hi > lo:
                    writers[k].write_batch(grouped.slice(lo, hi - lo))
    return paths


def count_window_positions(
    con: duckdb.DuckDBPyConnection, window: Interval, staged: StagedPositions | None = None
) -> int:
    """Positions with ``ts`` in ``window`` (once ``staged`` is copied, when given)."""
    row = con.execute(*_window_query("count_window_positions", window, staged)).fetchone()
    return int(row[0]) if row else 0


def read_window_static(con: duckdb.DuckDBPyConnection, window: Interval) -> pa.Table:
    """Static reports with ``ts`` in ``window``, in :data:`mda.schemas.VESSEL_STATIC`."""
    static = con.execute(statement("store/select_window_static"), _bounds(window)).to_arrow_table()
    return static.cast(schemas.VESSEL_STATIC)


def read_density(con: duckdb.DuckDBPyConnection, interval: Interval, cell_deg: float) -> pa.Table:
    """Position reports per ``cell_deg`` grid cell in ``interval``: ``iy, ix, reports``.

    Cell ``(iy, ix)`` spans latitudes ``[iy, iy + 1) * cell_deg`` and longitudes
    ``[ix, ix + 1) * cell_deg`` (degrees WGS84); the count runs in DuckDB, so a day of tens of
    millions of reports never travels to Python.
    """
    return con.execute(
        statement("store/select_density"), {**_bounds(interval), "cell": cell_deg}
    ).to_arrow_table()


def read_transits(con: duckdb.DuckDBPyConnection, interval: Interval) -> pa.Table:
    """Transits whose ``end_ts`` lies in ``interval``, ordered by start time."""
    return con.execute(statement("store/select_transits"), _bounds(interval)).to_arrow_table()


def read_transit_fixes(con: duckdb.DuckDBPyConnection, interval: Interval) -> pa.Table:
    """Fixes (event_id, ts, lon, lat) around each transit of ``interval``, for drawing.

    The rows are in time order (UTC ``ts``), hence in time order within each transit; the
    transits' fixes are interleaved.  ``event_id`` is dictionary-encoded
    (:data:`mda.schemas.TRANSIT_FIX_ID`): millions of fixes share a few thousand ids.

    The ids and the fixes are two queries on ``con``, so its store must not change between
    them: a read-only snapshot (:func:`mda.store.db.reader`), or the writer after a commit and
    before its next write (its lock keeps every other load out meanwhile).
    """
    bounds = _bounds(interval)
    ids = con.execute(statement("store/select_transit_ids"), bounds).to_arrow_table()["event_id"]
    fixes = con.execute(statement("store/select_transit_fixes"), bounds).to_arrow_table()
    dictionary = ids.combine_chunks().cast(pa.string())
    event_id = pa.DictionaryArray.from_arrays(fixes["k"].combine_chunks(), dictionary)
    return pa.table(
        {"event_id": event_id, "ts": fixes["ts"].cast(schemas.TS), "lon": fixes["lon"], "lat": fixes["lat"]}
    )


def stored_interval(con: duckdb.DuckDBPyConnection) -> Interval | None:
    """The whole UTC days spanned by stored positions, or None for an empty store."""
    row = con.execute(statement("store/select_bounds")).fetchone()
    if row is None or row[0] is None:
        return None
    first, last = row
    return Interval.covering_days(first, last)


def read_event_log(con: duckdb.DuckDBPyConnection, table: str) -> pa.Table:
    """Every row of one event table (a name from :data:`mda.events.detect.EVENT_TABLES`)."""
    return con.execute(statement(f"store/export_{table}")).to_arrow_table()
