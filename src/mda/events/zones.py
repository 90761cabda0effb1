"""Zone events: entry into, exit from and dwell in restricted waters and exercise areas.

Definition (parameters ``[zones]``): consecutive fixes of one track inside a zone, while the
zone is active (exercise areas only between their announced ``valid_from`` and ``valid_to``),
form a visit; fixes more than ``max_fix_gap_s`` apart break it.  ``start_ts`` is the first fix
inside (entry), ``end_ts`` the last fix inside (exit) and ``dwell_s`` their difference.  A visit
is over (``closed_ts``) at the first fix outside, or ``max_fix_gap_s`` after its last fix if
the track falls silent, and is emitted by the run whose interval contains ``closed_ts``.
Approximate zones (Taiwan 12/24 nm, Kinmen) carry ``approximate = true``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from mda import schemas
from mda.events.ids import event_id
from mda.geo.fences import Zone
from mda.geo.ops import inside
from mda.interval import Interval
from mda.tracks.arrays import TrackArrays, run_closure, runs

_US = 1_000_000


@dataclass(frozen=True)
class ZoneParams:
    """Zone-visit threshold: seconds."""

    max_fix_gap_s: float


def detect_zone_events(
    tracks: TrackArrays,
    zones: Sequence[Zone],
    params: ZoneParams,
    horizon_us: int,
    emit: Interval,
    params_version: str,
) -> pa.Table:
    """Zone visits whose ``closed_ts`` lies in ``emit`` and at or before ``horizon_us``."""
    n = tracks.size
    parts = []
    if n == 0:
        return schemas.ZONE_EVENTS.empty_table()
    gap = np.zeros(n, dtype=bool)
    gap[1:] = (tracks.ts[1:] - tracks.ts[:-1]) > params.max_fix_gap_s * _US
    breaks = tracks.run_starts() | gap
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    for zone in zones:
        active = np.ones(n, dtype=bool)
        if zone.valid_from is not None:
            active &= tracks.ts >= int(zone.valid_from.timestamp() * _US)
        if zone.valid_to is not None:
            active &= tracks.ts < int(zone.valid_to.timestamp() * _US)
        if not active.any():
            continue
        within = np.zeros(n, dtype=bool)
        within[active] = inside(zone.geometry, tracks.lon[active], tracks.lat[active])
        first, last = runs(within, breaks)
        closed = run_closure(tracks, last, breaks, int(params.max_fix_gap_s * _US))
        keep = (closed <= horizon_us) & (closed >= lo) & (closed < hi)
        a, b, closed = first[keep], last[keep], closed[keep]
        if a.size == 0:
            continue
        mmsi = tracks.mmsi[a]
        parts.append(
            schemas.event_table(
                {
                    "event_id": [
                        event_id(int(m), f"zone:{zone.zone_id}", int(t), zone.fence_version)
                        for m, t in zip(mmsi, tracks.ts[a], strict=True)
                    ],
                    "mmsi": pa.array(mmsi, pa.int32()),
                    "zone_id": [zone.zone_id] * a.size,
                    "zone_name": [zone.name] * a.size,
                    "zone_kind": [zone.kind] * a.size,
                    "approximate": [zone.approximate] * a.size,
                    "start_ts": tracks.ts[a],
                    "end_ts": tracks.ts[b],
                    "closed_ts": closed,
                    "dwell_s": (tracks.ts[b] - tracks.ts[a]) / _US,
                    "entry_lon": tracks.lon[a],
                    "entry_lat": tracks.lat[a],
                    "fence_version": [zone.fence_version] * a.size,
                    "params_version": [params_version] * a.size,
                },
                schemas.ZONE_EVENTS,
            )
        )
    return pa.concat_tables(parts) if parts else schemas.ZONE_EVENTS.empty_table()
