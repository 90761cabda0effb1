"""Shore receiving stations and the reception model.

Each transmission is heard by each station independently with probability

``p(d) = p_max / (1 + (d / d50) ** 4)`` for ``d < range_max``, else 0,

where ``d`` is the great-circle distance from the ship to the station (metres).  ``p_max`` is
well below one: the feed is a shared network that forwards only part of what a station
decodes (slot collisions, throttling), which keeps a realistic day of traffic small.  A
transmission heard by several stations appears once per station, with that station's id in
the tag block and its own receive time: the ship's transmission time plus a latency drawn in
``[0.05, 2)`` s per copy (:mod:`mda.simulate.emit`), so copies of one transmission arrive
within about 2 s of each other.

Guarantees the ground truth relies on (see :func:`receive`): every report of a sparse
reporter is heard by at least its best station; in coverage (summed probability at least
:data:`COVERAGE_MIN`) every :data:`FORCE_BIN_S`-second bin with position reports has a heard
one, so heard fixes are never more than twice that apart; the last report before and the
first after a transponder-off period are heard.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mda.simulate.geodesy import haversine_m

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Summed reception probability above which a ship counts as in coverage.
COVERAGE_MIN = 0.05
#: In coverage, at least one position report is heard in every bin of this length (seconds).
FORCE_BIN_S = 1200.0


@dataclass(frozen=True)
class Station:
    """A shore AIS receiving station.

    Attributes
    ----------
    code : str
        Station id written in the tag block ``s:`` field.
    lon, lat : float
        Antenna position, degrees.
    p_max : float
        Reception probability close to the station.
    d50_m : float
        Distance at which the probability halves, metres.
    range_max_m : float
        Distance beyond which nothing is heard, metres.
    """

    code: str
    lon: float
    lat: float
    p_max: float = 0.30
    d50_m: float = 95_000.0
    range_max_m: float = 230_000.0


STATIONS: tuple[Station, ...] = (
    Station("TW-FUGUI", 121.537, 25.290),
    Station("TW-TAICHUNG", 120.515, 24.270),
    Station("TW-PENGHU", 119.565, 23.570),
    Station("TW-KAOHSIUNG", 120.270, 22.620),
    Station("CN-PINGTAN", 119.790, 25.500),
    Station("CN-XIAMEN", 118.100, 24.480),
    Station("CN-DONGSHAN", 117.450, 23.700),
)


def reception_probability(
    lon: FloatArray, lat: FloatArray, stations: tuple[Station, ...] = STATIONS
) -> FloatArray:
    """Probability that each station hears a transmission from each position.

    Parameters
    ----------
    lon, lat : ndarray of float64, shape (n,)
        Ship positions, degrees.

    Returns
    -------
    ndarray of float64, shape (n, len(stations))
    """
    out = np.empty((lon.size, len(stations)), dtype=np.float64)
    for j, s in enumerate(stations):
        d = haversine_m(lon, lat, np.full_like(lon, s.lon), np.full_like(lat, s.lat))
        p = s.p_max / (1.0 + (d / s.d50_m) ** 4)
        out[:, j] = np.where(d < s.range_max_m, p, 0.0)
    return out


def receive(
    times: FloatArray,
    prob: FloatArray,
    is_position: BoolArray,
    rng: np.random.Generator,
    force_all: bool,
    force_times: FloatArray,
) -> npt.NDArray[np.bool_]:
    """Draw which stations hear which transmissions of one ship.

    Parameters
    ----------
    times : ndarray of float64, shape (n,)
        Transmission times (UTC unix seconds), sorted.
    prob : ndarray of float64, shape (n, stations)
        Reception probabilities from :func:`reception_probability`.
    is_position : ndarray of bool, shape (n,)
        True for position reports (the forcing rules apply to them only).
    rng : numpy.random.Generator
        The ship's random stream.
    force_all : bool
        Every position report is heard by at least its best station (sparse reporters).
    force_times : ndarray of float64
        Transmission times that must be heard (edges of transponder-off periods).

    Returns
    -------
    ndarray of bool, shape (n, stations)
        ``heard[i, j]`` is True when station ``j`` hears transmission ``i``.
    """
    n = times.size
    heard = rng.random(prob.shape) < prob
    if n == 0:
        return heard
    best = np.argmax(prob, axis=1)
    need = np.zeros(n, dtype=bool)
    if force_all:
        need |= is_position
    if force_times.size:
        need |= np.isin(times, force_times) & is_position
    # coverage rule: in every bin with an in-coverage position report, hear at least one
    covered = is_position & (prob.sum(axis=1) >= COVERAGE_MIN)
    idx = np.flatnonzero(covered)
    if idx.size:
        bins = np.floor(times[idx] / FORCE_BIN_S).astype(np.int64)
        any_heard = heard[idx].any(axis=1)
        starts = np.flatnonzero(np.r_[True, bins[1:] != bins[:-1]])
        bin_heard = np.logical_or.reduceat(any_heard, starts)
        need[idx[starts[~bin_heard]]] = True
    rows = np.flatnonzero(need & ~heard.any(axis=1))
    heard[rows, best[rows]] = True
    return heard
