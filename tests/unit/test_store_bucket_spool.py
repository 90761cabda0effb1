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
from mda.store.db import capped_threads, connect, migrate
from mda.store.load import copy_staged, delete_raw, replace_raw, transaction

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


def test_a_window_read_with_its_staged_interval_equals_the_window_after_the_copy(tmp_path):
    con = _store(tmp_path)  # the day before and the day, stored
    window = Interval(T0 - dt.timedelta(hours=2), DAY.end)
    rows = [fix(412000000 + m, minutes, 121.0 + m / 100, 25.0) for m in range(7) for minutes in (10, 70)]
    rows.append(fix(412000003, 60 * 24 + 5, 121.0, 25.0))  # the next day: staged, not in the window
    folder = tmp_path / "spool"
    folder.mkdir()
    decoded = Decoded.from_tables(
        {}, positions(rows), schemas.VESSEL_STATIC.empty_table(), schemas.REJECTS.empty_table()
    )
    with decoded, transaction(con):
        delete_raw(con, DAY, ["a.nmea"])
        staged = read.StagedPositions(decoded.stage.files["positions"], DAY)
        count = read.count_window_positions(con, window, staged)
        whole = read.read_window_tracks(con, window, staged=staged)
        bucket = read.read_window_tracks(con, window, 1, 3, staged)
        spooled = [read_bucket_file(p) for p in read.spool_window_tracks(con, window, 3, folder, staged)]
        copy_staged(con, DAY, decoded.stage.files, untimed_rejects=True)
        assert count == read.count_window_positions(con, window) == 15  # 14 today, 1 the evening before
        assert _sorted(whole) == _sorted(read.read_window_tracks(con, window))
        assert whole.schema == read.read_window_tracks(con, window).schema
        assert _sorted(bucket) == _sorted(read.read_window_tracks(con, window, 1, 3))
        assert _sorted(pa.concat_tables(spooled)) == _sorted(whole)


def test_threads_capped_for_a_block_hold_for_its_cursors_and_are_put_back(tmp_path):
    con = _store(tmp_path)
    before = con.execute("SELECT current_setting('threads')").fetchone()
    with capped_threads(con, 1), con.cursor() as side:
        assert side.execute("SELECT current_setting('threads')").fetchone() == (1,)
    assert con.execute("SELECT current_setting('threads')").fetchone() == before


def test_a_window_read_beside_the_running_copy_equals_the_window_after_it(tmp_path):
    con = _store(tmp_path)  # the day before and the day, stored and committed
    window = Interval(T0 - dt.timedelta(hours=2), DAY.end)
    rows = [fix(412000000 + m, minutes, 122.0 + m / 100, 23.0) for m in range(6) for minutes in (20, 80)]
    decoded = Decoded.from_tables(
        {}, positions(rows), schemas.VESSEL_STATIC.empty_table(), schemas.REJECTS.empty_table()
    )
    with decoded, transaction(con), con.cursor() as side:
        delete_raw(con, DAY, ["a.nmea"])
        staged = read.StagedPositions(decoded.stage.files["positions"], DAY)
        copy_staged(con, DAY, decoded.stage.files, untimed_rejects=True)
        # the second connection still sees the day's old rows: the staged read leaves them out
        assert side.execute("SELECT count(*) FROM positions WHERE ts >= ?", [T0]).fetchone() == (69,)
        beside = read.read_window_tracks(side, window, staged=staged)
        assert read.count_window_positions(side, window, staged) == 13  # 12 today, 1 the evening before
        assert _sorted(beside) == _sorted(read.read_window_tracks(con, window))


def test_a_thread_count_set_before_the_capped_block_is_the_one_put_back(tmp_path):
    con = _store(tmp_path)
    con.execute("SET threads = 3")
    with capped_threads(con, 1):
        assert con.execute("SELECT current_setting('threads')").fetchone() == (1,)
    assert con.execute("SELECT current_setting('threads')").fetchone() == (3,)
