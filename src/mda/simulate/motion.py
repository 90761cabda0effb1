"""True ship paths and AIS report schedules.

True path
    A :class:`Track` is piecewise linear in (lon, lat) between knots at increasing times (UTC
    unix seconds).  Between two knots the ship either sails at constant speed over ground
    (``moving``) or lies still (anchored or moored: both knots at the same position).  Speed
    over ground is the great-circle length of the segment divided by its duration (knots); the
    course is the initial bearing of the segment (degrees true).  Because positions are linear
    in time within a segment, a crossing of the path with a polyline found in lon/lat has an
    exact time.

Report schedule (ITU-R M.1371-5, table 1 and 4)
    Class A position reports (types 1/2/3): every 3 min at anchor or moored while not moving
    faster than 3 kn, otherwise every 10 s below 14 kn, 6 s from 14 to 23 kn and 2 s above
    23 kn.  Class B "CS" reports (type 18): every 30 s above 2 kn, every 3 min at or below.
    Static data: type 5 every 6 min (class A), type 24 parts A and B every 6 min (class B).
    Each segment starts its reporting at a random phase of its interval; times inside a
    segment are then regular, as SOTDMA slots are.

All times are UTC unix seconds (float); a segment covers the half-open interval
``[t[i], t[i + 1])``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from mda.simulate.geodesy import KNOT_MS, bearing_deg, distance_m, haversine_m, metres_per_degree

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
LonLat = tuple[float, float]

#: Navigational status codes (ITU-R M.1371, message 1 field "navigational status").
NAV_UNDERWAY = 0
NAV_ANCHORED = 1
NAV_MOORED = 5
NAV_FISHING = 7

#: Static-data interval for both classes, seconds.
STATIC_INTERVAL_S = 360.0


@dataclass(frozen=True)
class Track:
    """A ship's true path.

    Attributes
    ----------
    t : ndarray of float64, shape (n,)
        Knot times, UTC unix seconds, strictly increasing.
    lon, lat : ndarray of float64, shape (n,)
        Knot positions, degrees.
    status : ndarray of int64, shape (n - 1,)
        Navigational status of each segment.
    moving : ndarray of bool, shape (n - 1,)
        False for segments where the ship lies still.
    sog_kn : ndarray of float64, shape (n - 1,)
        True speed over ground of each segment, knots (0 when not moving).
    cog_deg : ndarray of float64, shape (n - 1,)
        Course of each moving segment, or the heading the ship lies at when still, degrees.
    """

    t: FloatArray
    lon: FloatArray
    lat: FloatArray
    status: IntArray
    moving: BoolArray
    sog_kn: FloatArray
    cog_deg: FloatArray

    @property
    def start(self) -> float:
        """Time of the first knot (UTC unix seconds)."""
        return float(self.t[0])

    @property
    def end(self) -> float:
        """Time of the last knot (UTC unix seconds)."""
        return float(self.t[-1])

    def shifted(self, dt: float) -> Track:
        """The same path ``dt`` seconds later."""
        return replace(self, t=self.t + dt)

    def segment_at(self, times: FloatArray) -> IntArray:
        """Index of the segment containing each time (clipped to the first and last segment)."""
        seg = np.searchsorted(self.t, times, side="right") - 1
        return np.clip(seg, 0, self.t.size - 2).astype(np.int64)

    def position(self, times: FloatArray) -> tuple[FloatArray, FloatArray]:
        """True (lon, lat) in degrees at ``times`` (clamped to the track's ends)."""
        return np.interp(times, self.t, self.lon), np.interp(times, self.t, self.lat)

    def speed_at(self, times: FloatArray) -> FloatArray:
        """True speed over ground at ``times``, knots."""
        return self.sog_kn[self.segment_at(times)]


class TrackBuilder:
    """Builds a :class:`Track` leg by leg.

    Parameters
    ----------
    t0 : float
        Time of the first knot, UTC unix seconds.
    start : (float, float)
        First position (lon, lat), degrees.
    """

    def __init__(self, t0: float, start: LonLat) -> None:
        self._t = [float(t0)]
        self._lon = [float(start[0])]
        self._lat = [float(start[1])]
        self._status: list[int] = []
        self._moving: list[bool] = []
        self._heading: list[float] = []

    @property
    def now(self) -> float:
        """Time of the last knot, UTC unix seconds."""
        return self._t[-1]

    @property
    def here(self) -> LonLat:
        """Position of the last knot (lon, lat), degrees."""
        return self._lon[-1], self._lat[-1]

    def _append(self, t: float, p: LonLat, status: int, moving: bool, heading: float) -> None:
        if t <= self._t[-1]:
            raise ValueError("track knots must have increasing times")
        self._t.append(t)
        self._lon.append(float(p[0]))
        self._lat.append(float(p[1]))
        self._status.append(status)
        self._moving.append(moving)
        self._heading.append(heading)

    def sail(self, coords: Sequence[LonLat], speed_kn: float, status: int = NAV_UNDERWAY) -> TrackBuilder:
        """Sail straight legs through ``coords`` at ``speed_kn`` knots."""
        for p in coords:
            d = distance_m(self.here, p)
            if d < 1.0:
                continue
            self._append(self.now + d / (speed_kn * KNOT_MS), p, status, True, 0.0)
        return self

    def sail_until(
        self, coords: Sequence[LonLat], speed_kn: float, t_end: float, status: int = NAV_UNDERWAY
    ) -> TrackBuilder:
        """Like :meth:`sail` but stop at ``t_end`` (UTC unix seconds) part-way along a leg."""
        for p in coords:
            d = distance_m(self.here, p)
            if d < 1.0:
                continue
            dt = d / (speed_kn * KNOT_MS)
            if self.now + dt >= t_end:
                f = (t_end - self.now) / dt
                if f > 0:
                    q = (
                        self._lon[-1] + f * (p[0] - self._lon[-1]),
                        self._lat[-1] + f * (p[1] - self._lat[-1]),
                    )
                    self._append(t_end, q, status, True, 0.0)
                return self
            self._append(self.now + dt, p, status, True, 0.0)
        return self

    def stay(self, duration_s: float, status: int, heading: float = 0.0) -> TrackBuilder:
        """Lie still for ``duration_s`` seconds with navigational ``status`` at ``heading`` degrees."""
        if duration_s > 0:
            self._append(self.now + duration_s, self.here, status, False, heading)
        return self

    def stay_until(self, t_end: float, status: int, heading: float = 0.0) -> TrackBuilder:
        """Lie still until ``t_end`` (UTC unix seconds)."""
        return self.stay(t_end - self.now, status, heading)

    def knot(self, t: float, p: LonLat, status: int = NAV_UNDERWAY) -> TrackBuilder:
        """Move in a straight line to ``p`` arriving at time ``t`` (any speed)."""
        self._append(t, p, status, True, 0.0)
        return self

    def drift(
        self,
        rng: np.random.Generator,
        duration_s: float,
        speed_kn: tuple[float, float],
        status: int = NAV_UNDERWAY,
        leg_s: float = 1200.0,
    ) -> TrackBuilder:
        """Wander slowly around the present position.

        The ship sails legs of about ``leg_s`` seconds at a speed drawn from ``speed_kn``
        (knots) on headings that turn back towards the starting point once it is more than
        1.5 km away, so it stays within a few kilometres.
        """
        home = self.here
        t_end = self.now + duration_s
        heading = float(rng.uniform(0, 360))
        while self.now < t_end - 1.0:
            dt = min(leg_s * float(rng.uniform(0.7, 1.3)), t_end - self.now)
            speed = float(rng.uniform(*speed_kn))
            mx, my = metres_per_degree(self.here[1])
            ex, ny = (self.here[0] - home[0]) * mx, (self.here[1] - home[1]) * my
            if np.hypot(ex, ny) > 1500.0:
                heading = float(np.degrees(np.arctan2(-ex, -ny))) % 360.0 + float(rng.normal(0, 20))
            else:
                heading += float(rng.normal(0, 35))
            dist = speed * KNOT_MS * dt
            rad = np.radians(heading)
            p = (self.here[0] + dist * np.sin(rad) / mx, self.here[1] + dist * np.cos(rad) / my)
            self._append(self.now + dt, p, status, True, 0.0)
        return self

    def build(self) -> Track:
        """Return the finished track."""
        if len(self._t) < 2:
            raise ValueError("a track needs at least two knots")
        t = np.array(self._t)
        lon = np.array(self._lon)
        lat = np.array(self._lat)
        moving = np.array(self._moving, dtype=bool)
        dist = haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:])
        sog = np.where(moving, dist / np.diff(t) / KNOT_MS, 0.0)
        cog = np.where(moving, bearing_deg(lon[:-1], lat[:-1], lon[1:], lat[1:]), np.array(self._heading))
        # a still segment inherits the course of the leg before it when no heading was given
        for i in range(1, cog.size):
            if not moving[i] and self._heading[i] == 0.0:
                cog[i] = cog[i - 1]
        return Track(
            t=t,
            lon=lon,
            lat=lat,
            status=np.array(self._status, dtype=np.int64),
            moving=moving,
            sog_kn=sog,
            cog_deg=cog,
        )


