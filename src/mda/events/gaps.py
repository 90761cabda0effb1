"""AIS gaps: a vessel underway that stops reporting for at least 6 h in or near the strait.

Definition (parameters ``[gaps]``): two consecutive fixes of one track at least
``min_gap_s`` apart, where the vessel was underway at the fix before (speed over ground at
least ``min_speed_knots``) and both fixes lie within the strait area buffered by
``near_m``.  The event runs from the last fix before to the first fix after the silence and
records the distance between them and the implied speed.  Global Fishing Watch requires
12 h and more than 50 nm from shore, which would exclude almost the whole strait.

A gap is known only when the first fix after it arrives, so it is emitted by the interval
containing its ``end_ts``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from mda import schemas
from mda.events.ids import event_id
from mda.geo.distance import METRES_PER_NM, haversine_m
from mda.interval import Interval
from mda.tracks.arrays import Bool, TrackArrays

_US = 1_000_000


@dataclass(frozen=True)
class GapParams:
    """Gap thresholds: seconds, knots, metres."""

    min_gap_s: float
    min_speed_knots: float
    near_m: float


def detect_gaps(
    tracks: TrackArrays,
    near_strait: Bool,
    params: GapParams,
    emit: Interval,
    fence_version: str,
    params_version: str,
) -> pa.Table:
    """Gaps whose closing fix (``end_ts``) lies in ``emit``.

    Parameters
    ----------
    tracks : TrackArrays
    near_strait : ndarray of bool
        Per fix: inside the strait area buffered by ``params.near_m``.
    """
    if tracks.size < 2:
        return schemas.GAP_EVENTS.empty_table()
    a = np.arange(tracks.size - 1)
    b = a + 1
    dt = tracks.ts[b] - tracks.ts[a]
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    hit = (
        tracks.same_track_next()
        & (dt >= params.min_gap_s * _US)
        & (np.nan_to_num(tracks.sog[a], nan=0.0) >= params.min_speed_knots)
        & near_strait[a]
        & near_strait[b]
        & (tracks.ts[b] >= lo)
        & (tracks.ts[b] < hi)
    )
    a, b, dt = a[hit], b[hit], dt[hit]
    dist = haversine_m(tracks.lon[a], tracks.lat[a], tracks.lon[b], tracks.lat[b])
    mmsi = tracks.mmsi[a]
    return schemas.event_table(
        {
            "event_id": [
                event_id(int(m), "gap", int(t), fence_version)
                for m, t in zip(mmsi, tracks.ts[a], strict=True)
            ],
            "mmsi": pa.array(mmsi, pa.int32()),
            "start_ts": tracks.ts[a],
            "end_ts": tracks.ts[b],
            "closed_ts": tracks.ts[b],
            "duration_s": dt / _US,
            "start_lon": tracks.lon[a],
            "start_lat": tracks.lat[a],
            "end_lon": tracks.lon[b],
            "end_lat": tracks.lat[b],
            "distance_m": dist,
            "implied_speed_knots": dist / METRES_PER_NM / (dt / _US / 3600.0),
            "fence_version": [fence_version] * int(a.size),
            "params_version": [params_version] * int(a.size),
        },
        schemas.GAP_EVENTS,
    )
