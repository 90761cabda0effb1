"""The map's vessel identities: each MMSI's latest name and type, static reports over the transit log."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from mda import schemas
from mda.publish.view import vessel_lookup

T0 = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)


def _reference(static: pa.Table, transits: pa.Table) -> tuple[dict[int, str], dict[int, int]]:
    """Row by row in time order (a stable sort), the later row winning: the meaning pinned down."""
    names: dict[int, str] = {}
    types: dict[int, int] = {}
    for rows, ts in ((transits, "start_ts"), (static, "ts")):
        for r in sorted(rows.to_pylist(), key=lambda r: r[ts]):
            if r["shipname"]:
                names[r["mmsi"]] = r["shipname"].strip()
            if r["ship_type"]:
                types[r["mmsi"]] = r["ship_type"]
    return names, types


rows = st.lists(
    st.tuples(
        st.integers(0, 5),  # minutes after T0: few values, so ties are common
        st.sampled_from([412000001, 412000002, 416000003]),
        st.sampled_from([None, "", "  ", "EVER GIVEN ", "HAI XUN 06"]),
        st.sampled_from([None, 0, 30, 70, 80]),
    ),
    max_size=30,
)


def _table(items: list[tuple[int, int, str | None, int | None]], ts: str) -> pa.Table:
    return pa.table(
        {
            ts: pa.array([T0 + dt.timedelta(minutes=m) for m, *_ in items], schemas.TS),
            "mmsi": pa.array([i[1] for i in items], pa.int32()),
            "shipname": pa.array([i[2] for i in items], pa.string()),
            "ship_type": pa.array([i[3] for i in items], pa.int16()),
        }
    )


@settings(max_examples=200, deadline=None)
@given(static=rows, transits=rows)
def test_vessel_lookup_takes_the_latest_name_and_type_with_static_reports_winning(
    static: list[tuple[int, int, str | None, int | None]],
    transits: list[tuple[int, int, str | None, int | None]],
) -> None:
    static_t, transits_t = _table(static, "ts"), _table(transits, "start_ts")
    mmsis = [412000001, 412000002, 416000003, 99]
    vessels = vessel_lookup(static_t, transits_t, mmsis)
    names, types = _reference(static_t, transits_t)
    assert sorted(vessels) == sorted(mmsis)
    assert {m: v.name for m, v in vessels.items()} == {m: names.get(m) for m in mmsis}
    assert {m: v.ship_type for m, v in vessels.items()} == {m: types.get(m) for m in mmsis}
