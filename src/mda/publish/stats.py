"""Transit-frequency statistics and event summaries from the event logs (pure functions).

Every count is of events by the UTC day, ISO week (Monday start) or calendar month of their
``end_ts`` (for a transit: the exit-gate crossing; for a port call: its end).  Port arrivals
count port calls by the day of their ``start_ts`` (arrival).  Flags are claimed by the MMSI's
MID (:func:`mda.identity.flag_of`), categories come from the AIS ship type
(:func:`mda.identity.ship_category`), lanes from :func:`mda.publish.view.transit_lanes`.

Disruption signal: for each day, the baseline is the median of the daily transit totals of the
28 preceding days held in the store; the band is ``baseline ± max(3 × 1.4826 × MAD, 3 ×
sqrt(baseline), 2)`` (a robust three-sigma band with a Poisson floor, so quiet days with few
transits do not flag on noise).  A day outside the band is flagged ``low`` or ``high``; days
with fewer than 7 baseline days are ``insufficient history``.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import cast

import numpy as np
import pyarrow as pa
import shapely

from mda.geo.fences import load_zones
from mda.identity import SHIP_CATEGORIES
from mda.interval import Interval
from mda.publish.view import Vessel

HEADER = ("date", "northbound", "southbound", "total")
BASELINE_DAYS = 28
MIN_BASELINE_DAYS = 7
#: Categories in the order energy continuity reads them: tankers (oil, chemical, gas) first.
CATEGORY_ORDER = ("tanker", *[c for c in SHIP_CATEGORIES if c != "tanker"], "unknown")


@dataclass(frozen=True)
class StatTable:
    """One published statistics table.

    Attributes
    ----------
    name : str
        File stem (``<name>.csv``, ``<name>.parquet``).
    title : str
        Heading in the report.
    header : tuple of str
        Column names.
    rows : list of tuple
        Values (str, int or float).
    """

    name: str
    title: str
    header: tuple[str, ...]
    rows: list[tuple[object, ...]]


def _day(value: dt.datetime) -> dt.date:
    return value.astimezone(dt.UTC).date()


def period_start(day: dt.date, period: str) -> dt.date:
    """First day of the ``day``, ``week`` (ISO, Monday) or ``month`` holding ``day``."""
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {period!r}")


def daily_transit_counts(transits: pa.Table, interval: Interval) -> list[tuple[str, int, int, int]]:
    """Transits per UTC day (by ``end_ts``) and direction, one row for every day of ``interval``.

    Returns
    -------
    list of (date, northbound, southbound, total)
        ``date`` as ``YYYY-MM-DD``; days without transits have zeros.
    """
    counts: Counter[tuple[str, str]] = Counter()
    ends = cast(list[dt.datetime], transits["end_ts"].to_pylist())
    directions = cast(list[str], transits["direction"].to_pylist())
    for end, direction in zip(ends, directions, strict=True):
        counts[(_day(end).isoformat(), direction)] += 1
    rows = []
    for day in interval.days():
        key = day.isoformat()
        north, south = counts[(key, "northbound")], counts[(key, "southbound")]
        rows.append((key, north, south, north + south))
    return rows


def transit_counts(
    transits: pa.Table, lanes: dict[str, str], vessels: dict[int, Vessel], period: str
) -> StatTable:
    """Transits per period, direction, flag, ship category and lane (one row per non-empty group)."""
    counts: Counter[tuple[str, str, str, str, str]] = Counter()
    for r in transits.select(["event_id", "mmsi", "direction", "end_ts", "ship_type"]).to_pylist():
        vessel = vessels.get(int(r["mmsi"]))
        flag = (vessel.flag if vessel else None) or "unknown"
        category = (vessel.category if vessel else None) or "unknown"
        start = period_start(_day(r["end_ts"]), period).isoformat()
        counts[(start, str(r["direction"]), flag, category, lanes.get(str(r["event_id"]), "unknown"))] += 1
    rows: list[tuple[object, ...]] = [(*key, n) for key, n in sorted(counts.items())]
    return StatTable(
        f"transits_{period}ly" if period != "day" else "transits_daily",
        f"Transits per {period} by direction, flag, category and lane",
        (f"{period}_start", "direction", "flag", "category", "lane", "transits"),
        rows,
    )


def summary_by(
    transits: pa.Table, vessels: dict[int, Vessel], lanes: dict[str, str]
) -> dict[str, Counter[str]]:
    """Counts of ``transits`` by ``direction``, ``category``, ``flag`` and ``lane``."""
    out: dict[str, Counter[str]] = {k: Counter() for k in ("direction", "category", "flag", "lane")}
    for r in transits.select(["event_id", "mmsi", "direction"]).to_pylist():
        vessel = vessels.get(int(r["mmsi"]))
        out["direction"][str(r["direction"])] += 1
        out["category"][(vessel.category if vessel else None) or "unknown"] += 1
        out["flag"][(vessel.flag if vessel else None) or "unknown"] += 1
        out["lane"][lanes.get(str(r["event_id"]), "unknown")] += 1
    return out


def crossing_counts(crossings: pa.Table) -> StatTable:
    """Median-line crossings per UTC day and direction."""
    counts: Counter[tuple[str, str]] = Counter()
    for r in crossings.select(["end_ts", "direction"]).to_pylist():
        counts[(_day(r["end_ts"]).isoformat(), str(r["direction"]))] += 1
    return StatTable(
        "median_line_crossings_daily",
        "Median-line crossings per day",
        ("date", "direction", "crossings"),
        [(*key, n) for key, n in sorted(counts.items())],
    )


def zone_presence(loitering: pa.Table, zone_events: pa.Table) -> StatTable:
    """Loitering hours and presence days per zone (``open strait`` outside every zone).

    Loitering counts in a zone when its median position lies inside it; presence days are the
    distinct UTC days with a zone visit or a loitering episode ending there.
    """
    zones = {z.zone_id: z for z in load_zones()}
    loiter_h: dict[str, float] = defaultdict(float)
    loiter_n: Counter[str] = Counter()
    dwell_h: dict[str, float] = defaultdict(float)
    visits: Counter[str] = Counter()
    days: dict[str, set[dt.date]] = defaultdict(set)
    for r in loitering.select(["lon", "lat", "duration_s", "end_ts"]).to_pylist():
        inside = [z.zone_id for z in zones.values() if shapely.contains_xy(z.geometry, r["lon"], r["lat"])]
        for zone_id in inside or ["open strait"]:
            loiter_h[zone_id] += r["duration_s"] / 3600
            loiter_n[zone_id] += 1
            days[zone_id].add(_day(r["end_ts"]))
    for r in zone_events.select(["zone_id", "dwell_s", "end_ts"]).to_pylist():
        zone_id = str(r["zone_id"])
        dwell_h[zone_id] += (r["dwell_s"] or 0.0) / 3600
        visits[zone_id] += 1
        days[zone_id].add(_day(r["end_ts"]))
    rows: list[tuple[object, ...]] = []
    for zone_id in sorted(days):
        zone = zones.get(zone_id)
        rows.append(
            (
                zone_id,
                zone.name if zone else zone_id,
                "yes" if zone and zone.approximate else "no",
                loiter_n[zone_id],
                round(loiter_h[zone_id], 2),
                visits[zone_id],
                round(dwell_h[zone_id], 2),
                len(days[zone_id]),
            )
        )
    return StatTable(
        "zone_presence",
        "Loitering and presence by zone",
        (
            "zone_id",
            "zone",
            "approximate",
            "loitering_events",
            "loitering_hours",
            "visits",
            "dwell_hours",
            "presence_days",
        ),
        rows,
    )


def port_arrivals(port_calls: pa.Table, vessels: dict[int, Vessel], country: str = "TW") -> StatTable:
    """Arrivals (port calls by ``start_ts`` day) at ``country``'s ports per day and ship category.

    Rows are ordered by day, then tankers first (energy continuity), then the other categories.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for r in port_calls.select(["mmsi", "start_ts", "country"]).to_pylist():
        if r["country"] != country:
            continue
        vessel = vessels.get(int(r["mmsi"]))
        counts[(_day(r["start_ts"]).isoformat(), (vessel.category if vessel else None) or "unknown")] += 1
    rank = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    keys = sorted(counts, key=lambda k: (k[0], rank.get(k[1], len(rank)), k[1]))
    return StatTable(
        f"port_arrivals_{country.lower()}",
        f"Daily arrivals at ports of {country} by ship category (tankers first)",
        ("date", "category", "arrivals"),
        [(*k, counts[k]) for k in keys],
    )


