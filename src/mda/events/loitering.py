"""Loitering: slower than 2 kn for at least 2 h in the strait, away from ports and anchorages.

Definition (parameters ``[loitering]``): consecutive fixes of one track with speed over ground
below ``max_speed_knots``, inside the strait area and not within ``port_exclusion_m`` of a
port or anchorage point, form an episode; fixes more than ``max_fix_gap_s`` apart break it.
An episode lasting at least ``min_duration_s`` (first to last slow fix) is loitering.  Global
Fishing Watch uses an average speed below 2 kn; Starboard uses below 2 kn for 4 h.

An episode is over (``closed_ts``) at the next fix that is not loitering, or ``max_fix_gap_s``
after its last fix if the track falls silent; it is emitted by the run whose interval contains
``closed_ts``, and only once the data reach that time, so a run never reports a truncated
episode.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from mda import schemas
from mda.events.ids import event_id
from mda.interval import Interval
from mda.tracks.arrays import Bool, TrackArrays, run_closure, runs

_US = 1_000_000


@dataclass(frozen=True)
class LoiteringParams:
    """Loitering thresholds: knots, seconds, metres."""

    max_speed_knots: float
    min_duration_s: float
    max_fix_gap_s: float
    port_exclusion_m: float


def detect_loitering(
    tracks: TrackArrays,
    eligible: Bool,
    params: LoiteringParams,
    horizon_us: int,
    emit: Interval,
    fence_version: str,
    params_version: str,
) -> pa.Table:
    """Loitering episodes ending in ``emit``.

    Parameters
    ----------
    tracks : TrackArrays
        Segmented tracks.
    eligible : ndarray of bool
        Per fix: inside the strait area and away from ports (computed by the caller with
        :mod:`mda.geo.zones`).
    params : LoiteringParams
    horizon_us : int
        End of the data the caller read (UTC microseconds); episodes not yet closed then are
        not reported.
    emit : Interval
        Episodes whose ``closed_ts`` lies in it are returned.
    """
    n = tracks.size
    if n == 0:
        return schemas.LOITERING_EVENTS.empty_table()
    slow = eligible & (tracks.sog < params.max_speed_knots)
    gap = np.zeros(n, dtype=bool)
    gap[1:] = (tracks.ts[1:] - tracks.ts[:-1]) > params.max_fix_gap_s * _US
    breaks = tracks.run_starts() | gap
    first, last = runs(slow, breaks)
    duration = (tracks.ts[last] - tracks.ts[first]) / _US
    closed = run_closure(tracks, last, breaks, int(params.max_fix_gap_s * _US))
    lo, hi = int(emit.start.timestamp() * _US), int(emit.end.timestamp() * _US)
    keep = (duration >= params.min_duration_s) & (closed <= horizon_us) & (closed >= lo) & (closed < hi)
    first, last, duration, closed = first[keep], last[keep], duration[keep], closed[keep]
    rows: dict[str, list[object]] = {name: [] for name in schemas.LOITERING_EVENTS.names}
    for a, b, d, c in zip(first.tolist(), last.tolist(), duration.tolist(), closed.tolist(), strict=True):
        mmsi = int(tracks.mmsi[a])
        rows["event_id"].append(event_id(mmsi, "loitering", int(tracks.ts[a]), fence_version))
        rows["mmsi"].append(mmsi)
        rows["start_ts"].append(int(tracks.ts[a]))
        rows["end_ts"].append(int(tracks.ts[b]))
        rows["closed_ts"].append(c)
        rows["duration_s"].append(d)
        rows["lon"].append(float(np.median(tracks.lon[a : b + 1])))
        rows["lat"].append(float(np.median(tracks.lat[a : b + 1])))
        rows["fixes"].append(b - a + 1)
        rows["median_sog_knots"].append(float(np.nanmedian(tracks.sog[a : b + 1])))
        rows["fence_version"].append(fence_version)
        rows["params_version"].append(params_version)
    return schemas.event_table(dict(rows), schemas.LOITERING_EVENTS)
