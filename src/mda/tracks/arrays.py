"""NumPy views of segmented tracks, shared by the detectors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mda.geo.distance import METRES_PER_NM, haversine_m

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]
_US = 1_000_000


@dataclass(frozen=True)
class TrackArrays:
    """Columns of segmented tracks as NumPy arrays, sorted by (mmsi, track_id, ts).

    Attributes
    ----------
    mmsi, track_id : ndarray of int64
    ts : ndarray of int64
        UTC receive time, microseconds since the Unix epoch.
    lon, lat : ndarray of float64
        Degrees WGS84.
    sog : ndarray of float64
        Speed over ground in knots: the reported value, or where it is missing the speed implied
        by the distance to the neighbouring fix of the same track (NaN for a lone fix).
    """

    mmsi: I64
    track_id: I64
    ts: I64
    lon: F64
    lat: F64
    sog: F64

    @property
    def size(self) -> int:
        """Number of fixes."""
        return int(self.ts.size)

    def same_track_next(self) -> Bool:
        """``out[i]`` is True when fix ``i + 1`` continues the track of fix ``i`` (length n - 1)."""
        return np.asarray((self.mmsi[1:] == self.mmsi[:-1]) & (self.track_id[1:] == self.track_id[:-1]))

    def mmsi_time_order(self) -> I64:
        """The permutation to ``(mmsi, ts)`` order, ties kept in track order (a stable sort).

        Fixes are stored by ``(mmsi, track_id, ts)``, so only MMSIs with several tracks need
        sorting: the others are already in order.
        """
        order = np.arange(self.size, dtype=np.int64)
        several = np.unique(self.mmsi[self.track_id > 0])
        if several.size:
            los = np.searchsorted(self.mmsi, several, side="left")
            his = np.searchsorted(self.mmsi, several, side="right")
            for lo, hi in zip(los.tolist(), his.tolist(), strict=True):
                order[lo:hi] = lo + np.argsort(self.ts[lo:hi], kind="stable")
        return order

    def run_starts(self) -> Bool:
        """True at the first fix of each track."""
        starts = np.ones(self.size, dtype=bool)
        starts[1:] = ~self.same_track_next()
        return starts


def track_arrays(tracks: pa.Table) -> TrackArrays:
    """Convert the output of :func:`mda.tracks.segment.segment_tracks` to :class:`TrackArrays`."""
    mmsi = tracks["mmsi"].to_numpy(zero_copy_only=False).astype(np.int64)
    track = tracks["track_id"].to_numpy(zero_copy_only=False).astype(np.int64)
    ts = pc.cast(tracks["ts"], pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
    lon = tracks["lon"].to_numpy(zero_copy_only=False).astype(np.float64)
    lat = tracks["lat"].to_numpy(zero_copy_only=False).astype(np.float64)
    speed = tracks["speed"].to_numpy(zero_copy_only=False)
    sog = np.array(
        [np.nan if v is None else v for v in speed] if speed.dtype == object else speed, dtype=np.float64
    )
    missing = np.flatnonzero(np.isnan(sog))
    if ts.size >= 2 and missing.size:
        # implied speed of the steps next to a missing value only: step k joins fixes k, k + 1
        steps = np.unique(np.concatenate((missing[missing < ts.size - 1], missing[missing > 0] - 1)))
        a, b = steps, steps + 1
        same = (mmsi[a] == mmsi[b]) & (track[a] == track[b])
        dt_h = (ts[b] - ts[a]) / _US / 3600.0
        with np.errstate(divide="ignore", invalid="ignore"):
            speed_k = haversine_m(lon[a], lat[a], lon[b], lat[b]) / METRES_PER_NM / dt_h
        implied = np.full(ts.size - 1, np.nan)
        implied[steps] = np.where(same & (dt_h > 0), speed_k, np.nan)
        fwd = np.concatenate((implied, [np.nan]))
        back = np.concatenate(([np.nan], implied))
        fill = np.where(np.isnan(fwd), back, fwd)
        sog[missing] = fill[missing]
    return TrackArrays(mmsi, track, ts, lon, lat, sog)


def runs(mask: Bool, breaks: Bool) -> tuple[I64, I64]:
    """Maximal runs of consecutive True values of ``mask`` that do not cross a break.

    Parameters
    ----------
    mask : ndarray of bool, shape (n,)
    breaks : ndarray of bool, shape (n,)
        ``breaks[i]`` True means fix ``i`` cannot continue a run from fix ``i - 1``.

    Returns
    -------
    first, last : ndarray of int64
        Index of the first and last fix of each run (inclusive).
    """
    n = mask.size
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    starts = mask & np.concatenate(([True], ~mask[:-1] | breaks[1:]))
    ends = mask & np.concatenate((~mask[1:] | breaks[1:], [True]))
    return np.flatnonzero(starts).astype(np.int64), np.flatnonzero(ends).astype(np.int64)


def run_closure(tracks: TrackArrays, last: I64, breaks: Bool, grace_us: int) -> I64:
    """When each run (ending at fix ``last``) is known to be over, UTC microseconds.

    A run is over at the next fix that continues its track without a break (that fix left the
    run's condition), or ``grace_us`` after its last fix when the track breaks or ends there —
    whichever the data shows first.  The result depends only on the data, never on where a
    processing window ends; callers emit a run only once its closure is at or before the data
    horizon.
    """
    n = tracks.size
    nxt = np.minimum(last + 1, n - 1)
    followed = (last + 1 < n) & ~breaks[nxt]
    by_fix = np.where(followed, tracks.ts[nxt], np.iinfo(np.int64).max)
    return np.asarray(np.minimum(by_fix, tracks.ts[last] + grace_us), dtype=np.int64)
