"""Run every detector over one window of tracks."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from shapely.geometry.base import BaseGeometry

from mda.events.encounters import concat_grids, encounter_grid, encounters_from_grid
from mda.events.gaps import detect_gaps
from mda.events.identity import (
    SwapEnds,
    cross_vessel_rows,
    identity_table,
    shared_mmsi_rows,
    swap_ends,
)
from mda.events.loitering import detect_loitering
from mda.events.median_line import detect_median_line_crossings
from mda.events.port_calls import detect_port_calls
from mda.events.transits import detect_transits
from mda.events.vessels import attach_to_all
from mda.events.zones import detect_zone_events
from mda.geo.fences import (
    FENCE_VERSION,
    Gate,
    Zone,
    load_gates,
    load_median_line,
    load_port_points,
    load_strait_area,
    load_zones,
)
from mda.geo.ops import inside
from mda.geo.ports import PortPoints
from mda.interval import Interval
from mda.params import Params
from mda.schemas import EVENT_TABLES
from mda.timing import StageTimes
from mda.tracks.arrays import Bool, TrackArrays, track_arrays

_US = 1_000_000
_M_PER_DEG = 111_320.0
_EVENT_ORDER: list[tuple[str, Literal["ascending", "descending"]]] = [
    ("start_ts", "ascending"),
    ("mmsi", "ascending"),
    ("event_id", "ascending"),
]


@dataclass(frozen=True)
class Fences:
    """The fence set the detectors use (see :mod:`mda.geo.fences`)."""

    gates: tuple[Gate, Gate]
    strait_area: BaseGeometry
    median_line: tuple[tuple[float, float], ...]
    zones: tuple[Zone, ...]
    ports: PortPoints


def load_fences() -> Fences:
    """Load the current fence set."""
    return Fences(
        gates=load_gates(),
        strait_area=load_strait_area(),
        median_line=tuple((float(x), float(y)) for x, y in load_median_line().coords),
        zones=load_zones(),
        ports=load_port_points(),
    )


@dataclass(frozen=True)
class TrackEvents:
    """What the detectors found in the tracks of one set of whole MMSIs.

    Attributes
    ----------
    events : dict of str to pyarrow.Table
        The events of one vessel each (transits, median-line crossings, zone events,
        loitering, gaps, port calls and shared-MMSI anomalies), without vessel attributes.
    encounter_grid : pyarrow.Table
        The vessels' slow stretches on the encounter grid (:func:`mda.events.encounters.encounter_grid`).
    swap_ends : SwapEnds
        Their candidate silences and appearances (:func:`mda.events.identity.swap_ends`).
    """

    events: dict[str, pa.Table]
    encounter_grid: pa.Table
    swap_ends: SwapEnds


@functools.lru_cache(maxsize=8)
def near_area(area: BaseGeometry, distance_m: float) -> BaseGeometry:
    """``area`` grown by ``distance_m`` metres (at a degree of latitude's length, 111,320 m).

    Built once per process for each area and distance (20 ms for the strait), not per bucket.
    """
    return area.buffer(distance_m / _M_PER_DEG)


def detect_track_events(
    tracks: pa.Table,
    static: pa.Table,
    window: Interval,
    emit: Interval,
    params: Params,
    fences: Fences,
    times: StageTimes | None = None,
) -> TrackEvents:
    """The events of single vessels in ``tracks``, and the inputs of the rules between vessels.

    ``tracks`` must hold every fix of the window for each of its MMSIs (a partition of the
    window by MMSI); the other arguments are those of :func:`detect_events`.  ``times``
    receives the ``geofence`` (strait, approach area, port distance) and ``events`` stages.
    """
    times = times or StageTimes()
    with times.stage("geofence"):
        arrays = track_arrays(tracks)
        in_strait = inside(fences.strait_area, arrays.lon, arrays.lat)
        near_strait = inside(near_area(fences.strait_area, params.gaps.near_m), arrays.lon, arrays.lat)
        near_port = fences.ports.nearest(arrays.lon, arrays.lat)
    with times.stage("events"):
        return _track_events(
            tracks, static, window, emit, params, fences, arrays, in_strait, near_strait, near_port
        )


def _track_events(
    tracks: pa.Table,
    static: pa.Table,
    window: Interval,
    emit: Interval,
    params: Params,
    fences: Fences,
    arrays: TrackArrays,
    in_strait: Bool,
    near_strait: Bool,
    near_port: tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]],
) -> TrackEvents:
    horizon = int(window.end.timestamp() * _US)
    pv = params.version
    port_dist = near_port[0]
    events = {
        "transits": detect_transits(
            tracks, static, fences.gates, params.transits, emit, pv, fences.median_line
        ),
        "median_line_crossings": detect_median_line_crossings(
            arrays, fences.median_line, emit, FENCE_VERSION, pv
        ),
        "zone_events": detect_zone_events(arrays, fences.zones, params.zones, horizon, emit, pv),
        "loitering_events": detect_loitering(
            arrays,
            in_strait & (port_dist > params.loitering.port_exclusion_m),
            params.loitering,
            horizon,
            emit,
            FENCE_VERSION,
            pv,
        ),
        "gap_events": detect_gaps(arrays, near_strait, params.gaps, emit, FENCE_VERSION, pv),
        "port_calls": detect_port_calls(
            arrays, fences.ports, params.port_calls, emit, FENCE_VERSION, pv, near_port
        ),
        "identity_anomalies": identity_table(shared_mmsi_rows(arrays, window, emit, pv)),
    }
    grid = encounter_grid(arrays, port_dist > params.encounters.port_exclusion_m, params.encounters)
    return TrackEvents(events, grid, swap_ends(arrays, params.identity))


def finish_events(
    parts: list[TrackEvents], static: pa.Table, window: Interval, emit: Interval, params: Params
) -> dict[str, pa.Table]:
    """Join the parts of a window partitioned by MMSI and add the rules between vessels.

    Encounters come from the joined encounter grids, identity swaps from the joined ends and
    several-names anomalies from ``static``; every table then gets the vessel's identity
    (:func:`mda.events.vessels.attach_vessel_attributes`) and is ordered by
    ``(start_ts, mmsi, event_id)``, so the result does not depend on the partition.
    """
    horizon = int(window.end.timestamp() * _US)
    pv = params.version
    encounters = encounters_from_grid(
        concat_grids([p.encounter_grid for p in parts]), params.encounters, horizon, emit, FENCE_VERSION, pv
    )
    ends = SwapEnds.join([p.swap_ends for p in parts])
    cross = identity_table(cross_vessel_rows(ends, static, params.identity, window, emit, pv))
    tables: dict[str, list[pa.Table]] = {name: [p.events[name] for p in parts] for name in parts[0].events}
    tables["encounters"] = [encounters]
    tables["identity_anomalies"].append(cross)
    joined = attach_to_all({name: pa.concat_tables(tables[name]) for name in EVENT_TABLES}, static)
    return {name: table.sort_by(_EVENT_ORDER) for name, table in joined.items()}


def detect_events(
    tracks: pa.Table, static: pa.Table, window: Interval, emit: Interval, params: Params, fences: Fences
) -> dict[str, pa.Table]:
    """Every event known inside ``emit``, from tracks covering ``window``.

    Parameters
    ----------
    tracks : pyarrow.Table
        Segmented tracks (:func:`mda.tracks.segment.segment_tracks`) of the data in ``window``.
    static : pyarrow.Table
        Static reports in ``window``.
    window : Interval
        The UTC span of data read: ``emit`` padded before so events that began earlier are
        whole.  Its end is the data horizon: events not yet over then are left for later runs.
    emit : Interval
        Events whose ``closed_ts`` lies here are returned.
    params : Params
        Thresholds of one parameter version.
    fences : Fences
        Geometry of one fence version.

    Returns
    -------
    dict of str to pyarrow.Table
        One table per name in :data:`EVENT_TABLES`, each with the vessel's identity attached
        (:func:`mda.events.vessels.attach_vessel_attributes`).  The same as
        :func:`finish_events` over :func:`detect_track_events` of any partition of ``tracks``
        by MMSI.
    """
    part = detect_track_events(tracks, static, window, emit, params, fences)
    return finish_events([part], static, window, emit, params)


def count_events(events: dict[str, pa.Table]) -> dict[str, int]:
    """Rows per event table."""
    return {name: int(events[name].num_rows) for name in EVENT_TABLES}


__all__ = [
    "EVENT_TABLES",
    "Fences",
    "TrackEvents",
    "count_events",
    "detect_events",
    "detect_track_events",
    "finish_events",
    "load_fences",
    "near_area",
]
