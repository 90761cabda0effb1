"""Throughput suite: simulated days of 1 M, 5 M and 20 M messages, mda against plain pyais, per stage.

Usage::

    .venv/bin/python benchmarks/bench_suite.py [--messages 1e6 5e6 2e7] [--seed 1] \
        [--date 2026-11-24] [--out benchmarks/results] [--runs 3] [--runs-up-to 5e6]

For each size a simulated day is written (``simulate_day`` with the ``--scale`` that gives
about that many messages, see :data:`MESSAGES_PER_SCALE`), then child processes run on the
same file, one after the other (plain pyais and mda ``--runs`` times each, alternately, on days
of up to ``--runs-up-to`` messages; the run of median wall time is kept), so each one's peak
RSS (``VmHWM``) is its own, and the
memory of each child's whole process tree (its worker processes too) is sampled every 0.1 s
(private resident memory summed, shared libraries once, see :func:`_tree_rss_mb`):

``read``
    The file read in 4 MiB buffers and its lines counted: the floor of any decoder.
``plain pyais``
    What a first script does, in chunks of 100,000 messages so its memory stays flat:
    ``pyais.FileReaderStream`` (tag blocks, multi-sentence assembly) — *read*;
    ``decode().asdict()`` per message — *decode*; a Shapely ``Point`` tested against the strait
    area per position — *geofence*; each chunk's positions appended to DuckDB as one Arrow
    table — *store*.  It finds no tracks or events and publishes nothing.
``mda``
    :func:`mda.pipeline.run_files`, the whole product (decode with line accounting and
    rejects, store, tracks, geofences, every detector, the snapshot, maps, statistics and
    report), timed per stage by :class:`mda.timing.StageTimes`; peak RSS per stage comes from
    resetting ``VmHWM`` (``/proc/self/clear_refs``) as each stage starts.

Messages/s divides decoded messages by seconds (mda: messages kept after duplicates;
pyais: every message it decoded).  Ratios are plain-pyais seconds over mda seconds on the same
file in the same run: end to end, and per stage where both have the stage (mda's *decode*
includes reading and staging; pyais' *decode* is set against it as read + decode).

Writes ``OUT/throughput.json`` and ``OUT/throughput.md`` and prints the Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

#: Decoded messages of a simulated day ~ BASE_MESSAGES + MESSAGES_PER_SCALE * scale (measured:
#: scale 0.54 gives 0.27 M, scale 54 gives 19.9 M; the named vessels do not scale).
MESSAGES_PER_SCALE = 367_000
BASE_MESSAGES = 70_000

PEAK = r"""
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")

def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
"""

CHILD_READ = (
    PEAK
    + r"""
import json, sys, time
t0 = time.perf_counter()
lines = 0
with open(sys.argv[1], "rb", buffering=0) as f:
    while block := f.read(4 << 20):
        lines += block.count(b"\n")
print(json.dumps({"lines": lines, "wall_s": time.perf_counter() - t0, "peak_rss_mb": peak_mb()}))
"""
)

CHILD_PYAIS = (
    PEAK
    + r"""
import itertools, json, sys, time
import duckdb, pyarrow as pa, pyais
from shapely.geometry import Point
from mda.geo.fences import load_strait_area
area = load_strait_area()
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE positions (mmsi BIGINT, lon DOUBLE, lat DOUBLE, inside BOOLEAN)")
stage = {"read": 0.0, "decode": 0.0, "geofence": 0.0, "store": 0.0}
n = 0
t_start = time.perf_counter()
with pyais.FileReaderStream(sys.argv[1]) as stream:
    it = iter(stream)
    while True:
        t = time.perf_counter()
        chunk = list(itertools.islice(it, 100_000))
        stage["read"] += time.perf_counter() - t
        if not chunk:
            break
        t = time.perf_counter()
        decoded = []
        for msg in chunk:
            try:
                decoded.append(msg.decode().asdict())
            except Exception:
                continue
        stage["decode"] += time.perf_counter() - t
        n += len(decoded)
        t = time.perf_counter()
        rows = {"mmsi": [], "lon": [], "lat": [], "inside": []}
        for d in decoded:
            if d.get("msg_type") in (1, 2, 3, 18) and d["lat"] <= 90 and d["lon"] <= 180:
                rows["mmsi"].append(d["mmsi"]); rows["lon"].append(d["lon"]); rows["lat"].append(d["lat"])
                rows["inside"].append(area.contains(Point(d["lon"], d["lat"])))
        stage["geofence"] += time.perf_counter() - t
        t = time.perf_counter()
        con.from_arrow(pa.table(rows)).insert_into("positions")
        stage["store"] += time.perf_counter() - t
con.close()
wall = time.perf_counter() - t_start
print(json.dumps({"messages": n, "wall_s": wall, "stage_s": stage, "peak_rss_mb": peak_mb()}))
"""
)

CHILD_MDA = (
    PEAK
    + r"""
