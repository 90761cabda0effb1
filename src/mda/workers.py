"""Worker processes for the stages that split into independent pieces of work.

Two stages of a run are pure functions of independent pieces, so they use the machine's other
cores: the recognition and decoding of each buffer of raw lines by the fast path
(:func:`mda.decode.scanned.scan_chunk`, while the main process resolves duplicates and the pyais
lines of the buffer before it), and the segmentation and detection of each MMSI bucket of a
window (:func:`mda.events.buckets.detect_bucket`, each read from the file the main process
wrote it to in one scan of the store).  The results are consumed in submission order, so a run gives the
same tables with any number of workers; with none, every piece runs in the calling process
when it is submitted (the reference the equivalence tests compare against).

Workers are forked from a ``forkserver`` that has imported the decoding and detection modules
once, never from the main process (whose DuckDB threads must not be forked); pieces and
results travel pickled (NumPy and Arrow buffers); a buffer of raw lines (4 MB) and its
scan (8 MB) travel through files instead (:meth:`Workers.submit_large`, :mod:`mda.handoff`);
buckets travel as file names.  Each worker keeps its freed memory for the next piece up to a bound
(:func:`steady_heap`) instead of faulting it in anew, and ends when the process that started it
ends, even killed (:func:`exit_with_parent`).
"""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import types
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from mda import handoff

__all__ = [
    "LARGE_BYTES",
    "PRELOAD",
    "WORKER_HEAP_THRESHOLD",
    "NoPandas",
    "Workers",
    "default_processes",
    "exit_with_parent",
    "start_worker",
    "steady_heap",
]

T = TypeVar("T")

#: Modules the forkserver imports before forking workers (their import cost is paid once).
#: pandas is not among them, and a worker may not import it (:class:`NoPandas`).
PRELOAD = ["mda.decode.scanned", "mda.events.buckets"]

#: glibc ``mallopt`` parameters (``malloc.h``).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: The mmap and trim thresholds of a worker's heap, bytes: above a bucket's largest array
#: (500,000 fixes of 8 bytes, 4 MB) and a buffer's, well below the memory a worker needs anyway.
WORKER_HEAP_THRESHOLD = 32 * 1024 * 1024

#: Bytes from which a ``bytes`` argument of :meth:`Workers.submit_large` travels through a file.
LARGE_BYTES = 1 << 20


