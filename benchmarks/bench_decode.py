"""Decode throughput: plain pyais against mda ingest to Arrow, fast path off and on.

Usage::

    .venv/bin/python benchmarks/bench_decode.py [--scale 2] [--seed 1] [--date 2026-11-24] [--json OUT]

A simulated day (``simulate_day``; scale 2 is about 1 M lines) is written once; each decoder
then runs in its own child process, so peak RSS (``VmHWM``, which starts afresh at exec) is
measured separately:

* ``pyais``: ``FileReaderStream`` + ``decode()`` + ``asdict()`` per message (no tables);
* ``mda fast=off``: :func:`mda.sources.open.open_decoder` to Arrow batches, pyais path only;
* ``mda fast=on``: the same with the vectorised fast path.

Messages/s counts decoded messages (pyais: every message it decoded; mda: kept messages).
Prints a Markdown table and the ratio of each run's speed to plain pyais.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PEAK = r"""
import resource
def peak_mb():
    # VmHWM starts afresh at exec; ru_maxrss keeps the forking parent's high-water mark
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

CHILD_PYAIS = (
    PEAK
    + r"""
import sys, time
import pyais
t0 = time.perf_counter()
n = 0
with pyais.FileReaderStream(sys.argv[1]) as stream:
    for msg in stream:
        try:
            msg.decode().asdict()
        except Exception:
            continue
        n += 1
print(n, time.perf_counter() - t0, peak_mb())
"""
)

CHILD_MDA = (
    PEAK
    + r"""
import sys, time
from pathlib import Path
import mda.decode.nmea as nmea
fast = sys.argv[2] == "on"
original = nmea.NmeaDecoder.__init__
def init(self, *args, **kwargs):
    original(self, *args, fast=fast, **kwargs)
nmea.NmeaDecoder.__init__ = init
from mda.sources.open import open_decoder
t0 = time.perf_counter()
source = open_decoder(Path(sys.argv[1]), "nmea", chunk_lines=int(sys.argv[3]))
rows = 0
for batch in source:
    rows += batch.positions.num_rows
n = sum(source.accounting.messages_by_type.values())
print(n, time.perf_counter() - t0, peak_mb())
"""
)


def _child(code: str, *args: str) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    n, secs, rss_mb = out.stdout.split()
    return int(n), float(secs), float(rss_mb)


def main() -> None:
    """Simulate a day, decode it three ways and print the Markdown table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 24))
    parser.add_argument("--chunk-lines", type=int, default=200_000)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()

    from mda.simulate import simulate_day

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        sim = simulate_day(args.date, args.seed, Path(tmp), scale=args.scale)
        sim_s = time.perf_counter() - t0
        size_mb = sim.nmea_path.stat().st_size / 1e6
        path, chunk = str(sim.nmea_path), str(args.chunk_lines)
        runs = {
            "plain pyais": _child(CHILD_PYAIS, path),
            "mda fast=off": _child(CHILD_MDA, path, "off", chunk),
            "mda fast=on": _child(CHILD_MDA, path, "on", chunk),
        }
    base_rate = runs["plain pyais"][0] / runs["plain pyais"][1]
    result = {
        "lines": sim.lines,
        "file_mb": round(size_mb, 1),
        "simulate_s": round(sim_s, 2),
        "runs": {
            name: {
                "messages": n,
                "wall_s": round(secs, 2),
                "msg_per_s": round(n / secs),
                "peak_rss_mb": round(rss),
                "vs_pyais": round(n / secs / base_rate, 2),
            }
            for name, (n, secs, rss) in runs.items()
        },
    }
    print(f"simulated day: {sim.lines:,} lines ({size_mb:.1f} MB), generated in {sim_s:.1f} s")
    print("| decoder | messages | wall s | msg/s | peak RSS MB | x plain pyais |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in result["runs"].items():  # type: ignore[attr-defined]
        print(
            f"| {name} | {r['messages']:,} | {r['wall_s']} | {r['msg_per_s']:,} | {r['peak_rss_mb']} |"
            f" {r['vs_pyais']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
