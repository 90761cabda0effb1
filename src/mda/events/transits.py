"""Strait transits: an ordered crossing of both gates by one vessel.

Definition (mda fence set ``strait/v1``, parameters ``v1``)
------------------------------------------------------------
A transit is an inbound crossing of one gate followed, on the same track and with no gate
crossing in between, by an outbound crossing of the *other* gate within ``max_duration_s``
(72 h).  Entering from the north and leaving by the south gate is ``southbound``; the reverse is
``northbound``.  ``start_ts`` and ``end_ts`` are the entry and exit crossing times, interpolated
linearly along the segment between the two fixes that straddle each gate, so sparse reporters
(fixes 30 min apart) and vessels that go dark mid-strait still produce a transit.  Leaving by the
gate one entered (a U-turn) or staying inside (a port call in the strait) is not a transit.
Re-crossing a gate back and forth before sailing through counts once, from the last entry.

There is no public reference definition of a directional strait transit; this one follows the
gate-crossing approach used for chokepoint transit counts (e.g. IMF PortWatch) with gates
closed land to land so no track can pass around an end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mda import schemas
from mda.events.ids import event_id
from mda.geo.crossings import segment_crossings
from mda.geo.distance import METRES_PER_NM, haversine_m
from mda.geo.fences import FENCE_VERSION, Gate
from mda.geo.ops import east_of_line
from mda.interval import Interval
from mda.params import TransitParams
from mda.tracks.static import latest_static

_US = 1_000_000


@dataclass(frozen=True)
class _Route:
    distance_m: npt.NDArray[np.float64]
    lane: list[str]
    crossings: list[int]


def _route_figures(
    tracks: pa.Table,
    first: npt.NDArray[np.int64],
    last: npt.NDArray[np.int64],
    entry_lon: npt.NDArray[np.float64],
    entry_lat: npt.NDArray[np.float64],
    exit_lon: npt.NDArray[np.float64],
    exit_lat: npt.NDArray[np.float64],
    median_line: tuple[tuple[float, float], ...],
) -> _Route:
    """Distance sailed between the gates, lane and median-line crossings of each transit.

    The path of transit ``k`` is its entry point, the fixes ``first[k] + 1 .. last[k]`` of the
    track (strictly between the two gate crossings) and its exit point.  ``lane`` is ``east``
    or ``west`` of the median line for most of those fixes (``east`` on a tie or when there is
    none between the gates, judged by the entry and exit points), and ``median_line_crossings``
    counts the side changes along the path.
    """
    lon_all = tracks["lon"].to_numpy(zero_copy_only=False).astype(np.float64)
    lat_all = tracks["lat"].to_numpy(zero_copy_only=False).astype(np.float64)
    distance = np.zeros(first.size)
    lanes: list[str] = []
    crossings: list[int] = []
    for k in range(first.size):
        lon = np.concatenate(([entry_lon[k]], lon_all[first[k] + 1 : last[k] + 1], [exit_lon[k]]))
        lat = np.concatenate(([entry_lat[k]], lat_all[first[k] + 1 : last[k] + 1], [exit_lat[k]]))
        distance[k] = float(haversine_m(lon[:-1], lat[:-1], lon[1:], lat[1:]).sum())
        side = east_of_line(median_line, lon, lat)
        inner = side[1:-1] if side.size > 2 else side
        lanes.append("west" if int((inner < 0).sum()) > int((inner > 0).sum()) else "east")
        nonzero = side[side != 0]
        crossings.append(int((nonzero[1:] != nonzero[:-1]).sum()))
    return _Route(distance, lanes, crossings)


def gate_crossings(tracks: pa.Table, gates: tuple[Gate, ...]) -> pa.Table:
    """All crossings of the gates by the tracks.

    Parameters
    ----------
    tracks : pyarrow.Table
        Output of :func:`mda.tracks.segment.segment_tracks` (sorted by mmsi, track_id, ts).
    gates : tuple of Gate
        Gates to test.

    Returns
    -------
    pyarrow.Table
        Columns ``mmsi``, ``track_id``, ``gate``, ``inbound`` (bool: moving into the strait),
        ``ts_us`` (interpolated UTC crossing time, microseconds), ``next_ts_us`` (time of the
        fix after the crossing, which reveals it), ``fix`` (row of ``tracks`` where the crossed
        segment starts), ``lon``, ``lat`` (degrees); sorted by mmsi, track_id, ts_us.
    """
    mmsi = tracks["mmsi"].to_numpy(zero_copy_only=False).astype(np.int64)
    track = tracks["track_id"].to_numpy(zero_copy_only=False).astype(np.int64)
    ts = pc.cast(tracks["ts"], pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
    lon = tracks["lon"].to_numpy(zero_copy_only=False).astype(np.float64)
    lat = tracks["lat"].to_numpy(zero_copy_only=False).astype(np.float64)
    cols: dict[str, list[npt.NDArray[np.generic]]] = {
        k: [] for k in ("mmsi", "track_id", "gate", "inbound", "ts_us", "next_ts_us", "fix", "lon", "lat")
    }
    if tracks.num_rows >= 2:
        valid = (mmsi[1:] == mmsi[:-1]) & (track[1:] == track[:-1])
        for gate in gates:
            c = segment_crossings(lon, lat, valid, gate.coords)
            i = c.seg_index
            inward_sign = 1 if gate.inside_side == "left" else -1
            cols["mmsi"].append(mmsi[i])
            cols["track_id"].append(track[i])
            cols["gate"].append(np.full(i.size, gate.name, dtype=object))
            cols["inbound"].append(c.sign == inward_sign)
            cols["ts_us"].append(ts[i] + np.round(c.frac * (ts[i + 1] - ts[i])).astype(np.int64))
            cols["next_ts_us"].append(ts[i + 1])
            cols["fix"].append(i)
            cols["lon"].append(c.lon)
            cols["lat"].append(c.lat)
    arrays = {k: (np.concatenate(v) if v else np.empty(0)) for k, v in cols.items()}
    order = (
        np.lexsort((arrays["ts_us"], arrays["track_id"], arrays["mmsi"]))
        if arrays["mmsi"].size
        else np.empty(0, np.int64)
    )
    return pa.table(
        {
            "mmsi": pa.array(arrays["mmsi"][order], pa.int32()),
            "track_id": pa.array(arrays["track_id"][order], pa.int32()),
            "gate": pa.array(arrays["gate"][order].tolist(), pa.string()),
            "inbound": pa.array(arrays["inbound"][order], pa.bool_()),
            "ts_us": pa.array(arrays["ts_us"][order], pa.int64()),
            "next_ts_us": pa.array(arrays["next_ts_us"][order], pa.int64()),
            "fix": pa.array(arrays["fix"][order], pa.int64()),
            "lon": pa.array(arrays["lon"][order], pa.float64()),
            "lat": pa.array(arrays["lat"][order], pa.float64()),
        }
    )


def detect_transits(
    tracks: pa.Table,
    static: pa.Table,
    gates: tuple[Gate, Gate],
    params: TransitParams,
    interval: Interval,
    params_version: str,
    median_line: tuple[tuple[float, float], ...],
) -> pa.Table:
    """Detect the transits revealed inside ``interval``.

    Parameters
    ----------
    tracks : pyarrow.Table
        Segmented tracks (see :func:`mda.tracks.segment.segment_tracks`); should cover the
        interval padded by ``params.max_duration_s`` before it so transits that began earlier
        are found.
    static : pyarrow.Table
        Static reports (:data:`mda.schemas.VESSEL_STATIC`); each transit carries the name and
        ship type last reported at or before its ``end_ts``.
    gates : (Gate, Gate)
        North and south gates.
    params : TransitParams
        ``max_duration_s`` in seconds.
    interval : Interval
        Half-open UTC interval; a transit is emitted by the interval containing ``closed_ts``,
        the time of the first fix past the exit gate (the fix that reveals the crossing).
    params_version : str
        Recorded on each event.
    median_line : sequence of (lon, lat)
        The median line, for each transit's lane and number of median-line crossings.

    Returns
    -------
    pyarrow.Table
        Rows of :data:`mda.schemas.TRANSITS`, sorted by start_ts then mmsi.
    """
    x = gate_crossings(tracks, gates)
    n = x.num_rows
    if n < 2:
        return schemas.TRANSITS.empty_table()
    mmsi = x["mmsi"].to_numpy().astype(np.int64)
    track = x["track_id"].to_numpy().astype(np.int64)
    gate = np.array(x["gate"].to_pylist(), dtype=object)
    inbound = x["inbound"].to_numpy(zero_copy_only=False)
    ts = x["ts_us"].to_numpy()
    revealed = x["next_ts_us"].to_numpy()
    lon = x["lon"].to_numpy()
    lat = x["lat"].to_numpy()
    a, b = np.arange(n - 1), np.arange(1, n)
    pair = (
        (mmsi[a] == mmsi[b])
        & (track[a] == track[b])
        & inbound[a]
        & ~inbound[b]
        & (gate[a] != gate[b])
        & (ts[b] - ts[a] <= params.max_duration_s * _US)
        & (revealed[b] >= int(interval.start.timestamp() * _US))
        & (revealed[b] < int(interval.end.timestamp() * _US))
    )
    a, b = a[pair], b[pair]
    if a.size == 0:
        return schemas.TRANSITS.empty_table()
    attrs = latest_static(static, mmsi[a], ts[b], ("shipname", "ship_type"))
    fix = x["fix"].to_numpy()
    route = _route_figures(tracks, fix[a], fix[b], lon[a], lat[a], lon[b], lat[b], median_line)
    table = pa.table(
        {
            "event_id": [
                event_id(int(m), "transit", int(t), FENCE_VERSION)
                for m, t in zip(mmsi[a], ts[a], strict=True)
            ],
            "mmsi": pa.array(mmsi[a], pa.int32()),
            "direction": ["southbound" if g == "north" else "northbound" for g in gate[a]],
            "entry_gate": gate[a].tolist(),
            "exit_gate": gate[b].tolist(),
            "start_ts": pa.array(ts[a], pa.int64()).cast(schemas.TS),
            "end_ts": pa.array(ts[b], pa.int64()).cast(schemas.TS),
            "closed_ts": pa.array(revealed[b], pa.int64()).cast(schemas.TS),
            "duration_s": (ts[b] - ts[a]) / _US,
            "entry_lon": lon[a],
            "entry_lat": lat[a],
            "exit_lon": lon[b],
            "exit_lat": lat[b],
            "distance_m": route.distance_m,
            "mean_speed_knots": route.distance_m / METRES_PER_NM / ((ts[b] - ts[a]) / _US / 3600.0),
            "lane": route.lane,
            "median_line_crossings": pa.array(route.crossings, pa.int32()),
            "shipname": attrs["shipname"].cast(pa.string()),
            "ship_type": attrs["ship_type"].cast(pa.int16()),
            "fence_version": [FENCE_VERSION] * a.size,
            "params_version": [params_version] * a.size,
        },
        schema=schemas.TRANSITS,
    )
    return table.sort_by([("start_ts", "ascending"), ("mmsi", "ascending")])
