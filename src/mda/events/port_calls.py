"""Port calls: entry into a port or anchorage area, a stop, and exit.

Definition (parameters ``[port_calls]``, after Global Fishing Watch's port-visit rules): a
vessel enters a port when it comes within ``enter_m`` (3 km) of one of the port's berth or
anchorage points and leaves when it is farther than ``leave_m`` (4 km) from all of them —
the hysteresis keeps a vessel idling at the edge from producing a string of visits.  A visit
is a port call when the vessel stopped during it (speed over ground below ``stop_knots``,
0.2 kn).  ``start_ts`` is the first fix inside, ``end_ts`` the last fix inside; the call is
over (``closed_ts``) at the first fix outside and emitted by the run whose interval contains
it.  A vessel still in port is not reported yet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from mda import schemas
from mda.events.ids import event_id
from mda.geo.ports import PortPoints
from mda.interval import Interval
from mda.tracks.arrays import TrackArrays, runs

_US = 1_000_000


@dataclass(frozen=True)
class PortCallParams:
    """Port-call thresholds: metres and knots."""

    enter_m: float
    leave_m: float
    stop_knots: float


def port_state(
    tracks: TrackArrays,
    ports: PortPoints,
    params: PortCallParams,
    near: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per fix: whether the vessel is in a port (with hysteresis) and the nearest port index.

    ``near`` is ``ports.nearest(tracks.lon, tracks.lat)`` when the caller has it already.
    """
    dist, nearest = ports.nearest(tracks.lon, tracks.lat) if near is None else near
    starts = tracks.run_starts()
    event = np.where(dist < params.enter_m, 1, np.where(dist > params.leave_m, 0, -1))
    event = np.where(starts & (event < 0), 0, event)
    idx = np.where(event >= 0, np.arange(tracks.size), 0)
    np.maximum.accumulate(idx, out=idx)
    return event[idx] == 1, nearest


def detect_port_calls(
    tracks: TrackArrays,
    ports: PortPoints,
    params: PortCallParams,
    emit: Interval,
    fence_version: str,
    params_version: str,
    near: tuple[np.ndarray, np.ndarray] | None = None,
) -> pa.Table:
    """Port calls whose ``closed_ts`` (first fix outside) lies in ``emit``.

    ``near`` is ``ports.nearest(tracks.lon, tracks.lat)`` (metres, point index) when the
    caller has it already.
    """
    n = tracks.size
    if n == 0:
        return schemas.PORT_CALLS.empty_table()
    inside, nearest = port_state(tracks, ports, params, near)
    starts = tracks.run_starts()
    first, last = runs(inside, starts)
    nxt = np.minimum(last + 1, n - 1)
    left = (last + 1 < n) & ~starts[nxt]
    closed = tracks.ts[nxt]
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    keep = left & (closed >= lo) & (closed < hi)
    rows: dict[str, list[object]] = {name: [] for name in schemas.PORT_CALLS.names}
    for a, b, c in zip(first[keep].tolist(), last[keep].tolist(), closed[keep].tolist(), strict=True):
        if not np.nanmin(tracks.sog[a : b + 1]) < params.stop_knots:
            continue
        mmsi = int(tracks.mmsi[a])
        port = int(nearest[a])
        rows["event_id"].append(event_id(mmsi, "port_call", int(tracks.ts[a]), fence_version))
        rows["mmsi"].append(mmsi)
        rows["port"].append(ports.name[port])
        rows["country"].append(ports.country[port])
        rows["start_ts"].append(int(tracks.ts[a]))
        rows["end_ts"].append(int(tracks.ts[b]))
        rows["closed_ts"].append(c)
        rows["duration_s"].append((int(tracks.ts[b]) - int(tracks.ts[a])) / _US)
        rows["fence_version"].append(fence_version)
        rows["params_version"].append(params_version)
    return schemas.event_table(dict(rows), schemas.PORT_CALLS)
