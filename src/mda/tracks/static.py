"""Join static vessel data (name, ship type) to events: the latest report at or before a time.

Only reports up to the event's time are used, so the result never depends on data that
arrives later (a rerun with more data gives the same attributes).
"""

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


def _latest(lookup: _Lookup, mmsi: int, ts_us: int) -> object:
    lo = int(np.searchsorted(lookup.mmsi, mmsi, side="left"))
    hi = int(np.searchsorted(lookup.mmsi, mmsi, side="right"))
    k = lo + int(np.searchsorted(lookup.ts[lo:hi], ts_us, side="right")) - 1
    return lookup.values[k] if lo <= k < hi else None


def latest_static(
    static: pa.Table, mmsi: npt.NDArray[np.int64], ts_us: npt.NDArray[np.int64], columns: tuple[str, ...]
) -> dict[str, list[object]]:
    """For each ``(mmsi, ts)`` query, the last non-null value of each column reported at or before ts.

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
        out[column] = [_latest(lookup, int(m), int(t)) for m, t in zip(mmsi, ts_us, strict=True)]
    return out
