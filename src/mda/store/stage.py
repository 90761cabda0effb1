"""A run's decoded rows spooled to a private DuckDB file while decoding goes on.

A day of a busy strait is tens of millions of rows: held as Arrow tables until the load, it
would cost gigabytes.  The decoder's batches are instead appended, as they come, to a
temporary DuckDB database (``stage.duckdb`` in a fresh folder), by a background thread:
DuckDB inserts with the GIL released, so the appends run on the second core while the main
thread decodes the next chunk, and memory stays bounded by the queue (a few chunks) and
DuckDB's ``memory_limit`` (it spills to disk beyond).

Once :meth:`Stage.seal` has closed it, the load attaches the file read-only to the writer
database and copies each interval across in SQL (``INSERT ... SELECT``, parallel inside
DuckDB).  The folder is removed by :meth:`Stage.remove`, or when the object is collected.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import tempfile
import threading
import weakref
from pathlib import Path

import pyarrow as pa

from mda import schemas
from mda.store.db import connect
from mda.store.sql import statement

#: The staged tables and the schema of their rows.
STAGED_TABLES: dict[str, pa.Schema] = {
    "positions": schemas.POSITIONS,
    "vessel_static": schemas.VESSEL_STATIC,
    "rejects": schemas.REJECTS,
}
#: DuckDB memory limit of the staging connection (beyond it DuckDB spills to disk).
STAGE_MEMORY_LIMIT = "512MB"
_QUEUE_BATCHES = 4
_DAY_US = 86_400 * 1_000_000


class StageError(Exception):
    """Staging failed (disk full, unwritable folder); the message is one line for the user."""


class Stage:
    """Decoded rows on disk: ``positions``, ``vessel_static`` and ``rejects`` tables.

    Parameters
    ----------
    folder : Path, optional
        Where to create the temporary folder (created if missing; default: the system's
        temporary folder).

    Attributes
    ----------
    path : Path
        The staging database file; readable once sealed.
    rows : dict of str to int
        Rows appended per table.
    """

    def __init__(self, folder: Path | None = None) -> None:
        try:
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
            self._dir = Path(tempfile.mkdtemp(prefix="mda-stage-", dir=folder))
        except OSError as exc:
            raise StageError(
                f"cannot create a staging folder in {folder or tempfile.gettempdir()}: {exc}"
            ) from exc
        self._remove = weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)
        self.path = self._dir / "stage.duckdb"
        self.rows = dict.fromkeys(STAGED_TABLES, 0)
        self._con = connect(self.path)
        self._con.execute(f"SET memory_limit = '{STAGE_MEMORY_LIMIT}'")
        self._con.execute("SET preserve_insertion_order = true")
        for name, schema in STAGED_TABLES.items():
            self._execute(f"stage/create_{name}", schema.empty_table())
        self._queue: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(maxsize=_QUEUE_BATCHES)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="mda-stage", daemon=True)
        self._thread.start()
        self._sealed = False

    def _execute(self, name: str, rows: pa.Table) -> None:
        self._con.register("staged", rows)
        try:
            self._con.execute(statement(name))
        finally:
            self._con.unregister("staged")

    def _drain(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure is not None:
                continue
            name, rows = item
            try:
                self._execute(f"stage/insert_{name}", rows)
            except BaseException as exc:  # re-raised in the main thread by seal()
                self._failure = exc

    def append(self, name: str, rows: pa.Table) -> None:
        """Queue ``rows`` (in the schema of :data:`STAGED_TABLES` ``[name]``) for the table ``name``.

        Blocks while the queue is full, so a decoder faster than the disk waits instead of
        filling memory.
        """
        if self._sealed:
            raise StageError("the stage is sealed; no more rows can be added")
        if rows.num_rows == 0:
            return
        self._queue.put((name, rows.cast(STAGED_TABLES[name])))
        self.rows[name] += rows.num_rows

    def seal(self) -> None:
        """Wait for the queued rows, then checkpoint and close the file (idempotent).

        Raises
        ------
        StageError
            When an append failed (the first error, in one line).
        """
        if self._sealed:
            return
        self._sealed = True
        self._queue.put(None)
        self._thread.join()
        try:
            if self._failure is None:
                self._con.execute("CHECKPOINT")
        finally:
            self._con.close()
        if self._failure is not None:
            first = str(self._failure).strip().splitlines()[0] if str(self._failure).strip() else ""
            raise StageError(f"staging decoded rows in {self._dir} failed: {first}") from self._failure

    def days(self) -> list[int]:
        """UTC days (days since the Unix epoch) holding at least one staged position, ascending."""
        self.seal()
        con = connect(self.path, read_only=True)
        try:
            found = con.execute(statement("stage/select_days"), {"day": _DAY_US}).fetchall()
        finally:
            con.close()
        return [int(row[0]) for row in found]

    def read(self, name: str) -> pa.Table:
        """Every staged row of one table, in insertion order (for inspection and tests)."""
        if name not in STAGED_TABLES:
            raise KeyError(name)
        self.seal()
        con = connect(self.path, read_only=True)
        try:
            return con.execute(statement(f"stage/select_{name}")).to_arrow_table()
        finally:
            con.close()

    def remove(self) -> None:
        """Delete the staging folder (after sealing)."""
        if not self._sealed:
            with contextlib.suppress(StageError):  # removing is all that is left to do
                self.seal()
        self._remove()