def default_processes() -> int:
    """Worker processes a run uses by default: one per core available to it, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return min(cores, 4) if cores > 1 else 0


class Workers:
    """A pool of worker processes, or none (work runs inline).

    Parameters
    ----------
    processes : int
        Worker processes; 0 runs every piece in the calling process at submission (so does a
        daemonic calling process, which may not start children).

    Use as a context manager; the processes start on the first submission (again after
    :meth:`close`) and stop on exit.
    """

    def __init__(self, processes: int) -> None:
        # a daemonic process (e.g. a pool worker of a task runner) may not have children
        daemon = multiprocessing.current_process().daemon
        self.processes = 0 if daemon else max(0, int(processes))
        self._pool: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None
        self._start_error: BaseException | None = None
        self._handoff_dir: Path | None = None
        self._handoffs = itertools.count()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``fn(*args)`` in a worker (or now, without workers); its future result."""
        if self.processes == 0:
            done: Future[T] = Future()
            try:
                done.set_result(fn(*args))
            except BaseException as exc:  # handed to the caller by result(), as from a worker
                done.set_exception(exc)
            return done
        return self._started().submit(fn, *args)

    def submit_large(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """:meth:`submit` for a piece and a result of megabytes, which travel through files.

        Each ``bytes`` argument of :data:`LARGE_BYTES` or more is written to a file of a folder
        the pool owns, which the worker reads in one call and deletes.  The worker writes the
        result to another (:func:`mda.handoff.dump`); when the piece is done, the result is
        read back (:func:`mda.handoff.load`, which deletes the file) by the thread that
        receives the pool's results, before the returned future is resolved.  An error of
        ``fn`` is raised by ``result()``, as with :meth:`submit`.  Without workers the same as
        :meth:`submit`.
        """
        if self.processes == 0:
            return self.submit(fn, *args)
        if self._handoff_dir is None:
            self._handoff_dir = Path(tempfile.mkdtemp(prefix="mda-handoff-"))
        folder = self._handoff_dir
        sent_args = [
            _InFile.write(arg, folder / f"{next(self._handoffs)}.bytes") if _large(arg) else arg
            for arg in args
        ]
        path = folder / f"{next(self._handoffs)}.pickle"
        sent = self._started().submit(_handed_off, fn, path, *sent_args)
        out: Future[T] = Future()

        def receive(done: Future[None]) -> None:
            if done.cancelled():
                out.cancel()
                return
            try:
                done.result()
                out.set_result(handoff.load(path))
            except BaseException as exc:  # handed to the caller by result()
                out.set_exception(exc)

        sent.add_done_callback(receive)
        return out

    def start(self) -> None:
        """Start the processes in the background (their start-up overlaps the caller's work).

        All of them start from a thread, from a ``__main__`` without a file, so neither the
        forkserver nor a worker runs the caller's script again (a script need not guard its
        code with ``if __name__ == "__main__"``); the next submission waits for them.
        """
        if self.processes and self._pool is None and self._starting is None:
            self._starting = threading.Thread(target=self._start_quietly, name="mda-workers", daemon=True)
            self._starting.start()

    @property
    def started(self) -> bool:
        """True once the processes are started or starting (until :meth:`close`)."""
        return self._pool is not None or self._starting is not None

    @property
    def starting(self) -> bool:
        """True while the processes started by :meth:`start` are not yet ready for work."""
        return self._starting is not None and self._starting.is_alive()

    def _start_quietly(self) -> None:
        try:
            self._spawn()
        except BaseException as exc:  # raised by the next submission, in the caller's thread
            self._start_error = exc

    def _started(self) -> ProcessPoolExecutor:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            error, self._start_error = self._start_error, None
            if error is not None:
                raise error
        return self._pool if self._pool is not None else self._spawn()

    def _spawn(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=start_worker)
        caller = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            for _ in range(self.processes):  # one process spawned per piece while none is idle
                pool.submit(os.getpid)
        finally:
            sys.modules["__main__"] = caller
        self._pool = pool
        return pool

    def close(self) -> None:
        """Stop the worker processes (pending pieces are cancelled)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            self._start_error = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._handoff_dir is not None:  # with the files of results never received
            shutil.rmtree(self._handoff_dir, ignore_errors=True)
            self._handoff_dir = None


def _large(arg: object) -> bool:
    return isinstance(arg, bytes) and len(arg) >= LARGE_BYTES


class _InFile:
    """A ``bytes`` argument of :meth:`Workers.submit_large` waiting in a file for its worker."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def write(cls, data: bytes, path: Path) -> _InFile:
        path.write_bytes(data)
        return cls(path)

    def take(self) -> bytes:
        """The bytes, read in one call; the file is deleted."""
        data = self.path.read_bytes()
        self.path.unlink()
        return data


def _handed_off(fn: Callable[..., Any], path: Path, *args: Any) -> None:
    """Run ``fn(*args)`` in a worker and write its result to ``path`` (:meth:`Workers.submit_large`)."""
    handoff.dump(fn(*(arg.take() if isinstance(arg, _InFile) else arg for arg in args)), path)


def start_worker() -> None:
    """The pool's initializer: :func:`steady_heap`, :func:`exit_with_parent` and :class:`NoPandas`."""
    steady_heap()
    exit_with_parent()
    sys.meta_path.insert(0, NoPandas())


class NoPandas:
    """An import finder that refuses pandas, so that pyarrow works without it in a worker.

    pyarrow imports pandas, when it is installed, at the first conversion between its arrays
    and NumPy's (``to_numpy``, a compute function given a NumPy array) to check whether the
    argument is a pandas object: 0.2 CPU s per process, spent while the decoding saturates
    both cores.  mda's runtime does not depend on pandas (only its tests do), so refusing it
    makes a worker behave as in an installation without it; pyarrow then takes every NumPy
    array as such.
    """

    def find_spec(self, name: str, *_: object) -> None:
        """Refuse ``pandas`` and its submodules; leave every other module to the next finder."""
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError(f"{name} is not imported in mda's worker processes")
        return None


def exit_with_parent() -> None:
    """End this worker process as soon as the process that started it is gone.

    A pool's workers wait on a queue whose writing end they hold themselves, and each holds
    the forkserver's liveness pipe open: a caller killed with ``SIGKILL`` (a scheduler's
    timeout, say) would otherwise leave its workers and their forkserver waiting forever.
    A daemon thread waits on the parent's sentinel (a pipe that closes when the caller
    exits, however it exits) and then ends the process at once.  Does nothing outside a
    child process.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns once the parent's end of the sentinel pipe is closed
        os._exit(1)

    threading.Thread(target=watch, name="mda-parent-watch", daemon=True).start()


def steady_heap() -> None:
    """Let a worker reuse its freed arrays instead of faulting fresh pages in for each piece.

    glibc gives freed memory back to the system when the array had a mapping of its own
    (above the dynamic mmap threshold) or when more than the trim threshold lies free at the
    top of the heap, so each bucket's arrays are faulted in page by page again (about 115,000
    minor faults, 0.15-0.2 s of system time per bucket of 450,000 fixes).  Fixed thresholds of
    :data:`WORKER_HEAP_THRESHOLD` keep such arrays on the heap, where freed memory is reused,
    and bound the free memory a worker keeps to that much.
    Runs in each worker process at its start; does nothing without glibc.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # pragma: no cover - not glibc
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(_M_MMAP_THRESHOLD, WORKER_HEAP_THRESHOLD)
    mallopt(_M_TRIM_THRESHOLD, WORKER_HEAP_THRESHOLD)
