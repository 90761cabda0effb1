"""Hourly landing files: raw lines appended to the open UTC hour, each hour finalised immutably.

Algorithm
---------
Every batch of received lines is stamped with one receive time from the writer's clock
(``now()``, seconds since the Unix epoch, UTC) and appended, in one ``write``, to the plain-text
partial file of that time's UTC hour (see :mod:`mda.sources.collect.layout` for the names).  The
data reach the operating system at once, so killing the process loses no landed line; the open
file is also fsynced at every :meth:`LandingWriter.tick` (about once a second).

When the clock enters a later hour (checked at every batch and every tick), the partial file is
closed and finalised in a background thread: compressed to ``<name>.zst.tmp``, fsynced, published
under its final name with a hard link (which never replaces an existing file), made read-only,
followed by its manifest (:mod:`mda.sources.collect.manifest`); only then are the partial file
and its open record removed.  A crash at any step leaves the partial file, and the next start-up
(:func:`recover_partials`) finishes the job, reusing a data file that was already published.

At start-up the writer takes an exclusive lock on ``ROOT/<source>/.lock`` (one collector per
source), finalises leftover partial files, then opens the current hour under the first sequence
number with no file, so a restart within an hour never touches the hour's earlier files.

Empty lines are not landed.  NMEA lines are stamped by :mod:`mda.sources.collect.stamp`; JSON
lines are written as given.  The clock may step back (e.g. an NTP correction): lines then stay
in the open hour, which is never reopened once finalised.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mda import __version__
from mda.sources.collect.compress import ZSTD_LEVEL, compress_file, count_file, sha256_file
from mda.sources.collect.errors import CollectError
from mda.sources.collect.fsio import fsync_dir, publish, write_all, write_json_atomic
from mda.sources.collect.layout import (
    HOUR_S,
    FeedKind,
    HourFiles,
    check_source,
    hour_of,
    next_free,
    parse_partial,
)
from mda.sources.collect.manifest import Manifest, iso_utc, parse_iso_utc, read_manifest
from mda.sources.collect.stamp import stamp_line, time_tag

COLLECTOR = f"mda {__version__}"
"""Program name and version recorded in manifests."""

LOCK_NAME = ".lock"


@dataclass(frozen=True)
class HourSpan:
    """What is known of an hour file when it is finalised.

    Attributes
    ----------
    open_s, close_s : float
        When the hour was opened and closed, seconds since the Unix epoch (UTC).
    first_receive_s, last_receive_s : float or None
        Receive times of the first and last line (``None`` without lines).
    """

    open_s: float
    close_s: float
    first_receive_s: float | None
    last_receive_s: float | None


def finalise_hour(
    files: HourFiles, span: HourSpan, *, recovered: bool, collector: str = COLLECTOR, level: int = ZSTD_LEVEL
) -> Manifest:
    """Turn the closed partial file of ``files`` into its final data file and manifest.

    Steps already done by an interrupted earlier call are not repeated: an existing final data
    file is kept as it is, and an existing manifest is returned as written.

    Returns
    -------
    Manifest
        The manifest of the final file.
    """
    final = files.final
    if final.exists():
        lines, size = count_file(files.partial)
        sha = sha256_file(final)
    else:
        tmp = final.with_name(final.name + ".tmp")
        tmp.unlink(missing_ok=True)
        try:
            packed = compress_file(files.partial, tmp, level)
            tmp.chmod(0o444)
            publish(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        lines, size, sha = packed.lines, packed.bytes, packed.sha256
    if files.manifest.exists():
        manifest = read_manifest(files.manifest)
    else:
        manifest = Manifest(
            source=files.source,
            kind=files.kind,
            hour_s=files.hour_s,
            sequence=files.seq,
            file=final.name,
            lines=lines,
            bytes=size,
            sha256=sha,
            first_receive_s=span.first_receive_s if lines else None,
            last_receive_s=span.last_receive_s if lines else None,
            open_s=span.open_s,
            close_s=span.close_s,
            recovered=recovered,
            collector=collector,
        )
        write_json_atomic(files.manifest, manifest.to_json())
    files.partial.unlink(missing_ok=True)
    files.open_record.unlink(missing_ok=True)
    fsync_dir(files.folder)
    return manifest


def _read_open_record(path: Path) -> tuple[float | None, float | None]:
    """``(open_s, first_receive_s)`` from an open record; ``None`` for what is unknown."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return parse_iso_utc(record.get("open_utc")), parse_iso_utc(record.get("first_receive_utc"))
    except (OSError, ValueError, AttributeError, TypeError):
        return None, None


