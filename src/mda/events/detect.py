"""Run every detector over one window of tracks."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from shapely.geometry.base import BaseGeometry

from mda.events.encounters import detect_encounters
from mda.events.gaps import detect_gaps
from mda.events.identity import detect_identity_anomalies
from mda.events.loitering import detect_loitering
from mda.events.median_line import detect_median_line_crossings
from mda.events.port_calls import detect_port_calls
from mda.events.transits import detect_transits
from mda.events.vessels import attach_vessel_attributes
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
from mda.tracks.arrays import track_arrays

_US = 1_000_000
_M_PER_DEG = 111_320.0


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
        (:func:`mda.events.vessels.attach_vessel_attributes`).
    """
    arrays = track_arrays(tracks)
    horizon = int(window.end.timestamp() * _US)
    pv = params.version
    in_strait = inside(fences.strait_area, arrays.lon, arrays.lat)
    near = fences.strait_area.buffer(params.gaps.near_m / _M_PER_DEG)
    near_strait = inside(near, arrays.lon, arrays.lat)
    port_dist, _ = fences.ports.nearest(arrays.lon, arrays.lat)
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
        "encounters": detect_encounters(
            arrays,
            port_dist > params.encounters.port_exclusion_m,
            params.encounters,
            horizon,
            emit,
            FENCE_VERSION,
            pv,
        ),
        "port_calls": detect_port_calls(arrays, fences.ports, params.port_calls, emit, FENCE_VERSION, pv),
        "identity_anomalies": detect_identity_anomalies(arrays, static, params.identity, window, emit, pv),
    }
    return {name: attach_vessel_attributes(table, static) for name, table in events.items()}


def count_events(events: dict[str, pa.Table]) -> dict[str, int]:
    """Rows per event table."""
    return {name: int(events[name].num_rows) for name in EVENT_TABLES}


__all__ = ["EVENT_TABLES", "Fences", "count_events", "detect_events", "load_fences"]
