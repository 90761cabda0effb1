"""Join static vessel data (name, ship type) to events, nearest in time per MMSI."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class _Lookup:
    mmsi: npt.NDArray[np.int64]
    ts: npt.NDArray[np.int64]
    values: list[object]


def _lookup(static: pa.Table, column: str) -> _Lookup:
    rows = static.filter(pc.is_valid(static[column]))
    mmsi = rows["mmsi"].to_numpy(zero_copy_only=False).astype(np.int64)
    ts = pc.cast(rows["ts"], pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
    order = np.lexsort((ts, mmsi))
    return _Lookup(mmsi[order], ts[order], [rows[column][int(i)].as_py() for i in order])


def _nearest(lookup: _Lookup, mmsi: int, ts_us: int) -> object:
    lo = int(np.searchsorted(lookup.mmsi, mmsi, side="left"))
    hi = int(np.searchsorted(lookup.mmsi, mmsi, side="right"))
    if lo == hi:
        return None
    k = lo + int(np.searchsorted(lookup.ts[lo:hi], ts_us))
    candidates = [i for i in (k - 1, k) if lo <= i < hi]
    best = min(candidates, key=lambda i: abs(int(lookup.ts[i]) - ts_us))
    return lookup.values[best]


def nearest_static(
    static: pa.Table, mmsi: npt.NDArray[np.int64], ts_us: npt.NDArray[np.int64], columns: tuple[str, ...]
) -> dict[str, list[object]]:
    """For each ``(mmsi, ts)`` query, the non-null value of each column reported nearest in time.

    Parameters
    ----------
    static : pyarrow.Table
        Rows of :data:`mda.schemas.VESSEL_STATIC`.
    mmsi, ts_us : ndarray of int64
        Queries: MMSI and UTC instant in microseconds since the epoch.
    columns : tuple of str
        Static columns to look up (each independently: class B sends name and type in
        different parts of message 24).

    Returns
    -------
    dict of str to list
        One list per column, aligned with the queries; None where the MMSI never sent it.
    """
    out: dict[str, list[object]] = {}
    for column in columns:
        lookup = _lookup(static, column)
        out[column] = [_nearest(lookup, int(m), int(t)) for m, t in zip(mmsi, ts_us, strict=True)]
    return out