import json, sys, time
t_process = time.perf_counter()
from pathlib import Path
from mda.pipeline import run_files
from mda.timing import StageTimes
overall = [0.0]
def probe(when):
    if when == "start":
        overall[0] = max(overall[0], peak_mb())
        reset_peak()
        return 0.0
    value = peak_mb()
    overall[0] = max(overall[0], value)
    return value
times = StageTimes(probe=probe)
t0 = time.perf_counter()
summary = run_files([Path(sys.argv[1])], Path(sys.argv[2]), Path(sys.argv[3]), times=times)
wall = time.perf_counter() - t0
import_s = t0 - t_process
messages = sum(sum(a.messages_by_type.values()) for a in summary.accounting.values())
lines = sum(a.lines for a in summary.accounting.values())
print(json.dumps({
    "messages": messages, "lines": lines, "wall_s": wall, "import_s": import_s, "stage_s": times.seconds,
    "stage_peak_rss_mb": times.probed, "peak_rss_mb": max(overall[0], peak_mb()),
    "transits": summary.row_counts.get("transits", 0),
}))
"""
)

STAGES = ("decode", "store", "tracks", "geofence", "events", "publish")


def _tree_rss_mb(root: int) -> float:
    """Resident memory (MB) of ``root`` and every process under it (workers, forkserver).

    Each process's private memory (``RssAnon`` + ``RssShmem`` of ``/proc/PID/status``) is
    summed, its file-backed pages (shared libraries, mostly mapped by all) counted once, at
    the largest of any process: an upper bound of what the tree holds that, unlike PSS from
    ``smaps_rollup``, costs the kernel no page-table walk, so sampling does not slow the run.
    """
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    private_kb = file_kb = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = {k: v for k, _, v in (line.partition(":") for line in status.splitlines())}
        try:
            private_kb += int(fields["RssAnon"].split()[0]) + int(fields["RssShmem"].split()[0])
            file_kb = max(file_kb, int(fields["RssFile"].split()[0]))
        except (KeyError, IndexError, ValueError):
            continue  # a kernel thread or a process that just exited
    return (private_kb + file_kb) / 1024


def _child(code: str, *args: str) -> dict[str, Any]:
    """Run a child; its JSON result, plus ``tree_peak_rss_mb`` sampled every 0.1 s while it ran."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            peak[0] = max(peak[0], _tree_rss_mb(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = child.communicate()
    done.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"benchmark child failed ({child.returncode}): {stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    result["tree_peak_rss_mb"] = peak[0]
    return result


def _ratio(base: float | None, mine: float | None) -> float | None:
    return round(base / mine, 2) if base and mine else None


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median wall time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: float(r["wall_s"]))[(len(runs) - 1) // 2]


def measure(messages: float, seed: int, date: dt.date, work: Path, runs: int) -> dict[str, Any]:
    """Simulate one day of about ``messages`` messages and run the children on it.

    Plain pyais and mda run ``runs`` times each, alternately, each time on an empty store; the
    run of median wall time of each is reported (a day of a few seconds varies by several
    percent from run to run), with the largest peak RSS of its runs and every run's wall time.
    """
    from mda.simulate import simulate_day

    scale = max(messages - BASE_MESSAGES, MESSAGES_PER_SCALE / 10) / MESSAGES_PER_SCALE
    t0 = time.perf_counter()
    sim = simulate_day(date, seed, work, scale=scale)
    simulate_s = time.perf_counter() - t0
    path = str(sim.nmea_path)
    read = _child(CHILD_READ, path)
    base_runs, mda_runs = [], []
    for _ in range(runs):
        shutil.rmtree(work / "site", ignore_errors=True)
        for old in work.glob("*.duckdb*"):
            old.unlink()
        base_runs.append(_child(CHILD_PYAIS, path, str(work / "pyais.duckdb")))
        mda_runs.append(_child(CHILD_MDA, path, str(work / "mda.duckdb"), str(work / "site")))
    base, mda = _median(base_runs), _median(mda_runs)
    n = mda["messages"]
    stages: dict[str, dict[str, Any]] = {
        "read": {
            "wall_s": round(read["wall_s"], 2),
            "msg_per_s": round(n / read["wall_s"]),
            "peak_rss_mb": round(read["peak_rss_mb"]),
            "plain_pyais_s": round(base["stage_s"]["read"], 2),
        }
    }
    pyais_equivalent = {
        "decode": base["stage_s"]["read"] + base["stage_s"]["decode"],
        "geofence": base["stage_s"]["geofence"],
        "store": base["stage_s"]["store"],
    }
    for name in STAGES:
        secs = mda["stage_s"].get(name, 0.0)
        stages[name] = {
            "wall_s": round(secs, 2),
            "msg_per_s": round(n / secs) if secs else None,
            "peak_rss_mb": round(mda["stage_peak_rss_mb"].get(name, 0.0)),
            "plain_pyais_s": round(pyais_equivalent[name], 2) if name in pyais_equivalent else None,
            "ratio": _ratio(pyais_equivalent.get(name), secs),
        }
    return {
        "target_messages": int(messages),
        "scale": round(scale, 2),
        "lines": mda["lines"],
        "messages": n,
        "file_mb": round(sim.nmea_path.stat().st_size / 1e6, 1),
        "simulate_s": round(simulate_s, 1),
        "transits": mda["transits"],
        "stages": stages,
        "mda": {
            "wall_s": round(mda["wall_s"], 2),
            "import_s": round(mda["import_s"], 2),
            "process_s": round(mda["import_s"] + mda["wall_s"], 2),
            "msg_per_s": round(n / mda["wall_s"]),
            # memory: the largest of the runs
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in mda_runs)),
            "tree_peak_rss_mb": round(max(r["tree_peak_rss_mb"] for r in mda_runs)),
            "wall_s_runs": sorted(round(r["wall_s"], 2) for r in mda_runs),
        },
        "plain_pyais": {
            "messages": base["messages"],
            "wall_s": round(base["wall_s"], 2),
            "msg_per_s": round(base["messages"] / base["wall_s"]),
            "peak_rss_mb": round(max(r["peak_rss_mb"] for r in base_runs)),
            "tree_peak_rss_mb": round(max(r["tree_peak_rss_mb"] for r in base_runs)),
            "stage_s": {k: round(v, 2) for k, v in base["stage_s"].items()},
            "wall_s_runs": sorted(round(r["wall_s"], 2) for r in base_runs),
        },
        "runs": runs,
        "ratio_end_to_end": _ratio(base["wall_s"], mda["wall_s"]),
        "ratio_process": _ratio(base["wall_s"], mda["import_s"] + mda["wall_s"]),
    }


