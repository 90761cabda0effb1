"""Statistics: periods, lanes, port arrivals order, disruption band."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from mda.publish.stats import disruption, period_start, port_arrivals
from mda.publish.view import Vessel, east_of_median


def test_weeks_start_on_monday_and_months_on_the_first():
    day = dt.date(2026, 11, 26)  # a Thursday
    assert period_start(day, "week") == dt.date(2026, 11, 23)
    assert period_start(day, "month") == dt.date(2026, 11, 1)


def test_points_towards_taiwan_are_east_of_the_median_line():
    east = east_of_median(np.array([120.3, 119.0]), np.array([24.0, 24.5]))
    assert east.tolist() == [True, False]


def test_a_collapse_in_transits_is_flagged_low_and_a_steady_day_normal():
    daily = [(f"2026-10-{d:02d}", 20, 20, 40) for d in range(1, 29)]
    daily += [("2026-10-29", 20, 21, 41), ("2026-10-30", 3, 2, 5)]
    rows = disruption(daily).rows
    assert rows[0][-1] == "insufficient history"
    assert rows[-2][-1] == "normal"
    assert rows[-1][-1] == "low"


def test_port_arrivals_count_taiwan_only_with_tankers_first():
    t = dt.datetime(2026, 11, 24, 3, tzinfo=dt.UTC)
    calls = pa.Table.from_pylist(
        [
            {"mmsi": 1, "start_ts": t, "country": "TW"},
            {"mmsi": 2, "start_ts": t, "country": "TW"},
            {"mmsi": 2, "start_ts": t, "country": "CN"},
        ]
    )
    vessels = {1: Vessel(1, "A", 70, "TW", "cargo"), 2: Vessel(2, "B", 84, "TW", "tanker")}
    rows = port_arrivals(calls, vessels).rows
    assert rows == [("2026-11-24", "tanker", 1), ("2026-11-24", "cargo", 1)]
