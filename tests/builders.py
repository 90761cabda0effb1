"""Builders for tiny hand-made tracks used by the unit tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

from mda import schemas

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def fix(mmsi: int, minutes: float, lon: float, lat: float, speed: float | None = 12.0) -> dict[str, object]:
    """One position row at ``T0 + minutes``."""
    return {
        "ts": T0 + dt.timedelta(minutes=minutes),
        "mmsi": mmsi,
        "msg_type": 1,
        "lon": lon,
        "lat": lat,
        "speed": speed,
        "source": "hand-built",
        "line_no": 1,
    }


def positions(rows: list[dict[str, object]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schemas.POSITIONS)


def track_line(
    mmsi: int, start: tuple[float, float], end: tuple[float, float], t0_min: float, t1_min: float, n: int
) -> list[dict[str, object]]:
    """``n`` fixes evenly spaced in time and space from ``start`` to ``end`` (lon, lat)."""
    out = []
    for k in range(n):
        f = k / (n - 1)
        out.append(
            fix(
                mmsi,
                t0_min + f * (t1_min - t0_min),
                start[0] + f * (end[0] - start[0]),
                start[1] + f * (end[1] - start[1]),
            )
        )
    return out


def table_digest(db: Path, tables: tuple[str, ...]) -> dict[str, tuple[int, int | None]]:
    """Rows and an order-free hash of them per table: equal digests mean equal tables."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} AS x").fetchone()  # noqa: S608 - fixed names
            for t in tables
        }
    finally:
        con.close()