def disruption(daily: list[tuple[str, int, int, int]]) -> StatTable:
    """Daily transit totals against the trailing 28-day baseline (see the module docstring).

    Parameters
    ----------
    daily : list of (date, northbound, southbound, total)
        One row per consecutive UTC day, as :func:`daily_transit_counts` gives.
    """
    totals = [row[3] for row in daily]
    rows: list[tuple[object, ...]] = []
    for k, (day, _n, _s, total) in enumerate(daily):
        past = totals[max(0, k - BASELINE_DAYS) : k]
        if len(past) < MIN_BASELINE_DAYS:
            rows.append((day, total, "", "", "", "insufficient history"))
            continue
        base = float(statistics.median(past))
        mad = float(np.median(np.abs(np.array(past, dtype=float) - base)))
        half = max(3 * 1.4826 * mad, 3 * math.sqrt(base), 2.0)
        low, high = max(base - half, 0.0), base + half
        flag = "low" if total < low else "high" if total > high else "normal"
        rows.append((day, total, round(base, 1), round(low, 1), round(high, 1), flag))
    return StatTable(
        "disruption",
        f"Transits per day against the trailing {BASELINE_DAYS}-day baseline",
        ("date", "transits", "baseline_median", "band_low", "band_high", "signal"),
        rows,
    )
