"""Transit-frequency statistics from the transit log."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import cast

import pyarrow as pa

from mda.interval import Interval

HEADER = ("date", "northbound", "southbound", "total")


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
        counts[(end.astimezone(dt.UTC).date().isoformat(), direction)] += 1
    rows = []
    for day in interval.days():
        key = day.isoformat()
        north, south = counts[(key, "northbound")], counts[(key, "southbound")]
        rows.append((key, north, south, north + south))
    return rows
