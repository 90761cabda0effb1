"""Arrow columns built from NumPy buffers equal those ``pyarrow.array`` builds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda import schemas
from mda.decode import arrays
from mda.decode.batch import Columns, column

INT_TYPES = [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint64(), schemas.TS]


@pytest.mark.parametrize("arrow_type", INT_TYPES, ids=str)
@settings(deadline=None)
@given(values=st.lists(st.none() | st.integers(-(1 << 70), 1 << 70), max_size=8))
def test_integer_columns_equal_pyarrow_or_raise_as_it_does(
    arrow_type: pa.DataType, values: list[Any]
) -> None:
    try:
        expected = pa.array(values, type=arrow_type)
    except (pa.ArrowInvalid, OverflowError):
        with pytest.raises((pa.ArrowInvalid, OverflowError)):
            column(values, arrow_type)
        return
    assert column(values, arrow_type).equals(expected)


@pytest.mark.parametrize("arrow_type", [pa.float32(), pa.float64()], ids=str)
@settings(deadline=None)
@given(values=st.lists(st.none() | st.floats(width=64), max_size=8))
def test_float_columns_equal_pyarrow(arrow_type: pa.DataType, values: list[Any]) -> None:
    built, expected = column(values, arrow_type), pa.array(values, type=arrow_type)
    assert built.is_null().equals(expected.is_null())
    assert np.array_equal(
        built.to_numpy(zero_copy_only=False), expected.to_numpy(zero_copy_only=False), equal_nan=True
    )


@settings(deadline=None)
@given(values=st.lists(st.none() | st.text(), max_size=8))
def test_string_columns_equal_pyarrow(values: list[Any]) -> None:
    try:
        expected = pa.array(values, type=pa.string())
    except (pa.ArrowException, UnicodeError):
        return  # text pyarrow refuses (lone surrogates) is left to pyarrow
    assert column(values, pa.string()).equals(expected)


@settings(deadline=None)
@given(values=st.lists(st.none() | st.booleans(), max_size=20))
def test_boolean_columns_equal_pyarrow(values: list[Any]) -> None:
    assert column(values, pa.bool_()).equals(pa.array(values, type=pa.bool_()))


def test_values_of_another_python_type_go_to_pyarrow() -> None:
    assert column([1, 2.5], pa.float64()).equals(pa.array([1, 2.5], type=pa.float64()))
    assert column([1.0, None], pa.int64()).equals(pa.array([1.0, None], type=pa.int64()))


def test_buffered_rows_become_the_same_table_as_with_pyarrow() -> None:
    rows = Columns(schemas.POSITIONS)
    rows.append({"ts": 1_767_225_600_000_000, "mmsi": 416000001, "msg_type": 1, "lon": 120.5, "lat": 24.25})
    rows.append(
        {
            "ts": 1_767_225_601_000_000,
            "mmsi": 416000002,
            "msg_type": 18,
            "lon": 121.0,
            "lat": 23.0,
            "speed": 12.3,
        }
    )
    cols = {name: list(values) for name, values in rows.cols.items()}
    expected = pa.table(
        {n: pa.array(v, type=schemas.POSITIONS.field(n).type) for n, v in cols.items()},
        schema=schemas.POSITIONS,
    )
    assert rows.take().equals(expected)


@settings(deadline=None)
@given(
    data=st.binary(min_size=1, max_size=3000),
    cuts=st.lists(st.tuples(st.integers(0, 2999), st.integers(0, 1100), st.booleans()), max_size=10),
)
def test_slices_cut_the_bytes_asked_for(data: bytes, cuts: list[tuple[int, int, bool]]) -> None:
    text = bytes(48 + b % 64 for b in data)
    buf = np.frombuffer(text, dtype=np.uint8)
    spans = [(min(a, len(text)), min(a + n, len(text)), v) for a, n, v in cuts]
    start = np.array([a for a, _, _ in spans], dtype=np.int64)
    stop = np.array([b for _, b, _ in spans], dtype=np.int64)
    valid = np.array([v for _, _, v in spans], dtype=np.bool_)
    expected = [text[a:b].decode() if v else None for a, b, v in spans]
    assert arrays.slices(buf, start, stop, valid).to_pylist() == expected
    assert arrays.slices(buf, start, stop).to_pylist() == [text[a:b].decode() for a, b, _ in spans]
