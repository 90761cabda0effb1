"""Committing a load and publishing its snapshot while something else (drawing pages) runs."""

from pathlib import Path

import duckdb
import pytest

from mda.store.db import commit_beside, connect, writer


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
        con.execute("BEGIN TRANSACTION")
        _insert(con, 990)
        commit_beside(con, db, lambda committed: committed())
    return db


def test_work_beside_the_commit_returns_once_the_snapshot_is_published(tmp_path: Path):
    db = _store(tmp_path)
    with writer(db) as con:
        con.execute("BEGIN TRANSACTION")
        _insert(con, 991)

        def meanwhile(committed):
            committed()
            return "drawn"

        value, seconds = commit_beside(con, db, meanwhile)
        assert _count(db) == 2  # published before the write lock is let go
    assert value == "drawn"
    assert seconds > 0


def test_a_failed_commit_stops_the_work_at_committed_and_leaves_the_snapshot(tmp_path: Path):
    db = _store(tmp_path)
    written = []
    with writer(db) as con:  # no transaction is open: COMMIT itself fails
        _insert(con, 992)  # auto-committed in the writer, never published

        def meanwhile(committed):
            committed()
            written.append("page")

        with pytest.raises(duckdb.TransactionException, match="no transaction is active"):
            commit_beside(con, db, meanwhile)
    assert written == []
    assert _count(db) == 1


def test_an_error_of_the_work_after_the_commit_still_publishes_the_snapshot(tmp_path: Path):
    db = _store(tmp_path)
    with writer(db) as con:
        con.execute("BEGIN TRANSACTION")
        _insert(con, 993)

        def meanwhile(committed):
            committed()
            raise OSError("disk full")

        with pytest.raises(OSError, match="disk full"):
            commit_beside(con, db, meanwhile)
    assert _count(db) == 2
