"""The daily report's event CSVs: cells formatted column-wise exactly as row by row."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from mda import schemas
from mda.publish.site import _cell, _cells

times = st.one_of(
    st.none(),
    st.datetimes(dt.datetime(1971, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)),
)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(times, max_size=20))
def test_time_cells_are_whole_utc_seconds_like_the_row_by_row_format(
    values: list[dt.datetime | None],
) -> None:
    column = pa.chunked_array([pa.array(values, schemas.TS)])
    assert _cells(column) == [_cell(v) for v in column.to_pylist()]


def test_number_text_and_null_cells_keep_their_row_by_row_format() -> None:
    table = pa.table(
        {
            "duration_s": pa.array([1.23456789, None, 3.0], pa.float64()),
            "zone_name": pa.array(["Kinmen", None, "=1+1"], pa.string()),
            "mmsi": pa.array([412000001, None, 7], pa.int32()),
        }
    )
    for name in table.column_names:
        assert _cells(table[name]) == [_cell(v) for v in table[name].to_pylist()]
    assert _cells(table["duration_s"]) == [1.234568, "", 3.0]
    assert _cells(table["mmsi"]) == [412000001, "", 7]
