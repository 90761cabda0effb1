"""Arrow arrays built straight from NumPy buffers, without per-value Python objects.

:func:`pyarrow.array` accepts NumPy input too, but it inspects its argument for pandas types,
and its first call imports pandas, which costs more than decoding a whole chunk of lines.  The
vectorised decoders build their columns here with :meth:`pyarrow.Array.from_buffers` instead:
numeric data is handed over as it is (no copy when already contiguous in the target type),
validity comes from a NumPy mask packed into an Arrow bitmap, strings from offsets and bytes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

__all__ = ["buffer", "indices", "numeric", "repeat_string", "slices", "validity"]

Mask = npt.NDArray[np.bool_]


def buffer(values: npt.NDArray[Any]) -> pa.Buffer:
    """The memory of a C-contiguous NumPy array as an Arrow buffer (no copy)."""
    return pa.py_buffer(values.data)


def validity(valid: Mask | None) -> tuple[pa.Buffer | None, int]:
    """Arrow validity bitmap and null count of a mask (True = value present).

    Returns ``(None, 0)`` when every value is present (Arrow needs no bitmap then).
    """
    if valid is None:
        return None, 0
    nulls = int(valid.size - np.count_nonzero(valid))
    if nulls == 0:
        return None, 0
    return buffer(np.packbits(valid, bitorder="little")), nulls


def numeric(
    values: npt.NDArray[Any], dtype: type[np.generic], arrow_type: pa.DataType, valid: Mask | None = None
) -> pa.Array:  # type: ignore[type-arg]
    """A fixed-width Arrow array (integers, floats or timestamps) from NumPy values.

    Parameters
    ----------
    values : ndarray
        One value per row; converted to ``dtype`` (which must match ``arrow_type``'s width,
        e.g. ``np.int64`` for ``timestamp[us]`` microseconds) when it is not already.
    dtype : numpy scalar type
        The NumPy type of the Arrow type's values.
    arrow_type : pyarrow.DataType
        The array's type.
    valid : ndarray of bool, optional
        False where the row is NULL (the value stored under it is irrelevant).
    """
    data = np.ascontiguousarray(values, dtype=dtype)
    bitmap, nulls = validity(valid)
    return pa.Array.from_buffers(arrow_type, int(data.size), [bitmap, buffer(data)], nulls)


def indices(rows: npt.NDArray[Any]) -> pa.Array:  # type: ignore[type-arg]
    """Row numbers as an Arrow int64 array (for ``take``)."""
    return numeric(rows, np.int64, pa.int64())


def repeat_string(value: str, n: int) -> pa.StringArray:
    """A string array holding ``value`` ``n`` times."""
    encoded = value.encode()
    offsets = np.arange(n + 1, dtype=np.int32) * np.int32(len(encoded))
    return pa.StringArray.from_buffers(n, buffer(offsets), pa.py_buffer(encoded * n))


#: Longest slice :func:`slices` cuts through fixed-width rows (longer ones go byte by byte).
_ROW_BYTES = 1024


def slices(
    data: npt.NDArray[np.uint8],
    start: npt.NDArray[np.int64],
    stop: npt.NDArray[np.int64],
    valid: Mask | None = None,
) -> pa.StringArray:
    """Strings cut from a byte buffer: row ``i`` is ``data[start[i]:stop[i]]`` (NULL where not ``valid``).

    The slices must be valid UTF-8 (the callers cut checked ASCII).  Short slices are gathered
    as rows of the longest slice's width (one gather), then masked to their lengths.
    """
    length = stop - start if valid is None else np.where(valid, stop - start, 0)
    offsets = np.zeros(length.size + 1, dtype=np.int32)
    np.cumsum(length, out=offsets[1:])
    width = int(length.max(initial=0))
    start = start if valid is None else np.where(valid, start, 0)
    if 0 < width <= _ROW_BYTES and int(start.max()) + width <= data.size:
        rows = np.lib.stride_tricks.sliding_window_view(data, width)[start]
        chars = rows[np.arange(width) < length[:, None]]
    else:  # byte k of the output comes from data[start[row] + k - offsets[row]]
        index = np.arange(int(offsets[-1]), dtype=np.int64)
        index += np.repeat(start - offsets[:-1], length)
        chars = data[index]
    bitmap, nulls = validity(valid)
    return pa.StringArray.from_buffers(
        int(length.size), buffer(offsets), buffer(np.ascontiguousarray(chars)), bitmap, nulls
    )
