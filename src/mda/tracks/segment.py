"""Order, deduplicate and segment positions into tracks.

Algorithm
---------
1. Sort by ``(mmsi, ts)`` and drop repeated fixes (same MMSI, time and position).
2. Within one MMSI, consecutive fixes whose implied speed exceeds ``max_speed_knots`` (and whose
   distance exceeds ``jitter_m``) cannot come from one ship.  MMSIs without such a jump form a
   single track (split only at silences longer than ``max_silence_s``).  For the few MMSIs with
   jumps, fixes are assigned greedily in time order to the most recently updated open track
   they can reach at a plausible speed, else to a new track — the segmenter used by Global
   Fishing Watch, so one MMSI shared (or spoofed) by two ships becomes two tracks instead of a
   zig-zag between them.

Output rows keep the positions schema plus ``track_id`` (int32, numbered per MMSI from 0 in
order of first fix), sorted by ``(mmsi, track_id, ts)``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mda.geo.distance import EARTH_RADIUS_M, METRES_PER_NM, haversine_m
from mda.params import TrackParams

_US = 1_000_000


def _ts_us(table: pa.Table, column: str = "ts") -> npt.NDArray[np.int64]:
    return np.asarray(pc.cast(table[column], pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


#: Open tracks of one MMSI above which a fix is compared with them in NumPy, not one by one.
_VECTOR_TRACKS = 32


def _reachable(
    dist_m: npt.NDArray[np.float64], dt_us: npt.NDArray[np.int64], params: TrackParams
) -> npt.NDArray[np.bool_]:
    max_m = params.max_speed_knots * METRES_PER_NM * (np.abs(dt_us) / _US) / 3600.0
    return (dist_m <= np.maximum(max_m, params.jitter_m)) & (np.abs(dt_us) <= params.max_silence_s * _US)


def _assign_greedy(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], ts: npt.NDArray[np.int64], params: TrackParams
) -> npt.NDArray[np.int32]:
    """Track ids for one MMSI's fixes (time-ordered) that contain impossible jumps.

    A fix joins the most recently updated track it can reach: within ``max_silence_s`` of
    that track's last fix, and no farther (great-circle metres) than ``max_speed_knots``
    over the elapsed time or ``jitter_m``, whichever is larger; else it opens a new track.
    Ties in the last update go to the track opened first.  An MMSI usually has a few
    tracks, compared one by one in plain floats; past :data:`_VECTOR_TRACKS` of them, in
    NumPy (:func:`mda.geo.distance.haversine_m`).
    """
    ids = np.empty(ts.size, dtype=np.int32)
    knots_m_per_h = params.max_speed_knots * METRES_PER_NM
    silence_us = params.max_silence_s * _US
    jitter_m = params.jitter_m
    # per track: the last fix's longitude and latitude (degrees), time (µs since the epoch),
    # latitude in radians and its cosine
    last_lon: list[float] = []
    last_lat: list[float] = []
    last_ts: list[int] = []
    last_phi: list[float] = []
    last_cos: list[float] = []
    for k, (x, y, t) in enumerate(zip(lon.tolist(), lat.tolist(), ts.tolist(), strict=True)):
        phi = math.radians(y)
        cos_phi = math.cos(phi)
        best = -1
        if len(last_ts) > _VECTOR_TRACKS:
            tracks_ts = np.array(last_ts, dtype=np.int64)
            d = haversine_m(
                np.array(last_lon), np.array(last_lat), np.full(len(last_lon), x), np.full(len(last_lat), y)
            )
            ok = np.flatnonzero(_reachable(d, t - tracks_ts, params))
            if ok.size:
                best = int(ok[np.argmax(tracks_ts[ok])])
        else:
            best_ts = 0
            for j, track_ts in enumerate(last_ts):
                dt_us = abs(t - track_ts)
                if dt_us > silence_us or (best >= 0 and track_ts <= best_ts):
                    continue
                a = (
                    math.sin((phi - last_phi[j]) / 2) ** 2
                    + last_cos[j] * cos_phi * math.sin(math.radians(x - last_lon[j]) / 2) ** 2
                )
                dist_m = 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))
                if dist_m <= max(knots_m_per_h * (dt_us / _US) / 3600.0, jitter_m):
                    best, best_ts = j, track_ts
        if best < 0:
            best = len(last_ts)
            last_lon.append(x)
            last_lat.append(y)
            last_ts.append(t)
            last_phi.append(phi)
            last_cos.append(cos_phi)
        else:
            last_lon[best], last_lat[best], last_ts[best] = x, y, t
            last_phi[best], last_cos[best] = phi, cos_phi
        ids[k] = best
    return ids


def segment_tracks(positions: pa.Table, params: TrackParams) -> pa.Table:
    """Return ``positions`` ordered, deduplicated and with a ``track_id`` column.

    Parameters
    ----------
    positions : pyarrow.Table
        Rows following :data:`mda.schemas.POSITIONS`; ``ts`` is the UTC receive time.
    params : TrackParams
        Speed (knots), jitter (metres) and silence (seconds) thresholds.

    Returns
    -------
    pyarrow.Table
        The input columns plus ``track_id`` (int32), sorted by ``(mmsi, track_id, ts)``.
    """
    if positions.num_rows == 0:
        return positions.append_column("track_id", pa.array([], pa.int32()))
    mmsi = positions["mmsi"].to_numpy(zero_copy_only=False).astype(np.int64)
    ts = _ts_us(positions)
    lon = positions["lon"].to_numpy(zero_copy_only=False).astype(np.float64)
    lat = positions["lat"].to_numpy(zero_copy_only=False).astype(np.float64)
    table = positions
    if not _is_sorted(mmsi, ts, lon, lat):
        order = fix_order(mmsi, ts, lon, lat)
        mmsi, ts, lon, lat = mmsi[order], ts[order], lon[order], lat[order]
        table = positions.take(order)
    keep = np.ones(mmsi.size, dtype=bool)
    keep[1:] = ~(
        (mmsi[1:] == mmsi[:-1]) & (ts[1:] == ts[:-1]) & (lon[1:] == lon[:-1]) & (lat[1:] == lat[:-1])
    )
    if not keep.all():
        mmsi, ts, lon, lat = mmsi[keep], ts[keep], lon[keep], lat[keep]
        table = table.filter(pa.array(keep))

    same = mmsi[1:] == mmsi[:-1]
    dist = haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:])
    dt = ts[1:] - ts[:-1]
    max_m = params.max_speed_knots * METRES_PER_NM * (dt / _US) / 3600.0
    jump = same & (dist > np.maximum(max_m, params.jitter_m))
    silence = same & (dt > params.max_silence_s * _US)

    # default: one track per MMSI, new track after each long silence
    starts = np.concatenate(([True], ~same | silence))
    run_start = np.flatnonzero(np.concatenate(([True], ~same)))
    cum = np.cumsum(starts) - 1
    track = (cum - cum[run_start][np.cumsum(np.concatenate(([True], ~same))) - 1]).astype(np.int32)

    jumpy = np.unique(mmsi[1:][jump])
    final: npt.NDArray[np.int64] | None = None
    if jumpy.size:
        final = np.arange(mmsi.size, dtype=np.int64)
        bounds = np.searchsorted(mmsi, jumpy, side="left"), np.searchsorted(mmsi, jumpy, side="right")
        for lo, hi in zip(*bounds, strict=True):
            track[lo:hi] = _assign_greedy(lon[lo:hi], lat[lo:hi], ts[lo:hi], params)
            final[lo:hi] = lo + np.lexsort((ts[lo:hi], track[lo:hi]))
    result = table.append_column("track_id", pa.array(track, pa.int32()))
    return result if final is None else result.take(final)


def fix_order(
    mmsi: npt.NDArray[np.int64],
    ts: npt.NDArray[np.int64],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
) -> npt.NDArray[np.int64]:
    """The permutation to ``(mmsi, ts, lon, lat)`` order: ``np.lexsort((lat, lon, ts, mmsi))``.

    Two stable sorts (by time, then by MMSI; each vessel's fixes mostly arrive in time order,
    which the stable sort exploits) give the ``(mmsi, ts)`` order, and only the rare fixes
    sharing an MMSI and a time are then ordered by place, which is several times faster than a
    four-key sort of every fix.  NaN coordinates sort last among their ties, as in lexsort.
    """
    order = np.argsort(ts, kind="stable")
    order = order[np.argsort(mmsi[order], kind="stable")]
    m, t = mmsi[order], ts[order]
    tie = (m[1:] == m[:-1]) & (t[1:] == t[:-1])
    if not tie.any():
        return np.asarray(order, dtype=np.int64)
    tied = np.zeros(order.size, dtype=bool)
    tied[1:] |= tie
    tied[:-1] |= tie
    at = np.flatnonzero(tied)
    group = np.cumsum(np.concatenate(([True], ~tie)))[at]  # one number per (mmsi, ts) tie
    rows = order[at]
    order[at] = rows[np.lexsort((lat[rows], lon[rows], group))]
    return np.asarray(order, dtype=np.int64)


def _is_sorted(
    mmsi: npt.NDArray[np.int64],
    ts: npt.NDArray[np.int64],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
) -> bool:
    """True when the fixes are already in ``(mmsi, ts, lon, lat)`` order (as the store reads them)."""
    if np.isnan(lon).any() or np.isnan(lat).any():
        return False
    before = mmsi[:-1] < mmsi[1:]
    tie = mmsi[:-1] == mmsi[1:]
    for a, b in ((ts[:-1], ts[1:]), (lon[:-1], lon[1:]), (lat[:-1], lat[1:])):
        before |= tie & (a < b)
        tie &= a == b
    return bool((before | tie).all())
