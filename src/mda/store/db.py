"""Open the DuckDB files and bring their schema up to date.

Two files per store
-------------------
``PATH`` (what ``duckdb PATH`` and every reader opens) is a read-only *snapshot*; the loader
writes a private *writer* database beside it, ``PATH.writer`` (see :func:`writer_path`).  After
each committed load, :func:`publish_snapshot` checkpoints the writer, copies it to a temporary
file in the same folder, fsyncs it and renames it over ``PATH``.  ``rename`` is atomic on POSIX
file systems, so a reader opens either the previous snapshot or the new one, never a half-written
file, and a reader that already has the old file open keeps reading it (its inode stays alive
until it closes).  Readers therefore never block the loader, and the loader never shows a
partially loaded interval.

Only one process writes: :func:`writer` holds an exclusive ``flock`` on ``PATH.writer.lock``
from opening the writer until the snapshot is published, so two loads queue instead of failing.
A load killed at any point leaves the previous snapshot in place; DuckDB's write-ahead log
discards the uncommitted transaction when the writer is next opened, and temporary snapshot
files left by a killed copy are removed by the next publish.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa

from mda.store.sql import migrations, statement

#: Suffix of the private writer database beside the analysts' snapshot ``PATH``.
WRITER_SUFFIX = ".writer"
_TMP_PREFIX = ".snapshot-"
#: DuckDB memory limit of the loader (beyond it DuckDB spills to ``PATH.writer.tmp``).
WRITER_MEMORY_LIMIT = "256MB"
#: DuckDB memory limit of the publishers' and exports' read-only connections (beyond it
#: DuckDB spills to ``PATH.tmp``).
READER_MEMORY_LIMIT = "400MB"


T = TypeVar("T")


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
    """Apply the migrations not yet recorded in ``schema_migrations``; return their names.

    Reference tables derived from package data (``mid_flags``, from ``mda/data/mid.csv``) are
    refreshed in the same call, so a store always carries the MID table of the installed code.
    """
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
    _refresh_mid_flags(con)
    return applied


def _refresh_mid_flags(con: duckdb.DuckDBPyConnection) -> None:
    from mda.identity import mid_table

    rows = sorted(mid_table().items())
    staged = pa.table(
        {
            "mid": pa.array([mid for mid, _ in rows], pa.int16()),
            "iso2": pa.array([iso for _, (iso, _name) in rows], pa.string()),
            "country": pa.array([name for _, (_iso, name) in rows], pa.string()),
        }
    )
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(statement("store/delete_mid_flags"))
        con.register("staged", staged)
        try:
            con.execute(statement("store/insert_mid_flags"))
        finally:
            con.unregister("staged")
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise


def writer_path(path: Path) -> Path:
    """The private writer database of the snapshot ``path`` (``PATH.writer``, same folder)."""
    return path.with_name(path.name + WRITER_SUFFIX)


def stale_snapshots(path: Path) -> list[Path]:
    """Temporary snapshot files of ``path`` left in its folder (e.g. by a killed load)."""
    return sorted(path.parent.glob(f"{_TMP_PREFIX}{path.name}.*"))


@contextmanager
def writer(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Hold the store's write lock and yield a migrated connection to its writer database.

    The exclusive ``flock`` on ``PATH.writer.lock`` is kept until the block ends, so the caller
    can publish a snapshot (:func:`publish_snapshot`) after closing the connection.  A store
    created before snapshots existed (``PATH`` present, no writer yet) is adopted: the writer
    starts as a copy of ``PATH``.

    Parameters
    ----------
    path : Path
        The analysts' snapshot ``PATH``.
    """
    wpath = writer_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = wpath.with_name(wpath.name + ".lock").open("a+b")
    except OSError as exc:
        raise StoreError(f"cannot create the store beside {path}: {exc.strerror}") from exc
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if not wpath.exists() and path.is_file():
            _copy_atomic(path, wpath)
        con = connect(wpath)
        try:
            con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")
            migrate(con)
            yield con
        finally:
            con.close()
    finally:
        lock.close()


