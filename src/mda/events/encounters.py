"""Encounters: two vessels within 500 m of each other for at least 2 h, both slow, away from ports.

Definition (parameters ``[encounters]``, after Global Fishing Watch's encounter rule): each
track's slow, port-free stretches (speed over ground below ``candidate_knots``, not within
``port_exclusion_m`` of a port or anchorage point) are resampled onto a regular UTC grid of
``step_s`` seconds by linear interpolation between fixes at most ``max_fix_gap_s`` apart.
Pairs of vessels less than ``max_distance_m`` apart at the same grid time are found with a
spatial–temporal index (grid time × cells of about 1 km, neighbouring cells only: never all
pairs).  Consecutive grid times of one pair form an episode; an episode of at least
``min_duration_s`` whose median speed, for both vessels, is below ``max_median_knots`` is an
encounter.  It is over (``closed_ts``) at the next grid time when both vessels are seen apart,
or ``max_fix_gap_s`` after its end otherwise, and is emitted by the run whose interval
contains ``closed_ts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mda import schemas
from mda.events.ids import event_id
from mda.geo.distance import haversine_m
from mda.interval import Interval
from mda.tracks.arrays import Bool, TrackArrays, runs

_US = 1_000_000
CELL_DEG = 0.01

#: Pairs of grid points of two vessels at one grid time in the same or a neighbouring cell.
#: Each point of ``b`` is repeated for the 9 cells around its own, so the join is an equality
#: on ``(t, cell)`` (a hash join on time alone would pair every two points at that time).
_PAIRS_SQL = """
SELECT a.t, a.v AS va, b.v AS vb, a.lon AS lon_a, a.lat AS lat_a, b.lon AS lon_b, b.lat AS lat_b,
       a.sog AS sog_a, b.sog AS sog_b
