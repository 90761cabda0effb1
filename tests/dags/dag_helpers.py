"""Builders for the DAG tests: simulated days in a collector's landing layout, store hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import duckdb

from mda.simulate import simulate_day
from mda.sources.collect import FeedKind, LandingWriter

#: the repository's DAG folder
DAGS = Path(__file__).resolve().parents[2] / "dags"
SOURCE = "sim"
SEED = 7
SCALE = 0.05
_TIME = re.compile(rb"c:(\d+)")


class Clock:
    """A settable receive clock (seconds since the Unix epoch)."""

    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def land_simulated_day(
    day: dt.date, landing: Path, scratch: Path, *, until: dt.datetime | None = None
) -> int:
    """Simulate ``day`` and land its lines hour by hour as a collector would; return lines landed.

    Lines are received at their own ``c:`` time; with ``until``, reception stops there (the
    later hours are missing).
    """
    sim = simulate_day(day, SEED, scratch, scale=SCALE)
    start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    stop = (until or start + dt.timedelta(days=1)).timestamp()
    clock = Clock(start.timestamp())
    landed = 0
    with LandingWriter(landing, SOURCE, FeedKind.NMEA, now=clock) as writer:
        batch: list[bytes] = []
        with sim.nmea_path.open("rb") as fh:
            for raw in fh:
                match = _TIME.search(raw)
                t = float(match.group(1)) if match else clock.t
                if t >= stop:
                    break
                if t > clock.t and batch:
                    landed += writer.write_lines(batch)
                    batch = []
                clock.t = max(clock.t, t)
                batch.append(raw.rstrip(b"\r\n"))
        landed += writer.write_lines(batch)
        clock.t = stop
    return landed


def table_hashes(db: Path, tables: list[str]) -> dict[str, str]:
    """SHA-256 of every table's rows in a canonical order (``ORDER BY ALL``)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in tables:
            rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()  # noqa: S608 - fixed names
            out[table] = hashlib.sha256(repr(rows).encode()).hexdigest() + f":{len(rows)}"
        return out
    finally:
        con.close()
