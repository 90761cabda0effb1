"""Attach the vessel's identity to events: name, call sign, IMO, type, size, flag and category.

Name, call sign, IMO, ship type and dimensions are the values the MMSI last reported at or
before the event's ``end_ts`` (:func:`mda.tracks.static.latest_static`), so a rerun with more data never
changes them.  The flag comes from the MMSI's MID and the category from the ship type
(:mod:`mda.identity`): both are claims, and MID flags are unreliable near Taiwan.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mda import schemas
from mda.identity import flag_of, ship_category
from mda.tracks.static import latest_static

_STATIC_COLUMNS = ("shipname", "callsign", "imo", "ship_type")
_DIMENSIONS = {"length_m": ("to_bow", "to_stern"), "beam_m": ("to_port", "to_starboard")}


def attach_vessel_attributes(events: pa.Table, static: pa.Table) -> pa.Table:
    """Return ``events`` in its stored schema (:func:`mda.schemas.with_vessel_fields`).

    Parameters
    ----------
    events : pyarrow.Table
        A detector's output with ``mmsi`` and ``end_ts``.
    static : pyarrow.Table
        Static reports (:data:`mda.schemas.VESSEL_STATIC`) of the data window.
    """
    schema = schemas.with_vessel_fields(events.schema)
    missing = [name for name in _STATIC_COLUMNS if name not in events.schema.names]
    mmsi = events["mmsi"].to_numpy(zero_copy_only=False).astype(np.int64)
    end_us = pc.cast(events["end_ts"], pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
    parts = tuple(p for pair in _DIMENSIONS.values() for p in pair)
    found = latest_static(static, mmsi, end_us, (*missing, *parts))
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
