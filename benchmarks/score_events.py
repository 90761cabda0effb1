"""Accuracy of the event detectors against the simulator's ground truth, over several seeds.

Usage::

    .venv/bin/python benchmarks/score_events.py [--seeds 1 2 3] [--date 2026-11-24] [--json OUT]

For each seed: simulate a day, run the whole pipeline on it, and match detected events to the
truth (same MMSI — the same pair for encounters —, same direction, overlapping times).  Prints
precision, recall and F1 per event kind and the median gate-time error of transits, with the
targets they are held to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from pathlib import Path

import duckdb

from mda.accuracy import Score, score
from mda.pipeline import run_files
from mda.simulate import simulate_day

TARGETS = {"transits": 0.98, "loitering": 0.95, "gaps": 0.95, "encounters": 0.95}


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[dict[str, object]]:
    result = con.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def score_day(day: dt.date, seed: int, work: Path) -> dict[str, Score]:
    """Simulate one day, run the pipeline and score every event kind with a ground truth."""
    sim = simulate_day(day, seed, work / "raw")
    db = work / "mda.duckdb"
    run_files([sim.nmea_path], db, work / "publish")
    truth = json.loads(sim.truth_path.read_text())
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = {
            t: _rows(con, t)
            for t in ("transits", "loitering_events", "gap_events", "encounters", "port_calls")
        }
    finally:
        con.close()
    pair = lambda e: tuple(sorted((e.get("mmsi_a", e.get("mmsi")), e.get("mmsi_b", e.get("other_mmsi")))))  # noqa: E731
    return {
        "transits": score(truth["transits"], found["transits"], lambda e: (e["mmsi"], e["direction"])),
        "loitering": score(truth["loitering"], found["loitering_events"], lambda e: e["mmsi"]),
        "gaps": score(truth["gaps"], found["gap_events"], lambda e: e["mmsi"]),
        "encounters": score(truth["encounters"], found["encounters"], pair),
        # a vessel already in port at midnight arrived before the data: its call starts at 00:00
        "port_calls": score(
            [
                {**p, "arrival_ts": p["arrival_ts"] or truth["day_start"]}
                for p in truth["port_calls"]
                if p["departure_ts"]
            ],
            found["port_calls"],
            lambda e: e["mmsi"],
            truth_start="arrival_ts",
            truth_end="departure_ts",
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2026, 11, 24))
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    totals: dict[str, list[Score]] = {}
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            for kind, s in score_day(args.date, seed, Path(tmp)).items():
                totals.setdefault(kind, []).append(s)
    print(f"seeds {args.seeds}, {args.date}")
    print("| events | true | detected | matched | precision | recall | F1 | target F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    figures = {}
    for kind, scores in totals.items():
        true = sum(s.true for s in scores)
        det = sum(s.detected for s in scores)
        hit = sum(s.matched for s in scores)
        p = hit / det if det else 1.0
        r = hit / true if true else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        target = TARGETS.get(kind)
        print(f"| {kind} | {true} | {det} | {hit} | {p:.3f} | {r:.3f} | {f1:.3f} | {target or '-'} |")
        errors = sorted(e for s in scores for e in s.time_errors_s)
        figures[kind] = {"true": true, "detected": det, "matched": hit, "precision": p, "recall": r, "f1": f1}
        if kind == "transits" and errors:
            median = errors[len(errors) // 2]
            figures[kind]["median_gate_time_error_s"] = median
            print(
                f"transits: median gate-time error {median:.0f} s (target <= 600 s), max {errors[-1]:.0f} s"
            )
        for s in scores:
            for m in s.missed[:3]:
                print(f"  missed {kind}: {m}")
            for m in s.spurious[:3]:
                print(f"  spurious {kind}: { {k: m[k] for k in list(m)[:6]} }")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