FROM grid AS a
JOIN (
    SELECT g.*, g.cx + dx AS nx, g.cy + dy AS ny
    FROM grid AS g, (VALUES (-1), (0), (1)) AS x(dx), (VALUES (-1), (0), (1)) AS y(dy)
) AS b ON a.t = b.t AND a.cx = b.nx AND a.cy = b.ny
WHERE a.mmsi < b.mmsi
"""


@dataclass(frozen=True)
class EncounterParams:
    """Encounter thresholds: metres, seconds, knots."""

    max_distance_m: float
    min_duration_s: float
    max_median_knots: float
    candidate_knots: float
    step_s: float
    max_fix_gap_s: float
    port_exclusion_m: float


def _grid(tracks: TrackArrays, candidate: Bool, params: EncounterParams) -> dict[str, npt.NDArray[Any]]:
    """Resample candidate stretches of every track onto the UTC grid."""
    step = int(params.step_s * _US)
    gap = np.zeros(tracks.size, dtype=bool)
    gap[1:] = (tracks.ts[1:] - tracks.ts[:-1]) > params.max_fix_gap_s * _US
    first, last = runs(candidate, tracks.run_starts() | gap)
    parts: dict[str, list[npt.NDArray[Any]]] = {k: [] for k in ("t", "v", "mmsi", "lon", "lat", "sog")}
    for stretch, (a, b) in enumerate(zip(first.tolist(), last.tolist(), strict=True)):
        t0 = -(-int(tracks.ts[a]) // step)
        t1 = int(tracks.ts[b]) // step
        if t1 < t0:
            continue
        t = np.arange(t0, t1 + 1, dtype=np.int64)
        ts = tracks.ts[a : b + 1]
        parts["t"].append(t)
        parts["v"].append(np.full(t.size, stretch, dtype=np.int64))
        parts["mmsi"].append(np.full(t.size, tracks.mmsi[a], dtype=np.int64))
        parts["lon"].append(np.interp(t * step, ts, tracks.lon[a : b + 1]))
        parts["lat"].append(np.interp(t * step, ts, tracks.lat[a : b + 1]))
        parts["sog"].append(np.interp(t * step, ts, tracks.sog[a : b + 1]))
    if not parts["t"]:
        return {k: np.empty(0) for k in parts}
    return {k: np.concatenate(v) for k, v in parts.items()}


#: Columns of an encounter grid (see :func:`encounter_grid`).
_GRID_FIELDS: list[pa.Field[Any]] = [
    pa.field("t", pa.int64()),
    pa.field("v", pa.int64()),
    pa.field("mmsi", pa.int64()),
    pa.field("lon", pa.float64()),
    pa.field("lat", pa.float64()),
    pa.field("sog", pa.float64()),
    pa.field("cx", pa.int64()),
    pa.field("cy", pa.int64()),
]
GRID_SCHEMA = pa.schema(_GRID_FIELDS)


def encounter_grid(tracks: TrackArrays, away_from_ports: Bool, params: EncounterParams) -> pa.Table:
    """The slow, port-free stretches of ``tracks`` resampled onto the UTC grid.

    Returns
    -------
    pyarrow.Table
        :data:`GRID_SCHEMA`: grid time ``t`` (multiples of ``step_s`` since the epoch), stretch
        ``v`` (numbered from 0 in track order), MMSI, interpolated position (degrees) and speed
        (knots), index cell ``cx, cy`` (``CELL_DEG`` degrees).  Grids of disjoint sets of
        vessels are joined by :func:`concat_grids`.
    """
    candidate = away_from_ports & (np.nan_to_num(tracks.sog, nan=np.inf) < params.candidate_knots)
    grid = _grid(tracks, candidate, params)
    if grid["t"].size == 0:
        return GRID_SCHEMA.empty_table()
    return pa.table(
        {
            **{k: pa.array(grid[k]) for k in ("t", "v", "mmsi", "lon", "lat", "sog")},
            "cx": np.floor(grid["lon"] / CELL_DEG).astype(np.int64),
            "cy": np.floor(grid["lat"] / CELL_DEG).astype(np.int64),
        },
        schema=GRID_SCHEMA,
    )


def concat_grids(grids: list[pa.Table]) -> pa.Table:
    """One grid from the grids of disjoint sets of vessels, stretches renumbered apart."""
    parts, offset = [], 0
    for grid in grids:
        if grid.num_rows == 0:
            continue
        v = grid["v"].to_numpy() + offset
        offset = int(v.max()) + 1
        parts.append(grid.set_column(grid.schema.get_field_index("v"), "v", pa.array(v, pa.int64())))
    return pa.concat_tables(parts) if parts else GRID_SCHEMA.empty_table()


def detect_encounters(
    tracks: TrackArrays,
    away_from_ports: Bool,
    params: EncounterParams,
    horizon_us: int,
    emit: Interval,
    fence_version: str,
    params_version: str,
) -> pa.Table:
    """Encounters whose ``closed_ts`` lies in ``emit``; one row per pair (lower MMSI first)."""
    grid = encounter_grid(tracks, away_from_ports, params)
    return encounters_from_grid(grid, params, horizon_us, emit, fence_version, params_version)


def encounters_from_grid(
    table: pa.Table,
    params: EncounterParams,
    horizon_us: int,
    emit: Interval,
    fence_version: str,
    params_version: str,
) -> pa.Table:
    """Encounters whose ``closed_ts`` lies in ``emit``, from a grid of :func:`encounter_grid`.

    ``horizon_us`` is the data horizon (UTC microseconds): encounters not proven over by then
    are left for a later run.
    """
    if table.num_rows == 0:
        return schemas.ENCOUNTERS.empty_table()
    grid = {name: table[name].to_numpy() for name in ("t", "v", "mmsi")}
    con = duckdb.connect()
    try:
        con.register("grid", table)
        pairs = con.execute(_PAIRS_SQL).to_arrow_table()
    finally:
        con.close()
    if pairs.num_rows == 0:
        return schemas.ENCOUNTERS.empty_table()
    p = {name: pairs[name].to_numpy() for name in pairs.column_names}
    dist = haversine_m(p["lon_a"], p["lat_a"], p["lon_b"], p["lat_b"])
    close = dist < params.max_distance_m
    p = {k: v[close] for k, v in p.items()}
    dist = dist[close]
    order = np.lexsort((p["t"], p["vb"], p["va"]))
    p = {k: v[order] for k, v in p.items()}
    dist = dist[order]
    n = dist.size
    brk = np.ones(n, dtype=bool)
    brk[1:] = (p["va"][1:] != p["va"][:-1]) | (p["vb"][1:] != p["vb"][:-1]) | (p["t"][1:] != p["t"][:-1] + 1)
    first, last = runs(np.ones(n, dtype=bool), brk)
    step = int(params.step_s * _US)
    present = set(zip(grid["v"].tolist(), grid["t"].tolist(), strict=True))
    vessel_mmsi = dict(zip(grid["v"].tolist(), grid["mmsi"].tolist(), strict=False))
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    rows: dict[str, list[object]] = {name: [] for name in schemas.ENCOUNTERS.names}
    for a, b in zip(first.tolist(), last.tolist(), strict=True):
        start, end = int(p["t"][a]) * step, int(p["t"][b]) * step
        if end - start < params.min_duration_s * _US:
            continue
        after = int(p["t"][b]) + 1
        seen_apart = (int(p["va"][a]), after) in present and (int(p["vb"][a]), after) in present
        closed = after * step if seen_apart else end + int(params.max_fix_gap_s * _US)
        if closed > horizon_us or not lo <= closed < hi:
            continue  # still going on at the data horizon, or known in another interval
        if max(np.median(p["sog_a"][a : b + 1]), np.median(p["sog_b"][a : b + 1])) >= params.max_median_knots:
            continue
        mmsi, other = int(vessel_mmsi[int(p["va"][a])]), int(vessel_mmsi[int(p["vb"][a])])
        rows["event_id"].append(event_id(mmsi, f"encounter:{other}", start, fence_version))
        rows["mmsi"].append(mmsi)
        rows["other_mmsi"].append(other)
        rows["start_ts"].append(start)
        rows["end_ts"].append(end)
        rows["closed_ts"].append(closed)
        rows["duration_s"].append((end - start) / _US)
        rows["lon"].append(float(np.median(p["lon_a"][a : b + 1])))
        rows["lat"].append(float(np.median(p["lat_a"][a : b + 1])))
        rows["median_distance_m"].append(float(np.median(dist[a : b + 1])))
        rows["fence_version"].append(fence_version)
        rows["params_version"].append(params_version)
    return schemas.event_table(dict(rows), schemas.ENCOUNTERS)