def recover_partials(
    root: Path, source: str, *, collector: str = COLLECTOR, level: int = ZSTD_LEVEL
) -> list[Manifest]:
    """Finalise the partial files a killed collector of ``source`` left under ``root``.

    Call only while holding the source's lock (:class:`LandingWriter` does).  The open time and
    first receive time come from the open record; the close and last receive times are the
    partial file's last modification time, clamped to its hour.  Leftover temporary files and
    orphaned open records are removed.

    Returns
    -------
    list of Manifest
        Manifests of the recovered files (``recovered`` is true), oldest first.
    """
    base = root / source
    if not base.is_dir():
        return []
    for tmp in base.rglob("*.tmp"):
        tmp.unlink(missing_ok=True)
    recovered: list[Manifest] = []
    for partial in sorted(base.rglob("*.partial")):
        files = parse_partial(root, partial)
        if files is None or files.source != source:
            continue
        mtime = partial.stat().st_mtime
        hour_end = files.hour_s + HOUR_S
        open_s, first_s = _read_open_record(files.open_record)
        if open_s is None:
            open_s = min(max(mtime, files.hour_s), hour_end)
        close_s = min(max(mtime, open_s), hour_end)
        span = HourSpan(open_s, close_s, first_s if first_s is not None else open_s, close_s)
        recovered.append(finalise_hour(files, span, recovered=True, collector=collector, level=level))
    for record in base.rglob("*.open.json"):
        stem = record.name[: -len(".open.json")]
        if not any(record.with_name(f"{stem}.{kind.value}.partial").exists() for kind in FeedKind):
            record.unlink(missing_ok=True)
    recovered.sort(key=lambda m: (m.hour_s, m.sequence))
    return recovered


@dataclass
class _OpenHour:
    files: HourFiles
    fd: int
    open_s: float
    first_receive_s: float | None = None
    last_receive_s: float | None = None
    lines: int = 0
    unsynced: bool = False


