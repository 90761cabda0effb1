"""Join static vessel data (name, ship type) to events: the latest report at or before a time.

Only reports up to the event's time are used, so the result never depends on data that
arrives later (a rerun with more data gives the same attributes).

Algorithm
---------
An as-of join done with one sort for all columns: each ``(mmsi, ts)`` pair of the reports
and the queries is mapped to one integer key ``rank(mmsi) * n_times + rank(ts)`` over their
dense ranks together, so the key order is the ``(mmsi, ts)`` order, and the reports are
sorted by key once (stably).  Each column's look-up keeps the reports where it is not null,
still in key order.  ``searchsorted``
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


class _AsOf:
    """The reports of a static table in ``(mmsi, ts)`` key order, shared by every column's look-up."""

    def __init__(self, report_mmsi: I64, report_ts: I64, query_mmsi: I64, query_ts: I64) -> None:
        n = report_mmsi.size
        _, mmsi_rank = np.unique(np.concatenate([report_mmsi, query_mmsi]), return_inverse=True)
        times, ts_rank = np.unique(np.concatenate([report_ts, query_ts]), return_inverse=True)
        key = mmsi_rank.astype(np.int64) * np.int64(times.size) + ts_rank.astype(np.int64)
        # stable: among reports of one key, the one stored last stays last
        self.order = np.argsort(key[:n], kind="stable")
        self.sorted_key = key[:n][self.order]
        self.sorted_mmsi = report_mmsi[self.order]
        self.query_key = key[n:]
        self.query_mmsi = query_mmsi

    def latest_rows(self, valid: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        """Index of the last report with ``valid`` at or before each query (same MMSI); -1 if none."""
        keep = valid[self.order]
        order, sorted_key = self.order[keep], self.sorted_key[keep]
        if order.size == 0:
            return np.full(self.query_key.size, -1, dtype=np.int64)
        k = np.searchsorted(sorted_key, self.query_key, side="right") - 1
        found = k >= 0
        k_safe = np.where(found, k, 0)
        found &= self.sorted_mmsi[keep][k_safe] == self.query_mmsi
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
    asof = _AsOf(_int64(static["mmsi"]), _int64(static["ts"]), query_mmsi, query_ts)
    out: dict[str, pa.Array[Any]] = {}
    for column in columns:
        values = static[column].combine_chunks()
        valid = np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=np.bool_)
        index = asof.latest_rows(valid)
        taken = pc.take(values, pa.array(index, pa.int64(), mask=index < 0))
        out[column] = taken.combine_chunks() if isinstance(taken, pa.ChunkedArray) else taken
    return out
