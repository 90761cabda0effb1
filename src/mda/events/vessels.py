"""Attach the vessel's identity to events: name, call sign, IMO, type, size, flag and category.

Name, call sign, IMO, ship type and dimensions are the values the MMSI last reported at or
before the event's ``end_ts`` (:func:`mda.tracks.static.latest_static`), so a rerun with more data never
changes them.  The flag comes from the MMSI's MID and the category from the ship type
(:mod:`mda.identity`): both are claims, and MID flags are unreliable near Taiwan.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from mda import schemas
from mda.identity import flag_of, ship_category
from mda.tracks.static import latest_static

_STATIC_COLUMNS = ("shipname", "callsign", "imo", "ship_type")
_DIMENSIONS = {"length_m": ("to_bow", "to_stern"), "beam_m": ("to_port", "to_starboard")}


_PARTS = tuple(p for pair in _DIMENSIONS.values() for p in pair)


def _queries(events: pa.Table) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    mmsi = events["mmsi"].to_numpy(zero_copy_only=False).astype(np.int64)
    end_us = pc.cast(events["end_ts"], pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
    return mmsi, end_us


def attach_vessel_attributes(events: pa.Table, static: pa.Table) -> pa.Table:
    """Return ``events`` in its stored schema (:func:`mda.schemas.with_vessel_fields`).

    Parameters
    ----------
    events : pyarrow.Table
        A detector's output with ``mmsi`` and ``end_ts``.
    static : pyarrow.Table
        Static reports (:data:`mda.schemas.VESSEL_STATIC`) of the data window.
    """
    return attach_to_all({"events": events}, static)["events"]


def attach_to_all(tables: dict[str, pa.Table], static: pa.Table) -> dict[str, pa.Table]:
    """:func:`attach_vessel_attributes` for several event tables with one look-up per column."""
    queries = [_queries(table) for table in tables.values()]
    mmsi = np.concatenate([m for m, _ in queries])
    end_us = np.concatenate([t for _, t in queries])
    found = latest_static(static, mmsi, end_us, (*_STATIC_COLUMNS, *_PARTS))
    out, offset = {}, 0
    for name, table in tables.items():
        n = table.num_rows
        out[name] = _attach(table, {k: v.slice(offset, n) for k, v in found.items()})
        offset += n
    return out


def _attach(events: pa.Table, found: dict[str, pa.Array[Any]]) -> pa.Table:
    schema = schemas.with_vessel_fields(events.schema)
    missing = [name for name in _STATIC_COLUMNS if name not in events.schema.names]
    mmsi = events["mmsi"].to_numpy(zero_copy_only=False).astype(np.int64)
    table = events
    for name in missing:
        table = table.append_column(schema.field(name), found[name].cast(schema.field(name).type))
    for name, (a, b) in _DIMENSIONS.items():
        x, y = pc.cast(found[a], pa.int32()), pc.cast(found[b], pa.int32())
        zero = pa.scalar(0, pa.int32())
        known = pc.and_(pc.greater(x, zero), pc.greater(y, zero))  # 0: unknown
        size = pc.if_else(known, pc.add(x, y), pa.scalar(None, pa.int32()))
        table = table.append_column(schema.field(name), size.cast(pa.int16()))
    flag, _country = flag_of(mmsi)
    table = table.append_column(schema.field("flag"), flag.cast(pa.string()))
    table = table.append_column(schema.field("category"), ship_category(table["ship_type"]).cast(pa.string()))
    return table.select(schema.names).cast(schema)