class LandingWriter:
    """Append received lines to hourly landing files of one source.

    Parameters
    ----------
    root : Path
        Landing root folder; files go to ``root/<source>/YYYY/MM/DD/``.
    source : str
        Source name (see :func:`~mda.sources.collect.layout.check_source`).
    kind : FeedKind
        ``NMEA`` lines are stamped with their receive time unless they carry ``c:``; ``JSONL``
        lines are written as given.
    now : callable
        The receive clock: seconds since the Unix epoch (UTC).  Tests inject a fake clock.
    level : int
        zstd compression level of final files.
    collector : str
        Program name and version recorded in manifests.

    Notes
    -----
    Use as a context manager, or call :meth:`start` and :meth:`close`.  Not thread-safe: call it
    from one thread (the collector's event loop); finalisation runs in a private worker thread.
    """

    def __init__(
        self,
        root: Path,
        source: str,
        kind: FeedKind,
        *,
        now: Callable[[], float] = time.time,
        level: int = ZSTD_LEVEL,
        collector: str = COLLECTOR,
    ) -> None:
        self.root = root
        self.source = check_source(source)
        self.kind = kind
        self.now = now
        self.level = level
        self.collector = collector
        self.lines_total = 0
        """Lines landed since :meth:`start`."""
        self.recovered: list[Manifest] = []
        """Manifests of partial files finalised at start-up."""
        self.finalised: list[Manifest] = []
        """Manifests of hours this writer finalised (in completion order)."""
        self._hour: _OpenHour | None = None
        self._lock_fd: int | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[Manifest]] = []
        self._tag_second = -1
        self._tag = b""

    def __enter__(self) -> LandingWriter:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def current(self) -> HourFiles | None:
        """Files of the open hour, ``None`` before :meth:`start` and after :meth:`close`."""
        return self._hour.files if self._hour else None

    def start(self) -> list[Manifest]:
        """Lock the source, finalise leftover partial files and open the current hour.

        Returns
        -------
        list of Manifest
            Manifests of the recovered files.

        Raises
        ------
        CollectError
            Another process holds the source's lock.
        """
        base = self.root / self.source
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(base / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise CollectError(
                f"another collector is writing source {self.source!r} under {self.root}"
            ) from None
        self._lock_fd = fd
        try:
            self.recovered = recover_partials(
                self.root, self.source, collector=self.collector, level=self.level
            )
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mda-landing")
            t = self.now()
            self._open(hour_of(t), t)
        except BaseException:
            self._release()
            raise
        return self.recovered

    def _open(self, hour_s: int, open_s: float) -> None:
        files = next_free(self.root, self.source, hour_s, self.kind)
        files.folder.mkdir(parents=True, exist_ok=True)
        write_json_atomic(files.open_record, self._record(files, open_s, None))
        fd = os.open(files.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
        fsync_dir(files.folder)
        self._hour = _OpenHour(files, fd, open_s)

    def _record(self, files: HourFiles, open_s: float, first_s: float | None) -> dict[str, object]:
        return {
            "source": files.source,
            "hour_utc": iso_utc(files.hour_s),
            "open_utc": iso_utc(open_s),
            "first_receive_utc": iso_utc(first_s),
            "collector": self.collector,
        }

    def _rotate(self, t: float) -> None:
        """Finalise the open hour and open the hour of ``t`` if ``t`` lies in a later hour."""
        hour = self._require_open()
        new_hour = hour_of(t)
        if new_hour <= hour.files.hour_s:
            return
        end = hour.files.hour_s + HOUR_S
        self._close_hour(hour, end)
        self._open(new_hour, float(new_hour) if new_hour == end else t)

    def _close_hour(self, hour: _OpenHour, close_s: float) -> None:
        os.fsync(hour.fd)
        os.close(hour.fd)
        self._hour = None
        span = HourSpan(hour.open_s, close_s, hour.first_receive_s, hour.last_receive_s)
        assert self._pool is not None  # noqa: S101 - set in start(), cleared only in close()
        self._pending.append(
            self._pool.submit(
                finalise_hour, hour.files, span, recovered=False, collector=self.collector, level=self.level
            )
        )

    def _require_open(self) -> _OpenHour:
        if self._hour is None:
            raise RuntimeError("the landing writer is not open")
        return self._hour

    def write_lines(self, lines: Sequence[bytes]) -> int:
        """Land one batch of received lines (without line ends) at the current receive time.

        Empty lines are skipped.  The batch goes to the hour of ``now()`` in one write.

        Returns
        -------
        int
            Number of lines landed.

        Raises
        ------
        ValueError
            A line contains LF (callers split lines first).
        """
        t = self.now()
        self._rotate(t)
        hour = self._require_open()
        kept = [line for line in lines if line]
        if not kept:
            return 0
        if self.kind is FeedKind.NMEA:
            second = int(t // 1)
            if second != self._tag_second:
                self._tag_second, self._tag = second, time_tag(second, self.source)
            kept = [stamp_line(line, self._tag) for line in kept]
        data = b"\n".join(kept) + b"\n"
        if data.count(b"\n") != len(kept):
            raise ValueError("a line to land contains LF")
        if hour.first_receive_s is None:
            write_json_atomic(hour.files.open_record, self._record(hour.files, hour.open_s, t), replace=True)
            hour.first_receive_s = t
        write_all(hour.fd, data)
        hour.last_receive_s = t
        hour.lines += len(kept)
        hour.unsynced = True
        self.lines_total += len(kept)
        return len(kept)

    def tick(self) -> list[Manifest]:
        """Rotate if the clock has left the open hour, fsync the open file, collect finalised hours.

        Call about once a second, also when no lines arrive, so hours close on time.

        Returns
        -------
        list of Manifest
            Hours whose finalisation completed since the last call.

        Raises
        ------
        CollectError
            A finalisation failed (its partial file stays for the next start-up).
        """
        self._rotate(self.now())
        hour = self._require_open()
        if hour.unsynced:
            os.fsync(hour.fd)
            hour.unsynced = False
        return self._collect(wait=False)

    def _collect(self, *, wait: bool) -> list[Manifest]:
        done: list[Manifest] = []
        still: list[Future[Manifest]] = []
        failure: BaseException | None = None
        for future in self._pending:
            if not (wait or future.done()):
                still.append(future)
                continue
            try:
                done.append(future.result())
            except Exception as exc:
                failure = failure or exc
        self._pending = still
        self.finalised.extend(done)
        if failure is not None:
            raise CollectError(f"cannot finalise a landing file: {failure}") from failure
        return done

    def close(self) -> list[Manifest]:
        """Finalise the open hour, wait for all finalisations and release the lock.

        The open hour closes at ``now()``, or at its end if the clock has already left it.
        Calling :meth:`close` again does nothing.

        Returns
        -------
        list of Manifest
            Hours whose finalisation completed since the last :meth:`tick`.
        """
        try:
            if self._hour is not None:
                hour = self._hour
                self._close_hour(hour, min(self.now(), hour.files.hour_s + HOUR_S))
            return self._collect(wait=True)
        finally:
            self._release()

    def _release(self) -> None:
        if self._hour is not None:
            with contextlib.suppress(OSError):
                os.close(self._hour.fd)
            self._hour = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