def publish_snapshot(path: Path) -> Path:
    """Atomically replace the snapshot ``path`` with a copy of its writer database.

    Call it while holding :func:`writer` and after the writer connection is closed (DuckDB
    checkpoints on close, so the writer file alone holds every committed row).  Stale temporary
    files of earlier, interrupted publishes are removed first.

    Returns
    -------
    Path
        ``path``.
    """
    wpath = writer_path(path)
    for stale in stale_snapshots(path):
        stale.unlink(missing_ok=True)
    con = connect(wpath)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    if Path(str(wpath) + ".wal").exists():
        raise StoreError(f"the writer database {wpath} still has a write-ahead log after a checkpoint")
    # a WAL beside the snapshot belongs to whoever opened the old file read-write: never replay it
    Path(str(path) + ".wal").unlink(missing_ok=True)
    _copy_atomic(wpath, path)
    return path


def publish_beside(con: duckdb.DuckDBPyConnection, path: Path, meanwhile: Callable[[], T]) -> tuple[T, float]:
    """Close the writer and publish the snapshot ``path`` in a thread while ``meanwhile`` runs.

    Closing checkpoints the writer and publishing copies it (:func:`publish_snapshot`); DuckDB
    and the copy work without the GIL, so ``meanwhile`` (drawing pages from committed rows read
    before, say) runs beside them.  Call it while holding :func:`writer`, after the commit.

    Returns
    -------
    value
        What ``meanwhile`` returned, once the snapshot is published too.
    seconds : float
        Wall time of closing and publishing (they overlap ``meanwhile``).

    Raises
    ------
    Exception
        The closing's or the publication's error when either fails (``meanwhile``'s own error,
        if any, as its context), else ``meanwhile``'s error.
    """

    def finish() -> float:
        begun = time.perf_counter()
        con.close()
        publish_snapshot(path)
        return time.perf_counter() - begun

    with ThreadPoolExecutor(1, thread_name_prefix="mda-snapshot") as pool:
        finished = pool.submit(finish)
        try:
            value = meanwhile()
        except BaseException:
            finished.result()  # the store's failure, if any, comes first
            raise
        return value, finished.result()


def _copy_atomic(src: Path, dst: Path) -> None:
    tmp = dst.with_name(f"{_TMP_PREFIX}{dst.name}.{os.getpid()}")
    try:
        shutil.copyfile(src, tmp)  # in the kernel (sendfile) where the platform allows
        with tmp.open("rb+") as copied:
            os.fsync(copied.fileno())
        tmp.replace(dst)
        dir_fd = os.open(dst.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def temporary_settings(con: duckdb.DuckDBPyConnection, **values: bool | int | str) -> Iterator[None]:
    """Run the block with the DuckDB settings ``values``, then put back the values they replaced.

    Values are booleans, integers or text (quoted).  Such settings (``threads``,
    ``preserve_insertion_order``, ``write_buffer_row_group_count``, ``disabled_compression_methods``)
    are the database's: they hold for every connection to it (cursors included), so set them
    before starting their queries, not while they run.
    """
    before = {name: con.execute("SELECT current_setting(?)", [name]).fetchone() for name in values}
    try:
        for name, value in values.items():
            con.execute(f"SET {name} = {_literal(value)}")
        yield
    finally:
        for name, row in before.items():
            con.execute(f"RESET {name}" if row is None else f"SET {name} = {_literal(row[0])}")


def _literal(value: bool | int | str) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return ("true" if value else "false") if isinstance(value, bool) else str(int(value))


def capped_threads(con: duckdb.DuckDBPyConnection, threads: int) -> AbstractContextManager[None]:
    """Run the block with DuckDB's threads capped at ``threads`` (:func:`temporary_settings`).

    Work that shares the cores with worker processes does better with one thread: on two busy
    cores, a second DuckDB thread doubles the CPU time of inserting a day's positions
    (compressing them in parallel) and gains no wall time.
    """
    return temporary_settings(con, threads=int(threads))


@contextmanager
def reading_memory(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Give the writer a reader's memory limit for the block, then its own again.

    For the publishers' reads, on the writer, of the rows a load has just committed.
    """
    con.execute(f"SET memory_limit = '{READER_MEMORY_LIMIT}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{WRITER_MEMORY_LIMIT}'")


@contextmanager
def reader(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the snapshot ``path``, closed at the end of the block."""
    con = connect(path, read_only=True)
    try:
        con.execute(f"SET memory_limit = '{READER_MEMORY_LIMIT}'")
        yield con
    finally:
        con.close()
