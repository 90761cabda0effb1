"""Real processes on a real DuckDB file: readers during a load, and a load killed with SIGKILL."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mda.schemas import EVENT_TABLES
from mda.store.db import stale_snapshots, writer_path

from builders import table_digest

pytestmark = pytest.mark.slow

TABLES = (
    "positions",
    "vessel_static",
    "rejects",
    *EVENT_TABLES,
)

READER = textwrap.dedent(
    """
    import json, sys, time
    import duckdb
    db, stop = sys.argv[1], sys.argv[2]
    seen = []
    from pathlib import Path
    while not Path(stop).exists():
        con = duckdb.connect(db, read_only=True)
        positions = con.execute("SELECT count(*) FROM positions").fetchone()[0]
        transits = con.execute("SELECT count(*) FROM transits").fetchone()[0]
        runs = con.execute(
            "SELECT json_extract(row_counts, '$.positions')::BIGINT,"
            " json_extract(row_counts, '$.transits')::BIGINT FROM mda_runs ORDER BY finished_at DESC LIMIT 1"
        ).fetchone()
        con.close()
        seen.append([positions, transits, list(runs)])
    print(json.dumps(seen))
    """
)


def _mda(*args: str) -> list[str]:
    return [sys.executable, "-m", "mda.cli", "-q", *args]


def _hashes(db: Path) -> dict[str, tuple[int, int | None]]:
    return table_digest(db, TABLES)


def test_readers_in_another_process_never_block_the_load_nor_see_half_a_day(simulated_run, tmp_path):
    nmea = simulated_run.sim.nmea_path
    part = tmp_path / nmea.name  # same source name, first 40 % of the lines
    lines = nmea.read_bytes().splitlines(keepends=True)
    part.write_bytes(b"".join(lines[: len(lines) * 2 // 5]))
    db = tmp_path / "store" / "mda.duckdb"
    day = ["--from", "2026-11-24", "--to", "2026-11-24"]
    first = subprocess.run(
        _mda("run", "--input", str(part), "--db", str(db), "--out", str(tmp_path / "p1"), *day)
    )
    assert first.returncode == 0
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        second = subprocess.run(
            _mda("run", "--input", str(nmea), "--db", str(db), "--out", str(tmp_path / "p2"), *day),
            capture_output=True,
            text=True,
        )
        time.sleep(0.5)  # let the reader also see the new snapshot (not an assertion on time)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
    assert second.returncode == 0, second.stderr
    assert reader.returncode == 0, err
    seen = json.loads(out)
    assert len(seen) > 3
    full = _hashes(simulated_run.db)
    old_positions = seen[0][0]
    assert old_positions < full["positions"][0]
    for positions, transits, (run_positions, run_transits) in seen:
        assert positions in (old_positions, full["positions"][0])
        assert (positions, transits) == (run_positions, run_transits)
    assert seen[-1][0] == full["positions"][0]


def test_a_load_killed_mid_way_loses_nothing_and_a_rerun_equals_an_uninterrupted_run(simulated_run, tmp_path):
    nmea = simulated_run.sim.nmea_path
    db = tmp_path / "mda.duckdb"
    # a first day loaded whole, then a load killed while it writes
    ok = subprocess.run(_mda("run", "--input", str(nmea), "--db", str(db), "--out", str(tmp_path / "p0")))
    assert ok.returncode == 0
    before = _hashes(db)
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mda.cli",
            "run",
            "--input",
            str(nmea),
            "--db",
            str(db),
            "--out",
            str(tmp_path / "p"),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    for line in run.stderr:
        if "loading" in line:
            break
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert run.returncode == -signal.SIGKILL
    assert _hashes(db) == before  # the snapshot still holds the whole earlier load
    db.with_name(f".snapshot-{db.name}.424242").write_bytes(b"left by a killed copy")
    again = subprocess.run(_mda("run", "--input", str(nmea), "--db", str(db), "--out", str(tmp_path / "p2")))
    assert again.returncode == 0
    assert _hashes(db) == _hashes(simulated_run.db)
    assert stale_snapshots(db) == []
    assert writer_path(db).is_file()
