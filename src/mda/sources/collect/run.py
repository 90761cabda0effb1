"""One bounded or unbounded collection: landing, stop requests, limits, progress and signals.

A collector coroutine receives lines and hands them to :meth:`CollectRun.land`; it returns once
:attr:`CollectRun.stopping` is true, after landing what it still holds.  Stop requests come from
SIGTERM/SIGINT, the limits (``max_lines``, ``max_seconds``), or a fatal error.  A ticker task
rotates the landing file on time and prints progress every ``progress_lines`` lines or
``progress_s`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from mda.sources.collect.landing import LandingWriter
from mda.sources.collect.manifest import Manifest

T = TypeVar("T")

TICK_S = 1.0
"""Period of the ticker (rotation check, fsync of the open file), in seconds."""


def _silent(message: str) -> None:
    """Discard a progress message."""


@dataclass(frozen=True)
class Limits:
    """When a bounded collection stops by itself.

    Attributes
    ----------
    max_lines : int or None
        Stop once at least this many lines have been landed (lines already received in the
        same read are landed too, never dropped).
    max_seconds : float or None
        Stop after this many seconds of wall time (monotonic clock).
    """

    max_lines: int | None = None
    max_seconds: float | None = None


@dataclass(frozen=True)
class CollectSummary:
    """The outcome of a collection.

    Attributes
    ----------
    lines : int
        Lines landed.
    files : list of Manifest
        Hours finalised, in completion order (recovered files not included).
    recovered : list of Manifest
        Files finalised at start-up from a killed collector's partial files.
    stop_reason : str
        Why the collection stopped (a signal name, a limit, or an error).
    """

    lines: int
    files: list[Manifest]
    recovered: list[Manifest]
    stop_reason: str


class CollectRun:
    """State shared by a collector coroutine and its supervisor.

    Parameters
    ----------
    writer : LandingWriter
        Started landing writer.
    limits : Limits
        Stop conditions.
    say : callable
        Receives one-line progress messages.
    progress_lines, progress_s : int, float
        Report progress after this many lines or seconds, whichever comes first.
    """

    def __init__(
        self,
        writer: LandingWriter,
        *,
        limits: Limits | None = None,
        say: Callable[[str], None] = _silent,
        progress_lines: int = 100_000,
        progress_s: float = 60.0,
    ) -> None:
        self.writer = writer
        self.limits = limits or Limits()
        self.say = say
        self.progress_lines = progress_lines
        self.progress_s = progress_s
        self.stop_reason: str | None = None
        self.failure: BaseException | None = None
        self._stop = asyncio.Event()
        self._started = time.monotonic()
        self._report_at = self._started
        self._report_lines = 0

    @property
    def stopping(self) -> bool:
        """Whether a stop was requested."""
        return self._stop.is_set()

    def request_stop(self, reason: str) -> None:
        """Ask the collector to land what it holds and return; the first reason is kept."""
        if self.stop_reason is None:
            self.stop_reason = reason
        self._stop.set()

    def fail(self, exc: BaseException) -> None:
        """Record a fatal error and stop; the supervisor re-raises it after closing cleanly."""
        if self.failure is None:
            self.failure = exc
        self.request_stop(f"error: {exc}")

    def land(self, lines: Sequence[bytes]) -> None:
        """Land a batch of received lines (see :meth:`LandingWriter.write_lines`)."""
        if not lines:
            return
        self.writer.write_lines(lines)
        total = self.writer.lines_total
        if self.limits.max_lines is not None and total >= self.limits.max_lines:
            self.request_stop(f"{total:,} lines landed (--max-lines {self.limits.max_lines:,})")
        if total - self._report_lines >= self.progress_lines:
            self.report()

    def report(self) -> None:
        """Say how many lines were landed, the recent rate and the open file."""
        now = time.monotonic()
        total = self.writer.lines_total
        recent = total - self._report_lines
        rate = recent / (now - self._report_at) if now > self._report_at else 0.0
        current = self.writer.current
        where = f"; open file {current.partial.name}" if current else ""
        self.say(f"{total:,} lines landed ({rate:,.0f} lines/s recently){where}")
        self._report_at, self._report_lines = now, total

    async def wait_stopped(self, timeout: float | None = None) -> bool:
        """Wait until a stop is requested or ``timeout`` seconds pass; return :attr:`stopping`."""
        if timeout is not None and timeout <= 0:
            return self.stopping
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout)
        return self.stopping

    async def unless_stopped(self, awaitable: Awaitable[T], timeout: float | None = None) -> T | None:
        """Await ``awaitable`` unless a stop comes first (then cancel it and return ``None``).

        Raises ``TimeoutError`` when ``timeout`` seconds pass first.
        """
        task = asyncio.ensure_future(awaitable)
        stopper = asyncio.ensure_future(self._stop.wait())
        try:
            done, _ = await asyncio.wait(
                {task, stopper}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stopper.cancel()
        if task in done:
            return task.result()
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: S110 - the attempt was abandoned; its error no longer matters
            pass
        if not done:
            raise TimeoutError
        return None

    def _deadline_left(self) -> float | None:
        if self.limits.max_seconds is None:
            return None
        return self._started + self.limits.max_seconds - time.monotonic()

    async def tick_until_stopped(self) -> None:
        """Rotate, fsync and report about once a second until a stop is requested."""
        while not self.stopping:
            left = self._deadline_left()
            await self.wait_stopped(TICK_S if left is None else max(0.0, min(TICK_S, left)))
            left = self._deadline_left()
            if left is not None and left <= 0:
                self.request_stop(f"time limit reached (--max-seconds {self.limits.max_seconds:g})")
            try:
                for manifest in self.writer.tick():
                    self.say(f"landed {manifest.file}: {manifest.lines:,} lines")
            except Exception as exc:
                self.fail(exc)
            if time.monotonic() - self._report_at >= self.progress_s:
                self.report()


async def run_collection(
    writer: LandingWriter,
    collector: Callable[[CollectRun], Coroutine[Any, Any, None]],
    *,
    limits: Limits | None = None,
    say: Callable[[str], None] = _silent,
    progress_lines: int = 100_000,
    progress_s: float = 60.0,
    handle_signals: bool = False,
) -> CollectSummary:
    """Start ``writer``, run ``collector`` until it stops, then close the writer cleanly.

    Parameters
    ----------
    writer : LandingWriter
        Not yet started; started here (which finalises leftover partial files) and always closed.
    collector : callable
        ``collector(run)`` receives and lands lines until ``run.stopping``.
    limits : Limits
        Stop conditions.
    say : callable
        Receives one-line progress messages.
    progress_lines, progress_s : int, float
        Progress period in lines and seconds.
    handle_signals : bool
        Turn SIGTERM and SIGINT into a clean stop (main thread only).

    Returns
    -------
    CollectSummary
        What was landed and why the collection stopped.

    Raises
    ------
    Exception
        The collector's fatal error, after the open hour was finalised.
    """
    loop = asyncio.get_running_loop()
    run = CollectRun(writer, limits=limits, say=say, progress_lines=progress_lines, progress_s=progress_s)
    signals = (signal.SIGTERM, signal.SIGINT) if handle_signals else ()
    for signum in signals:
        loop.add_signal_handler(signum, run.request_stop, signal.Signals(signum).name)
    try:
        recovered = writer.start()
        for manifest in recovered:
            say(f"recovered {manifest.file}: {manifest.lines:,} lines from an interrupted run")
        try:
            ticker = asyncio.create_task(run.tick_until_stopped())
            try:
                if not run.stopping:
                    await collector(run)
            except Exception as exc:
                run.fail(exc)
            finally:
                run.request_stop("collector ended")
                await ticker
        finally:
            files = writer.close()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
    for manifest in files:
        say(f"landed {manifest.file}: {manifest.lines:,} lines")
    if run.failure is not None:
        raise run.failure
    return CollectSummary(
        lines=writer.lines_total,
        files=writer.finalised,
        recovered=recovered,
        stop_reason=run.stop_reason or "stopped",
    )