def markdown(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The results as Markdown: one summary table, then one stage table per size."""
    out = [
        "# Throughput",
        "",
        f"Measured {meta['date']} on {meta['machine']} with `{meta['command']}`; "
        "simulated strait days (seed {seed}). Plain pyais = FileReaderStream + decode + asdict, "
        "Shapely per point, DuckDB insert per chunk; it finds no tracks or events and publishes "
        "nothing, while mda runs the whole pipeline.".format(seed=meta["seed"]),
        "",
        "mda wall s is `run_files` from call to return; + imports adds the Python imports of the "
        "process (the whole command). Peak RSS is the main process's VmHWM; tree RSS is the "
        "largest resident memory of the process and its workers together (private pages summed, "
        "shared libraries once), sampled every 0.1 s. Runs: how many times each pipeline ran on "
        "the day, alternately, each on an empty store; the run of median wall time is reported "
        "(every run's wall time is in the JSON), with the largest peak RSS of the runs.",
        "",
        "| messages | lines | mda wall s | mda wall s + imports | mda msg/s | mda peak RSS MB "
        "| mda tree RSS MB | plain pyais wall s | plain pyais msg/s | plain pyais peak RSS MB "
        "| end-to-end ratio | ratio with imports | runs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        m, b = r["mda"], r["plain_pyais"]
        out.append(
            f"| {r['messages']:,} | {r['lines']:,} | {m['wall_s']} | {m['process_s']} | {m['msg_per_s']:,} "
            f"| {m['peak_rss_mb']} | {m['tree_peak_rss_mb']} | {b['wall_s']} | {b['msg_per_s']:,} "
            f"| {b['peak_rss_mb']} | {r['ratio_end_to_end']}x | {r['ratio_process']}x | {r['runs']} |"
        )
    for r in results:
        out += [
            "",
            f"## {r['messages']:,} messages ({r['file_mb']} MB of NMEA, {r['transits']} transits)",
            "",
            "| stage | mda s | mda msg/s | peak RSS MB in stage | plain pyais s | ratio |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, s in r["stages"].items():
            rate = f"{s['msg_per_s']:,}" if s["msg_per_s"] else "—"
            base = s["plain_pyais_s"] if s["plain_pyais_s"] is not None else "—"
            ratio = f"{s['ratio']}x" if s.get("ratio") else "—"
            out.append(f"| {name} | {s['wall_s']} | {rate} | {s['peak_rss_mb']} | {base} | {ratio} |")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=float, nargs="+", default=[1e6, 5e6, 2e7])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 24))
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs of each pipeline per day (median kept), for smaller days"
    )
    parser.add_argument(
        "--runs-up-to",
        type=float,
        default=5e6,
        help="days of more messages than this run once (their spread is small against their length)",
    )
    args = parser.parse_args()
    results = []
    for messages in args.messages:
        runs = max(1, args.runs) if messages <= args.runs_up_to else 1
        with tempfile.TemporaryDirectory() as tmp:
            print(f"measuring {messages:,.0f} messages ({runs} run(s)) ...", file=sys.stderr, flush=True)
            results.append(measure(messages, args.seed, args.date, Path(tmp), runs))
    meta = {
        "date": dt.date.today().isoformat(),
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "command": "python benchmarks/bench_suite.py "
        + " ".join(
            [
                *("--messages", *(f"{m:g}" for m in args.messages), "--seed", str(args.seed)),
                *("--runs", str(args.runs), "--runs-up-to", f"{args.runs_up_to:g}"),
            ]
        ),
        "seed": args.seed,
    }
    table = markdown(results, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "throughput.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    (args.out / "throughput.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
