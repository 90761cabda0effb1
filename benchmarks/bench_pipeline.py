"""End-to-end throughput of `mda run` against a plain-pyais pipeline on the same simulated file.

Usage::

    .venv/bin/python benchmarks/bench_pipeline.py [--scale 1] [--seed 1] [--date 2026-11-24] [--json OUT]

The plain-pyais baseline is what a first script would do: pyais ``FileReaderStream`` (which
parses tag blocks and assembles fragments), ``decode().asdict()`` per message, a Shapely
``contains`` per position against the strait area, and one bulk DuckDB insert of the positions.
Both pipelines run in child processes so their peak RSS is measured separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD_BASELINE = r"""
import sys, time, resource, duckdb, pyarrow as pa, shapely
from shapely.geometry import Point
import pyais
from mda.geo.fences import load_strait_area
area = load_strait_area()
t0 = time.perf_counter()
rows = {"mmsi": [], "lon": [], "lat": [], "inside": []}
n = 0
with pyais.FileReaderStream(sys.argv[1]) as stream:
    for msg in stream:
        try:
            d = msg.decode().asdict()
        except Exception:
            continue
        n += 1
        if d.get("msg_type") in (1, 2, 3, 18) and d["lat"] <= 90 and d["lon"] <= 180:
            rows["mmsi"].append(d["mmsi"]); rows["lon"].append(d["lon"]); rows["lat"].append(d["lat"])
            rows["inside"].append(area.contains(Point(d["lon"], d["lat"])))
con = duckdb.connect(sys.argv[2])
con.register("t", pa.table(rows))
con.execute("CREATE TABLE positions AS SELECT * FROM t")
con.close()
print(n, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

CHILD_MDA = r"""
import sys, time, resource
from pathlib import Path
from mda.pipeline import run_files
t0 = time.perf_counter()
s = run_files([Path(sys.argv[1])], Path(sys.argv[2]), Path(sys.argv[3]))
n = sum(sum(a.messages_by_type.values()) for a in s.accounting.values())
print(n, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _child(code: str, *args: str) -> tuple[int, float, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    n, secs, rss_kb = out.stdout.split()
    return int(n), float(secs), int(rss_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 24))
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()

    from mda.simulate import simulate_day

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        sim = simulate_day(args.date, args.seed, work, scale=args.scale)
        sim_s = time.perf_counter() - t0
        size_mb = sim.nmea_path.stat().st_size / 1e6
        base_n, base_s, base_rss = _child(CHILD_BASELINE, str(sim.nmea_path), str(work / "baseline.duckdb"))
        mda_n, mda_s, mda_rss = _child(
            CHILD_MDA, str(sim.nmea_path), str(work / "mda.duckdb"), str(work / "out")
        )
    result = {
        "date": args.date.isoformat(),
        "seed": args.seed,
        "scale": args.scale,
        "lines": sim.lines,
        "file_mb": round(size_mb, 1),
        "simulate_s": round(sim_s, 2),
        "baseline": {
            "messages": base_n,
            "wall_s": round(base_s, 2),
            "msg_per_s": round(base_n / base_s),
            "peak_rss_mb": round(base_rss),
        },
        "mda": {
            "messages": mda_n,
            "wall_s": round(mda_s, 2),
            "msg_per_s": round(mda_n / mda_s),
            "peak_rss_mb": round(mda_rss),
        },
        "speedup": round(base_s / mda_s, 2),
    }
    print(f"simulated day: {sim.lines:,} lines ({size_mb:.1f} MB), generated in {sim_s:.1f} s")
    print("| pipeline | messages | wall s | msg/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for name, r in (("baseline", result["baseline"]), ("mda", result["mda"])):
        print(f"| {name} | {r['messages']:,} | {r['wall_s']} | {r['msg_per_s']:,} | {r['peak_rss_mb']} |")
    print(
        f"mda / plain pyais speed ratio: {result['speedup']}x (baseline decodes, geofences and inserts only;"
        " mda also segments, detects transits and publishes)"
    )
    print(f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
