"""A run's decoded rows spooled to Parquet files while decoding goes on.

A day of a busy strait is tens of millions of rows: held as Arrow tables until the load, it
would cost gigabytes.  The decoder's batches are instead appended, as they come, to one
Parquet file per table (``positions``, ``vessel_static``, ``rejects``) in a fresh temporary
folder, by a background thread: Arrow's Parquet writer runs with the GIL released, so the
writes use the second core while the main thread decodes the next chunk, and memory stays
bounded by the queue (a few chunks).  Each batch becomes one row group, with statistics, so
a load reading one interval skips the row groups outside it.

Once :meth:`Stage.seal` has closed the files, the load copies each interval into the store in
SQL (``INSERT ... SELECT ... FROM read_parquet(...)``, parallel inside DuckDB).  The folder is
removed by :meth:`Stage.remove`, or when the object is collected.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mda import schemas

#: The staged tables and the schema of their rows.
STAGED_TABLES: dict[str, pa.Schema] = {
    "positions": schemas.POSITIONS,
    "vessel_static": schemas.VESSEL_STATIC,
    "rejects": schemas.REJECTS,
}
#: Parquet compression of the staged files: LZ4 costs little next to decoding and keeps a
#: 20 M-message day's spool to a few hundred megabytes.
STAGE_COMPRESSION: Literal["lz4"] = "lz4"
#: Columns dictionary-encoded in the staged files: those with few distinct values.  Encoding
#: coordinates, times or raw lines would cost more than it saves.
STAGE_DICTIONARY: dict[str, list[str]] = {
    "positions": ["msg_type", "status", "station", "source"],
    "vessel_static": ["msg_type", "part", "ship_type", "source"],
    "rejects": ["source", "reason", "detail"],
}
#: Columns with row-group statistics in the staged files: the load selects by time only.
STAGE_STATISTICS = ["ts"]
_QUEUE_BATCHES = 6
_DAY_US = 86_400 * 1_000_000


class StageError(Exception):
    """Staging failed (disk full, unwritable folder); the message is one line for the user."""


class Stage:
    """Decoded rows on disk: ``positions``, ``vessel_static`` and ``rejects`` Parquet files.

    Parameters
    ----------
    folder : Path, optional
        Where to create the temporary folder (created if missing; default: the system's
        temporary folder).

    Attributes
    ----------
    files : dict of str to Path
        The Parquet file of each table; complete once sealed.
    rows : dict of str to int
        Rows appended per table.
    """

    def __init__(self, folder: Path | None = None) -> None:
        try:
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
            self._dir = Path(tempfile.mkdtemp(prefix="mda-stage-", dir=folder))
        except OSError as exc:
            where = folder or tempfile.gettempdir()
            raise StageError(f"cannot create a staging folder in {where}: {exc.strerror}") from exc
        self._remove = weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)
        self.files = {name: self._dir / f"{name}.parquet" for name in STAGED_TABLES}
        self.rows = dict.fromkeys(STAGED_TABLES, 0)
        self._days: set[int] = set()
        self._writers = {
            name: pq.ParquetWriter(
                self.files[name],
                schema,
                compression=STAGE_COMPRESSION,
                use_dictionary=STAGE_DICTIONARY[name],  # type: ignore[arg-type]  # stubs: bool only; pyarrow takes names
                write_statistics=STAGE_STATISTICS,
            )
            for name, schema in STAGED_TABLES.items()
        }
        self._queue: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(maxsize=_QUEUE_BATCHES)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="mda-stage", daemon=True)
        self._thread.start()
        self._sealed = False

    def _drain(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure is not None:
                continue
            name, rows = item
            try:
                self._writers[name].write_table(rows, row_group_size=max(rows.num_rows, 1))
                if name == "positions":
                    ts = pc.cast(rows["ts"], pa.int64()).to_numpy(zero_copy_only=False)
                    self._days.update(np.unique(ts // _DAY_US).tolist())
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
        """Wait for the queued rows, then close the files (idempotent).

        Raises
        ------
        StageError
            When a write failed (the first error, in one line).
        """
        if self._sealed:
            return
        self._sealed = True
        self._queue.put(None)
        self._thread.join()
        for writer in self._writers.values():
            try:
                writer.close()
            except (OSError, pa.ArrowException) as exc:
                self._failure = self._failure or exc
        if self._failure is not None:
            first = str(self._failure).strip().splitlines()[0] if str(self._failure).strip() else ""
            raise StageError(f"staging decoded rows in {self._dir} failed: {first}") from self._failure

    def days(self) -> list[int]:
        """UTC days (days since the Unix epoch) holding at least one staged position, ascending."""
        self.seal()
        return sorted(self._days)

    def read(self, name: str) -> pa.Table:
        """Every staged row of one table, in insertion order (for inspection and tests)."""
        if name not in STAGED_TABLES:
            raise KeyError(name)
        self.seal()
        return pq.read_table(self.files[name], schema=STAGED_TABLES[name])

    def remove(self) -> None:
        """Delete the staging folder (after sealing)."""
        if not self._sealed:
            with contextlib.suppress(StageError):  # removing is all that is left to do
                self.seal()
        self._remove()
