"""A window's positions spooled to one file per MMSI bucket: every fix once, in its vessel's bucket."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from mda import schemas
from mda.events.buckets import read_bucket_file
from mda.interval import Interval
from mda.pipeline import Decoded
from mda.store import read
from mda.store.db import connect, migrate
from mda.store.load import replace_raw, transaction

from builders import T0, fix, positions

DAY = Interval(T0, T0 + dt.timedelta(days=1))


def _store(tmp_path: Path) -> object:
    rows = [fix(412000000 + m, minutes, 120.0 + m / 100, 24.0) for m in range(23) for minutes in (5, 60, 900)]
    rows.append(fix(412000001, -30, 120.0, 24.0))  # before the window: never spooled
    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    decoded = Decoded.from_tables(
        {}, positions(rows), schemas.VESSEL_STATIC.empty_table(), schemas.REJECTS.empty_table()
    )
    with decoded, transaction(con):
        replace_raw(
            con,
            Interval(T0 - dt.timedelta(days=1), DAY.end),
            ["a.nmea"],
            decoded.stage.files,
            untimed_rejects=True,
        )
    return con


def _sorted(table: pa.Table) -> list[dict[str, object]]:
    return sorted(table.to_pylist(), key=lambda r: (r["mmsi"], r["ts"]))


def test_each_bucket_file_holds_exactly_its_vessels_fixes_of_the_window(tmp_path, monkeypatch):
    con = _store(tmp_path)
    monkeypatch.setattr(read, "SPOOL_BATCH_ROWS", 10)  # many batches, each spread over the buckets
    folder = tmp_path / "spool"
    folder.mkdir()
    files = read.spool_window_tracks(con, DAY, 4, folder)
    assert len(files) == 4
    whole = read.read_window_tracks(con, DAY)
    assert whole.num_rows == 69
    for k, path in enumerate(files):
        bucket = read_bucket_file(path)
        assert bucket.schema == whole.schema
        assert _sorted(bucket) == _sorted(read.read_window_tracks(con, DAY, k, 4))
        assert {m % 4 for m in bucket["mmsi"].to_pylist()} <= {k}


def test_a_bucket_without_vessels_is_an_empty_file(tmp_path):
    con = _store(tmp_path)
    folder = tmp_path / "spool"
    folder.mkdir()
    files = read.spool_window_tracks(con, DAY, 40, folder)  # 23 vessels: some buckets stay empty
    counts = [read_bucket_file(path).num_rows for path in files]
    assert sum(counts) == 69
    assert counts.count(0) >= 17
