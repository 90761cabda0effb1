"""What the publishers read from the store, gathered once (tables in, nothing written).

:class:`StoreView` holds the event logs of the whole store (statistics need history: weekly
and monthly counts, the 28-day baseline) and the drawing detail (transit fixes, position
density) of the published interval only.  The helpers here are pure functions over Arrow
tables; :func:`mda.pipeline.publish` fills the view from :mod:`mda.store.read`.

Lane rule: a transit's lane is the side of the median line on which most of its fixes between
the gates lie (``east``: towards Taiwan, ``west``: towards the mainland); a tie or a transit
without fixes takes the side of the midpoint of its gate crossings.  The median line of
``boundaries/v1`` is one straight segment, so the side is the sign of a cross product.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mda import schemas
from mda.geo.fences import load_median_line
from mda.identity import flag_of, ship_category
from mda.interval import Interval

#: Cell size of the traffic-density grid, degrees (~5.5 km).
DENSITY_CELL_DEG = 0.05


@dataclass(frozen=True)
class Vessel:
    """What the store says about one MMSI: last name and ship type seen, claimed flag."""

    mmsi: int
    name: str | None
    ship_type: int | None
    flag: str | None
    category: str | None


@dataclass
class StoreView:
    """Tables read from the store for one publication.

    Attributes
    ----------
    interval : Interval
        The published half-open UTC interval (whole days).
    history : Interval
        Half-open UTC interval of all stored days (statistics across days).
    events : dict of str to pyarrow.Table
        Every row of each event log of :data:`mda.events.detect.EVENT_TABLES`, whole store.
    fixes : pyarrow.Table
        ``event_id, ts, lon, lat`` of the transits ending in ``interval``.
    lanes : dict of str to str
        Lane (``east`` or ``west``) of every stored transit, by ``event_id``.
    vessels : dict of int to Vessel
        Identity of every MMSI appearing in the events.
    density : list of (lat, lon, weight)
        Position reports of ``interval`` per grid cell (cell centre, reports).
    """

    interval: Interval
    history: Interval
    events: dict[str, pa.Table]
    fixes: pa.Table
    lanes: dict[str, str] = field(default_factory=dict)
    vessels: dict[int, Vessel] = field(default_factory=dict)
    density: list[tuple[float, float, float]] = field(default_factory=list)

    def in_interval(self, table: str, interval: Interval | None = None) -> pa.Table:
        """Rows of an event log whose ``end_ts`` lies in ``interval`` (default: the published one)."""
        return events_ending_in(self.events[table], interval or self.interval)


def events_ending_in(events: pa.Table, interval: Interval) -> pa.Table:
    """Rows whose ``end_ts`` lies in the half-open UTC ``interval``."""
    ts = events["end_ts"].cast(schemas.TS)
    start = pa.scalar(interval.start, schemas.TS)
    end = pa.scalar(interval.end, schemas.TS)
    return events.filter(pc.and_(pc.greater_equal(ts, start), pc.less(ts, end)))


def east_of_median(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """True for points (degrees) east of the median line (right of its south-to-north direction)."""
    coords = list(load_median_line().coords)
    (x0, y0), (x1, y1) = sorted([coords[0], coords[-1]], key=lambda c: c[1])
    cross = (x1 - x0) * (lat - y0) - (y1 - y0) * (lon - x0)
    return cast(npt.NDArray[np.bool_], cross < 0)


def transit_lanes(transits: pa.Table, fixes: pa.Table) -> dict[str, str]:
    """Lane (``east``/``west`` of the median line) of each transit, by ``event_id``.

    Parameters
    ----------
    transits : pyarrow.Table
        Rows of the ``transits`` log.
    fixes : pyarrow.Table
        ``event_id, ts, lon, lat``; only fixes between the transit's gate times count.
    """
    votes: dict[str, int] = defaultdict(int)
    if fixes.num_rows:
        windows = {
            str(r["event_id"]): (r["start_ts"], r["end_ts"])
            for r in transits.select(["event_id", "start_ts", "end_ts"]).to_pylist()
        }
        east = east_of_median(
            fixes["lon"].to_numpy(zero_copy_only=False), fixes["lat"].to_numpy(zero_copy_only=False)
        )
        ids = cast(list[str], fixes["event_id"].to_pylist())
        times = cast(list[dt.datetime], fixes["ts"].to_pylist())
        for event_id, ts, is_east in zip(ids, times, east.tolist(), strict=True):
            window = windows.get(event_id)
            if window is not None and window[0] <= ts <= window[1]:
                votes[event_id] += 1 if is_east else -1
    lanes = {}
    for r in transits.select(["event_id", "entry_lon", "entry_lat", "exit_lon", "exit_lat"]).to_pylist():
        vote = votes.get(str(r["event_id"]), 0)
        if vote == 0:
            mid_lon = np.array([(r["entry_lon"] + r["exit_lon"]) / 2])
            mid_lat = np.array([(r["entry_lat"] + r["exit_lat"]) / 2])
            vote = 1 if bool(east_of_median(mid_lon, mid_lat)[0]) else -1
        lanes[str(r["event_id"])] = "east" if vote > 0 else "west"
    return lanes


def vessel_lookup(static: pa.Table, transits: pa.Table, mmsis: list[int]) -> dict[int, Vessel]:
    """Identity of each MMSI: the last static report's name and type, else the transit log's.

    Parameters
    ----------
    static : pyarrow.Table
        ``vessel_static`` rows (any order; the latest ``ts`` wins).
    transits : pyarrow.Table
        Transit log rows (their ``shipname``/``ship_type`` fill MMSIs without static reports).
    mmsis : list of int
        Every MMSI to describe.
    """
    names: dict[int, str] = {}
    types: dict[int, int] = {}
    for source in (transits, static):  # the static reports override the transit log
        ts = "start_ts" if "start_ts" in source.column_names else "ts"
        shipname = cast("pa.ChunkedArray[pa.StringScalar]", source["shipname"].cast(pa.string()))
        named = pc.fill_null(pc.greater(pc.utf8_length(shipname), pa.scalar(0, pa.int32())), pa.scalar(False))
        for mmsi, name in _latest(
            source.filter(cast("pa.ChunkedArray[pa.BooleanScalar]", named)), ts, "shipname"
        ).items():
            names[mmsi] = str(name).strip()
        typed = pc.fill_null(pc.not_equal(source["ship_type"], pa.scalar(0, pa.int16())), pa.scalar(False))
        for mmsi, ship_type in _latest(
            source.filter(cast("pa.ChunkedArray[pa.BooleanScalar]", typed)), ts, "ship_type"
        ).items():
            types[mmsi] = int(ship_type)
    wanted = sorted(set(mmsis))
    flags = flag_of(pa.array(wanted, pa.int64()))[0].to_pylist()
    cats = ship_category(pa.array([types.get(m) for m in wanted], pa.int64())).to_pylist()
    return {
        m: Vessel(m, names.get(m), types.get(m), flag, cat)
        for m, flag, cat in zip(wanted, flags, cats, strict=True)
    }


def _latest(rows: pa.Table, ts: str, column: str) -> dict[int, Any]:
    """The value of ``column`` in each MMSI's latest row by ``ts`` (of equal times, the last)."""
    if rows.num_rows == 0:
        return {}
    order = pc.sort_indices(rows, [(ts, "ascending")]).to_numpy()  # stable: ties keep row order
    mmsi = rows["mmsi"].to_numpy(zero_copy_only=False)[order][::-1]
    found, first = np.unique(mmsi, return_index=True)  # first of the reversed = latest
    values = rows[column].take(pa.array(order[::-1][first])).to_pylist()
    return dict(zip(found.tolist(), values, strict=True))


