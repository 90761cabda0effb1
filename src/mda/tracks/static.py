"""Join static vessel data (name, ship type) to events: the latest report at or before a time.

Only reports up to the event's time are used, so the result never depends on data that
arrives later (a rerun with more data gives the same attributes).

Algorithm
---------
An as-of join done with one sort: the reports of a column (non-null values only) are
ordered by ``(mmsi, ts)`` and each pair is mapped to one integer key
``rank(mmsi) * n_times + rank(ts)`` over the dense ranks of the reports' and the queries'
MMSIs and times together, so the key order is the ``(mmsi, ts)`` order.  ``searchsorted``
(``side="right"``) of a query's key, minus one, is the last report at or before it; it
belongs to the query when its MMSI is the query's.  Values are then taken in one
``pyarrow.compute.take``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

I64 = npt.NDArray[np.int64]


def _int64(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> I64:
    return np.asarray(pc.cast(column, pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def _latest_rows(report_mmsi: I64, report_ts: I64, query_mmsi: I64, query_ts: I64) -> npt.NDArray[np.int64]:
    """Index of the last report at or before each query (same MMSI); -1 where there is none."""
    if report_mmsi.size == 0:
        return np.full(query_mmsi.size, -1, dtype=np.int64)
    _, mmsi_rank = np.unique(np.concatenate([report_mmsi, query_mmsi]), return_inverse=True)
    times, ts_rank = np.unique(np.concatenate([report_ts, query_ts]), return_inverse=True)
    key = mmsi_rank.astype(np.int64) * np.int64(times.size) + ts_rank.astype(np.int64)
    n = report_mmsi.size
    order = np.argsort(key[:n], kind="stable")
    sorted_key = key[:n][order]
    k = np.searchsorted(sorted_key, key[n:], side="right") - 1
    found = k >= 0
    k_safe = np.where(found, k, 0)
    found &= report_mmsi[order][k_safe] == query_mmsi
    return np.where(found, order[k_safe], -1).astype(np.int64)


def latest_static(
    static: pa.Table, mmsi: npt.NDArray[np.int64], ts_us: npt.NDArray[np.int64], columns: tuple[str, ...]
) -> dict[str, pa.Array[Any]]:
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
    dict of str to pyarrow.Array
        One array per column (the column's type), aligned with the queries; null where the
        MMSI sent no value at or before the query's time.  When two reports share the
        latest time, the one stored last wins.
    """
    query_mmsi = np.asarray(mmsi, dtype=np.int64)
    query_ts = np.asarray(ts_us, dtype=np.int64)
    # only the queried vessels' reports take part (a bucket's few events against a day of reports)
    asked = pa.array(np.unique(query_mmsi)).cast(static.schema.field("mmsi").type)
    static = static.filter(pc.is_in(static["mmsi"], value_set=asked))
    out: dict[str, pa.Array[Any]] = {}
    for column in columns:
        rows = static.select(["mmsi", "ts", column]).filter(pc.is_valid(static[column]))
        index = _latest_rows(_int64(rows["mmsi"]), _int64(rows["ts"]), query_mmsi, query_ts)
        values = rows[column].combine_chunks()
        taken = pc.take(values, pa.array(index, pa.int64(), mask=index < 0))
        out[column] = taken.combine_chunks() if isinstance(taken, pa.ChunkedArray) else taken
    return out
