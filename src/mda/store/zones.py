"""The zone polygons a load used, as rows of the ``zones`` table (WKT, lon/lat degrees)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import shapely

from mda.geo.fences import Zone
from mda.schemas import TS

_FIELDS: list[pa.Field[Any]] = [
    pa.field("zone_id", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("kind", pa.string(), nullable=False),
    pa.field("approximate", pa.bool_(), nullable=False),
    pa.field("valid_from", TS),
    pa.field("valid_to", TS),
    pa.field("wkt", pa.string(), nullable=False),
    pa.field("fence_version", pa.string(), nullable=False),
]
ZONES = pa.schema(_FIELDS)


def zones_table(zones: Iterable[Zone]) -> pa.Table:
    """Rows of the ``zones`` table: one per zone, its polygon as WKT (OGC:CRS84 lon/lat).

    ``valid_from``/``valid_to`` bound the half-open UTC period the zone is active (NULL: always).
    """
    return pa.Table.from_pylist(
        [
            {
                "zone_id": z.zone_id,
                "name": z.name,
                "kind": z.kind,
                "approximate": z.approximate,
                "valid_from": z.valid_from,
                "valid_to": z.valid_to,
                "wkt": shapely.to_wkt(z.geometry, rounding_precision=-1),
                "fence_version": z.fence_version,
            }
            for z in zones
        ],
        schema=ZONES,
    )
