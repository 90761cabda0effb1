"""Work handed to worker processes returns in order, with its errors, and the time it took is charged."""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mda.timing import StageTimes
from mda.workers import WORKER_HEAP_THRESHOLD, Workers, default_processes


def fail(message: str) -> None:
    raise ValueError(message)


def faults_of_arrays_made_again(count: int, megabytes: int) -> int:
    """Minor page faults taken filling ``count`` arrays of ``megabytes`` after freeing as many."""
    import resource

    import numpy as np

    def fill() -> None:
        arrays = [np.empty(megabytes << 20, dtype=np.uint8) for _ in range(count)]
        for array in arrays:
            array.fill(1)

    fill()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    fill()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def arrow_to_numpy_and_back() -> tuple[int, bool]:
    """Convert as detection does (``to_numpy``, a compute function given a NumPy array)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.table({"x": pa.array(np.arange(10, dtype=np.int64))})
    values = table["x"].to_numpy()
    taken = pc.take(table["x"], np.array([9, 0]))
    return int(values.sum()) + int(taken[0].as_py()), "pandas" in sys.modules


def test_without_workers_a_piece_runs_in_the_calling_process_at_submission():
    with Workers(0) as workers:
        future = workers.submit(os.getpid)
        assert future.done()
        assert future.result() == os.getpid()


def test_without_workers_an_error_is_raised_by_result_not_by_submit():
    with Workers(0) as workers:
        future = workers.submit(fail, "bad piece")
    with pytest.raises(ValueError, match="bad piece"):
        future.result()


@pytest.mark.slow
def test_with_workers_pieces_run_in_other_processes_and_errors_come_back():
    with Workers(2) as workers:
        pids = {workers.submit(os.getpid).result() for _ in range(4)}
        failed = workers.submit(fail, "bad piece")
        with pytest.raises(ValueError, match="bad piece"):
            failed.result()
    assert os.getpid() not in pids


def large_result(n: int) -> tuple[int, object, object]:
    import numpy as np
    import pyarrow as pa

    return os.getpid(), np.arange(n, dtype=np.int64), pa.array([str(k) for k in range(1000)])


@pytest.mark.slow
def test_a_large_result_comes_back_through_a_file_that_is_then_deleted():
    import numpy as np

    with Workers(2) as workers:
        futures = [workers.submit_large(large_result, 1_000_000 + k) for k in range(4)]
        results = [future.result() for future in futures]
        folder = workers._handoff_dir
        assert folder is not None
        assert folder.is_dir()
        assert not list(folder.iterdir())
    assert not folder.exists()
    for k, (pid, values, text) in enumerate(results):
        assert pid != os.getpid()
        assert np.array_equal(values, np.arange(1_000_000 + k))
        assert values.flags.writeable
        assert text.to_pylist() == [str(j) for j in range(1000)]


def digest_of(data: bytes, small: bytes) -> tuple[str, bytes]:
    import hashlib

    return hashlib.sha256(data).hexdigest(), small


@pytest.mark.slow
def test_a_large_bytes_argument_reaches_the_worker_whole_through_a_file(monkeypatch):
    import hashlib

    import mda.workers as workers_module

    written: list[Path] = []
    write = workers_module._InFile.write

    def spy(data: bytes, path: Path) -> workers_module._InFile:
        written.append(path)
        return write(data, path)

    monkeypatch.setattr(workers_module._InFile, "write", staticmethod(spy))
    data = os.urandom(workers_module.LARGE_BYTES + 17)
    with Workers(1) as workers:
        digest, small = workers.submit_large(digest_of, data, b"short").result()
        assert not list(workers._handoff_dir.iterdir())  # both files read and deleted
    assert digest == hashlib.sha256(data).hexdigest()
    assert small == b"short"
    assert len(written) == 1  # only the large argument went through a file


@pytest.mark.slow
def test_an_error_of_a_large_piece_is_raised_by_result():
    with Workers(1) as workers:
        failed = workers.submit_large(fail, "bad large piece")
        with pytest.raises(ValueError, match="bad large piece"):
            failed.result()


def test_without_workers_a_large_piece_runs_at_submission_without_a_file():
    with Workers(0) as workers:
        pid, values, _ = workers.submit_large(large_result, 10).result()
        assert workers._handoff_dir is None
    assert pid == os.getpid()
    assert values.tolist() == list(range(10))


@pytest.mark.slow
def test_a_worker_converts_arrow_arrays_without_importing_pandas_even_when_installed():
    pytest.importorskip("pandas")  # installed with the test tools
    with Workers(1) as workers:
        total, imported = workers.submit(arrow_to_numpy_and_back).result()
    assert total == 45 + 9
    assert imported is False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc heap tuning")
def test_a_worker_reuses_a_freed_array_instead_of_faulting_its_pages_in_again():
    # arrays of 1 MB (below NumPy's huge-page size), as a bucket's columns, within the bound
    count = (WORKER_HEAP_THRESHOLD >> 20) * 3 // 4
    pages = (count << 20) // os.sysconf("SC_PAGE_SIZE")
    with Workers(1) as workers:
        in_worker = workers.submit(faults_of_arrays_made_again, count, 1).result()
    # glibc's defaults: the freed arrays go back to the system and are faulted in again
    here = subprocess.run(
        [sys.executable, "-c", f"import test_workers as t; print(t.faults_of_arrays_made_again({count}, 1))"],
        capture_output=True, text=True, check=True, cwd=Path(__file__).parent,
    )  # fmt: skip
    assert int(here.stdout) > pages // 2
    assert in_worker < pages // 20


def test_a_negative_number_of_processes_means_none():
    assert Workers(-3).processes == 0


def test_the_default_uses_no_workers_on_one_core(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    assert default_processes() == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(16)))
    assert default_processes() == 4


def test_shared_time_is_split_among_stages_in_proportion_to_their_seconds():
    times = StageTimes()
    with times.shared() as spent:
        time.sleep(0.05)
        spent["tracks"] = 3.0  # e.g. seconds recorded by workers, more than the wall time
        spent["events"] = 1.0
    wall = times.seconds["tracks"] + times.seconds["events"]
    assert 0.05 <= wall < 1.0
    assert times.seconds["tracks"] == pytest.approx(3 * times.seconds["events"])


def test_shared_time_adds_to_what_a_stage_already_had():
    times = StageTimes()
    with times.stage("tracks"):
        pass
    before = times.seconds["tracks"]
    with times.shared() as spent:
        spent["tracks"] = 0.0
    assert times.seconds["tracks"] >= before


@pytest.mark.slow
def test_processes_started_in_the_background_are_waited_for_by_the_first_submission():
    with Workers(2) as workers:
        workers.start()
        workers.start()  # already starting: nothing more to do
        pids = {workers.submit(os.getpid).result() for _ in range(8)}
    assert 1 <= len(pids) <= 2
    assert os.getpid() not in pids


def test_an_error_starting_the_processes_is_raised_by_the_next_submission(monkeypatch):
    def refuse(self: Workers) -> None:
        raise OSError("no more processes")

    monkeypatch.setattr(Workers, "_spawn", refuse)
    with Workers(2) as workers:
        workers.start()
        with pytest.raises(OSError, match="no more processes"):
            workers.submit(os.getpid)


@pytest.mark.slow
@pytest.mark.parametrize("start_first", [False, True], ids=["on-submission", "in-the-background"])
def test_a_script_without_a_main_guard_is_not_run_again_by_the_workers(tmp_path, start_first):
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import os\n"
        "from mda.workers import Workers\n"
        "print('script ran', flush=True)\n"
        "with Workers(2) as workers:\n"
        + ("    workers.start()\n" if start_first else "")
        + "    pids = {workers.submit(os.getpid).result() for _ in range(6)}\n"
        "print(os.getpid() not in pids, flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == ["script ran", "True", ""]


def _processes_in_a_daemon(queue: multiprocessing.queues.Queue[int]) -> None:
    queue.put(Workers(2).processes)


@pytest.mark.slow
def test_a_daemonic_process_runs_its_pieces_inline():
    context = multiprocessing.get_context("forkserver")
    queue = context.Queue()
    daemon = context.Process(target=_processes_in_a_daemon, args=(queue,), daemon=True)
    daemon.start()
    daemon.join(60)
    assert queue.get(timeout=5) == 0


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be collected


@pytest.mark.slow
def test_workers_and_their_forkserver_end_when_the_caller_is_killed(tmp_path):
    script = tmp_path / "killed.py"
    script.write_text(
        "import os, signal\n"
        "from pathlib import Path\n"
        "from mda.workers import Workers\n"
        "workers = Workers(2)\n"
        "server = workers.submit(os.getppid).result()\n"
        "def parent(stat):\n"
        "    try:\n"
        "        return int(stat.read_text().rsplit(')', 1)[1].split()[1])\n"
        "    except OSError:\n"
        "        return 0\n"
        "children = set()\n"
        "while len(children) < 2:  # both are forked at the pool's start\n"
        "    stats = Path('/proc').glob('[0-9]*/stat')\n"
        "    children = {int(s.parent.name) for s in stats if parent(s) == server}\n"
        "print(server, *sorted(children), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == -9, done.stderr
    left = [int(pid) for pid in done.stdout.split()]
    assert len(left) == 3  # two workers and the forkserver
    deadline = time.monotonic() + 60
    while (left := [pid for pid in left if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == []
