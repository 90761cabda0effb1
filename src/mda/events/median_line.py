"""Median-line crossings: every crossing of the Taiwan Strait median line by a vessel track.

The median line (ROC Ministry of National Defense, 2019: 27N 122E to 23N 118E) is an
unofficial line that the PRC does not recognise; crossings are computed as for the gates, on
the segment between consecutive fixes, with the time and point interpolated linearly.
``direction`` is ``W->E`` when the vessel moves from the western (mainland) side to the eastern
(Taiwan) side, ``E->W`` otherwise.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from mda import schemas
from mda.events.ids import event_id
from mda.geo.crossings import segment_crossings
from mda.geo.ops import left_is_east
from mda.interval import Interval
from mda.tracks.arrays import TrackArrays


def detect_median_line_crossings(
    tracks: TrackArrays,
    line: tuple[tuple[float, float], ...],
    emit: Interval,
    fence_version: str,
    params_version: str,
) -> pa.Table:
    """Crossings of ``line`` known in ``emit`` (the fix after the crossing lies in it).

    Parameters
    ----------
    tracks : TrackArrays
        Segmented tracks.
    line : sequence of (lon, lat)
        The median line vertices, degrees.
    emit : Interval
        Half-open UTC interval; a crossing is emitted when the fix that reveals it lies in it.
    fence_version, params_version : str
        Recorded on each event.

    Returns
    -------
    pyarrow.Table
        :data:`mda.schemas.MEDIAN_LINE_CROSSINGS`; ``start_ts == end_ts`` is the crossing time.
    """
    if tracks.size < 2:
        return schemas.MEDIAN_LINE_CROSSINGS.empty_table()
    c = segment_crossings(tracks.lon, tracks.lat, tracks.same_track_next(), line)
    i = c.seg_index
    ts = tracks.ts[i] + np.round(c.frac * (tracks.ts[i + 1] - tracks.ts[i])).astype(np.int64)
    closed = tracks.ts[i + 1]
    lo, hi = int(emit.start.timestamp() * 1e6), int(emit.end.timestamp() * 1e6)
    keep = (closed >= lo) & (closed < hi)
    i, ts, closed, sign, lon, lat = i[keep], ts[keep], closed[keep], c.sign[keep], c.lon[keep], c.lat[keep]
    # a right-to-left crossing (sign +1) moves onto the line's left side
    to_east = (sign == 1) if left_is_east(line) else (sign == -1)
    mmsi = tracks.mmsi[i]
    return schemas.event_table(
        {
            "event_id": [
                event_id(int(m), "median_line_crossing", int(t), fence_version)
                for m, t in zip(mmsi, ts, strict=True)
            ],
            "mmsi": pa.array(mmsi, pa.int32()),
            "start_ts": ts,
            "end_ts": ts,
            "closed_ts": closed,
            "direction": np.where(to_east, "W->E", "E->W").tolist(),
            "lon": lon,
            "lat": lat,
            "fence_version": [fence_version] * len(ts),
            "params_version": [params_version] * len(ts),
        },
        schemas.MEDIAN_LINE_CROSSINGS,
    )