def density_points(cells: pa.Table, cell_deg: float = DENSITY_CELL_DEG) -> list[tuple[float, float, float]]:
    """Grid cell counts as ``(lat, lon, reports)`` at cell centres (degrees).

    ``cells`` holds ``iy, ix, reports`` as :func:`mda.store.read.read_density` returns them.
    """
    iy = cells["iy"].to_numpy().tolist()
    ix = cells["ix"].to_numpy().tolist()
    counts = cells["reports"].to_numpy().tolist()
    return [
        (round((y + 0.5) * cell_deg, 4), round((x + 0.5) * cell_deg, 4), float(n))
        for y, x, n in zip(iy, ix, counts, strict=True)
    ]


def event_mmsis(events: dict[str, Any]) -> list[int]:
    """Every MMSI (and ``other_mmsi``) named in the event logs."""
    found: set[int] = set()
    for table in events.values():
        for column in ("mmsi", "other_mmsi"):
            if column in table.column_names:
                found.update(int(v) for v in table[column].drop_null().to_pylist())
    return sorted(found)


def _event_identities(events: dict[str, pa.Table]) -> pa.Table:
    """Name and ship type carried by every event, as ``ts, mmsi, shipname, ship_type`` rows."""
    parts = [
        table.select(["end_ts", "mmsi", "shipname", "ship_type"]).rename_columns(
            ["ts", "mmsi", "shipname", "ship_type"]
        )
        for table in events.values()
        if {"shipname", "ship_type"} <= set(table.column_names)
    ]
    if not parts:
        return pa.table(
            {
                "ts": pa.array([], schemas.TS),
                "mmsi": pa.array([], pa.int32()),
                "shipname": pa.array([], pa.string()),
                "ship_type": pa.array([], pa.int16()),
            }
        )
    return pa.concat_tables([p.cast(parts[0].schema) for p in parts])


