"""Publishing a load's snapshot while something else (drawing pages) runs."""

from pathlib import Path

import duckdb
import pytest

from mda.store.db import connect, publish_beside, writer


def _count(db: Path) -> int:
    con = connect(db, read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM positions").fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0])


def _insert(con: duckdb.DuckDBPyConnection, line_no: int) -> None:
    con.execute(
        "INSERT INTO positions (ts, mmsi, msg_type, lon, lat, source, line_no) "
        "VALUES (TIMESTAMPTZ '2026-11-24 00:00:00+00', 416000001, 1, 120.0, 24.0, 'test', $n)",
        {"n": line_no},
    )


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "s.duckdb"
    with writer(db) as con:
        _insert(con, 990)
        publish_beside(con, db, lambda: None)
    return db


def test_work_beside_the_publication_returns_once_the_snapshot_is_published(tmp_path: Path):
    db = _store(tmp_path)
    with writer(db) as con:
        _insert(con, 991)
        value, seconds = publish_beside(con, db, lambda: "drawn")
        assert _count(db) == 2  # published before the write lock is let go
    assert value == "drawn"
    assert seconds > 0


def test_an_error_of_the_work_still_publishes_the_snapshot(tmp_path: Path):
    db = _store(tmp_path)

    def fail() -> None:
        raise OSError("disk full")

    with writer(db) as con:
        _insert(con, 992)
        with pytest.raises(OSError, match="disk full"):
            publish_beside(con, db, fail)
    assert _count(db) == 2


def test_a_failed_publication_is_raised_although_the_work_succeeded(tmp_path: Path):
    db = _store(tmp_path)
    db.unlink()
    db.mkdir()  # the snapshot cannot be renamed over a folder
    (db / "keep").write_text("")
    with writer(db) as con:
        _insert(con, 993)
        with pytest.raises(IsADirectoryError, match="Is a directory"):
            publish_beside(con, db, lambda: "drawn")
