import datetime as dt

import numpy as np
import pyarrow as pa

from mda import schemas
from mda.tracks.static import latest_static

T0 = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
US = 1_000_000


def static(rows):
    cols = {f.name: [r.get(f.name) for r in rows] for f in schemas.VESSEL_STATIC}
    return pa.table(cols, schema=schemas.VESSEL_STATIC)


def report(mmsi, minute, **values):
    return {"mmsi": mmsi, "ts": T0 + dt.timedelta(minutes=minute), "msg_type": 5, **values}


def query(pairs):
    mmsi = np.array([m for m, _ in pairs], dtype=np.int64)
    ts = np.array([int((T0 + dt.timedelta(minutes=t)).timestamp() * US) for _, t in pairs], dtype=np.int64)
    return mmsi, ts


def test_latest_value_at_or_before_the_query_time_is_taken():
    table = static([report(1, 0, shipname="OLD"), report(1, 10, shipname="NEW")])
    mmsi, ts = query([(1, 5), (1, 10), (1, 20)])
    assert latest_static(table, mmsi, ts, ("shipname",))["shipname"].to_pylist() == ["OLD", "NEW", "NEW"]


def test_query_before_any_report_or_of_another_mmsi_is_null():
    table = static([report(2, 10, shipname="B"), report(4, 0, shipname="D")])
    mmsi, ts = query([(2, 5), (3, 30), (1, 30), (5, 30)])
    assert latest_static(table, mmsi, ts, ("shipname",))["shipname"].to_pylist() == [None] * 4


def test_null_values_do_not_hide_an_earlier_value_of_the_same_column():
    table = static([report(1, 0, shipname="A", ship_type=70), report(1, 10, ship_type=80)])
    mmsi, ts = query([(1, 20)])
    found = latest_static(table, mmsi, ts, ("shipname", "ship_type"))
    assert found["shipname"].to_pylist() == ["A"]
    assert found["ship_type"].to_pylist() == [80]


def test_reports_at_the_same_time_resolve_to_the_one_stored_last():
    table = static([report(1, 0, shipname="FIRST"), report(1, 0, shipname="SECOND")])
    mmsi, ts = query([(1, 0)])
    assert latest_static(table, mmsi, ts, ("shipname",))["shipname"].to_pylist() == ["SECOND"]


def test_an_empty_static_table_answers_null_in_the_column_type():
    mmsi, ts = query([(1, 0)])
    found = latest_static(static([]), mmsi, ts, ("ship_type",))["ship_type"]
    assert found.to_pylist() == [None]
    assert found.type == schemas.VESSEL_STATIC.field("ship_type").type