def class_a_interval_s(status: IntArray, sog_kn: FloatArray) -> FloatArray:
    """Class A position-report interval (seconds) per ITU-R M.1371-5 table 1."""
    interval = np.where(sog_kn > 23.0, 2.0, np.where(sog_kn > 14.0, 6.0, 10.0))
    still = np.isin(status, (NAV_ANCHORED, NAV_MOORED)) & (sog_kn <= 3.0)
    return np.where(still, 180.0, interval)


def class_b_interval_s(sog_kn: FloatArray) -> FloatArray:
    """Class B "CS" position-report interval (seconds) per ITU-R M.1371-5 table 4."""
    return np.where(sog_kn > 2.0, 30.0, 180.0)


def segment_schedule(
    t: FloatArray, interval_s: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, IntArray]:
    """Regular report times within each segment.

    Parameters
    ----------
    t : ndarray of float64, shape (n,)
        Segment boundaries, UTC unix seconds.
    interval_s : ndarray of float64, shape (n - 1,)
        Reporting interval of each segment, seconds.
    rng : numpy.random.Generator
        Draws each segment's phase in ``[0, interval)``.

    Returns
    -------
    times : ndarray of float64
        Report times, sorted, each in its segment's ``[t[i], t[i + 1])``.
    seg : ndarray of int64
        Segment of each report.
    """
    start, end = t[:-1], t[1:]
    phase = rng.uniform(0.0, 1.0, start.size) * interval_s
    count = np.maximum(np.ceil((end - start - phase) / interval_s), 0).astype(np.int64)
    seg = np.repeat(np.arange(start.size, dtype=np.int64), count)
    first = np.cumsum(count) - count
    k = np.arange(seg.size, dtype=np.int64) - np.repeat(first, count)
    times = start[seg] + phase[seg] + k * interval_s[seg]
    keep = times < end[seg]
    return times[keep], seg[keep]


def periodic(t0: float, t1: float, period_s: float, rng: np.random.Generator) -> FloatArray:
    """Times ``t0 + phase + k * period_s`` inside ``[t0, t1)`` with a random phase."""
    phase = float(rng.uniform(0.0, period_s))
    n = max(int(np.ceil((t1 - t0 - phase) / period_s)), 0)
    times = t0 + phase + period_s * np.arange(n, dtype=np.float64)
    return times[times < t1]


def in_any(times: FloatArray, intervals: Sequence[tuple[float, float]]) -> BoolArray:
    """True where a time falls in one of the half-open ``intervals`` ``[start, end)``."""
    mask = np.zeros(times.shape, dtype=bool)
    for a, b in intervals:
        mask |= (times >= a) & (times < b)
    return mask