def build_view(
    interval: Interval,
    history: Interval,
    events: dict[str, pa.Table],
    day_reader: Callable[[Interval], tuple[pa.Table, pa.Table, pa.Table]],
) -> StoreView:
    """Assemble a :class:`StoreView`, reading the published days one at a time.

    Only the days of ``interval`` that hold data are read; statistics across ``history`` come
    from the event logs alone (each transit carries its lane, each event its vessel's name
    and type), so publishing a day costs the same whatever the store's age.

    Parameters
    ----------
    interval : Interval
        The published interval (whole UTC days).
    history : Interval
        All stored days (whole UTC days); contains ``interval``'s days that hold data.
    events : dict of str to pyarrow.Table
        Every event log, whole store.
    day_reader : callable
        Given a one-day interval, returns ``(density cells, vessel_static, transit_fixes)`` of
        it: the cells as :func:`mda.store.read.read_density` with :data:`DENSITY_CELL_DEG`.
    """
    transits = events["transits"]
    lanes: dict[str, str] = {}
    if "lane" in transits.column_names:  # the detector records each transit's lane
        ids, sides = transits["event_id"].to_pylist(), transits["lane"].to_pylist()
        lanes.update({str(i): str(side) for i, side in zip(ids, sides, strict=True) if side is not None})
    # names and types of vessels seen on other days come from the events themselves
    statics: list[pa.Table] = [_event_identities(events)]
    fixes: list[pa.Table] = []
    density: dict[tuple[float, float], float] = defaultdict(float)
    for day in interval.days():
        one = Interval.for_day(day)
        cells, static, day_fixes = day_reader(one)
        if cells.num_rows == 0 and day_fixes.num_rows == 0:
            continue
        statics.append(static.select(["ts", "mmsi", "shipname", "ship_type"]))
        missing = events_ending_in(transits, one)
        if missing.num_rows and not lanes.keys() >= set(missing["event_id"].to_pylist()):
            lanes.update(transit_lanes(missing, day_fixes))
        fixes.append(day_fixes)
        for lat, lon, weight in density_points(cells):
            density[(lat, lon)] += weight
    static_all = (
        pa.concat_tables(statics)
        if statics
        else pa.table(
            {
                "ts": pa.array([], schemas.TS),
                "mmsi": pa.array([], pa.int32()),
                "shipname": pa.array([], pa.string()),
                "ship_type": pa.array([], pa.int16()),
            }
        )
    )
    empty_fixes = pa.table(
        {
            "event_id": pa.array([], schemas.TRANSIT_FIX_ID),
            "ts": pa.array([], schemas.TS),
            "lon": pa.array([], pa.float64()),
            "lat": pa.array([], pa.float64()),
        }
    )
    return StoreView(
        interval=interval,
        history=history,
        events=events,
        fixes=pa.concat_tables(fixes) if fixes else empty_fixes,
        lanes=lanes,
        vessels=vessel_lookup(static_all, transits, event_mmsis(events)),
        density=[(lat, lon, w) for (lat, lon), w in sorted(density.items())],
    )
