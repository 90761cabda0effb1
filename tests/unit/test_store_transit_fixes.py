"""The fixes a map draws for each transit: the first of each minute, in time order."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from mda import schemas
from mda.interval import Interval
from mda.pipeline import Decoded, load_interval
from mda.store.db import reader
from mda.store.read import read_transit_fixes

from builders import T0, positions, track_line

MMSI = 412000001


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    # a northbound run through both gates, a fix every 10 s for 16 hours
    fixes = track_line(MMSI, (119.5, 22.2), (120.4, 26.0), 30, 30 + 16 * 60, 16 * 360 + 1)
    db = tmp_path_factory.mktemp("fixes") / "store.duckdb"
    empty = schemas.VESSEL_STATIC.empty_table()
    with Decoded.from_tables({}, positions(fixes), empty, schemas.REJECTS.empty_table()) as decoded:
        load_interval(decoded, db, Interval.for_day(T0.date()))
    return db, fixes


def test_a_transit_is_drawn_from_the_first_fix_of_each_minute(store):
    db, fixes = store
    with reader(db) as con:
        transits = con.execute("SELECT event_id, start_ts, end_ts FROM transits").fetchall()
        drawn = read_transit_fixes(con, Interval.for_day(T0.date()))
    assert len(transits) == 1
    event_id, start, end = transits[0]
    first_of_minute: dict[dt.datetime, dict[str, object]] = {}
    for row in fixes:  # in time order
        ts = row["ts"]
        assert isinstance(ts, dt.datetime)
        if start - dt.timedelta(hours=1) <= ts <= end + dt.timedelta(hours=1):
            first_of_minute.setdefault(ts.replace(second=0, microsecond=0), row)
    expected = list(first_of_minute.values())
    assert drawn["event_id"].to_pylist() == [event_id] * len(expected)
    assert drawn["ts"].to_pylist() == [row["ts"] for row in expected]
    assert drawn["lon"].to_pylist() == pytest.approx([row["lon"] for row in expected], abs=1e-9)
    assert drawn["lat"].to_pylist() == pytest.approx([row["lat"] for row in expected], abs=1e-9)
    assert len(expected) < len(fixes) / 5  # a fix every 10 s: about one in six is drawn


def test_the_drawn_fixes_are_ordered_by_time(store):
    db, _ = store
    with reader(db) as con:
        drawn = read_transit_fixes(con, Interval.for_day(T0.date()))
    ts = pa.compute.cast(drawn["ts"], pa.int64()).to_pylist()
    assert ts == sorted(ts)
