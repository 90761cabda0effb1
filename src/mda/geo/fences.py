"""Load the versioned fence sets under ``geodata/``.

Fence sets live in ``geodata/<set>/<version>/`` as GeoJSON in WGS84 (EPSG:4326, lon/lat order).
A published version never changes in place; every event records the version it was computed
with (:data:`FENCE_VERSION`).

Only this module reads fence files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import shapely
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry

#: Version of the strait fence set (gates, strait area) used for events.
FENCE_VERSION = "strait/v1"


class FenceError(Exception):
    """A fence file is missing or malformed."""


def geodata_root() -> Path:
    """Return the ``geodata/`` folder.

    ``MDA_GEODATA`` overrides it (read via :mod:`mda.settings`); otherwise the folder shipped
    with the package (``mda/geodata``) or the repository's top-level ``geodata/`` is used.
    """
    from mda.settings import load_settings

    configured = load_settings().geodata_dir
    if configured is not None:
        return configured
    here = Path(__file__).resolve()
    for candidate in (here.parents[1] / "geodata", here.parents[3] / "geodata"):
        if (candidate / "strait").is_dir():
            return candidate
    raise FenceError("geodata folder not found; set MDA_GEODATA to the repository's geodata/ folder")


def _read_features(relpath: str) -> list[dict[str, Any]]:
    path = geodata_root() / relpath
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FenceError(f"fence file missing: {relpath}") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise FenceError(f"fence file unreadable: {relpath}: {exc}") from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise FenceError(f"fence file is not a GeoJSON FeatureCollection: {relpath}")
    return features


@dataclass(frozen=True)
class Gate:
    """A strait gate: a polyline whose ends lie on land.

    Attributes
    ----------
    name : {"north", "south"}
        Which end of the strait the gate closes.
    coords : tuple of (lon, lat)
        Vertices in degrees (WGS84), in drawing order.
    inside_side : {"left", "right"}
        Side of the polyline, walking from its first to its last vertex, on which the strait lies.
    """

    name: Literal["north", "south"]
    coords: tuple[tuple[float, float], ...]
    inside_side: Literal["left", "right"]

    @property
    def line(self) -> LineString:
        """The gate as a Shapely line (lon/lat degrees)."""
        return LineString(self.coords)


@cache
def load_gates() -> tuple[Gate, Gate]:
    """Return the (north, south) gates of :data:`FENCE_VERSION`."""
    gates: dict[str, Gate] = {}
    for feature in _read_features("strait/v1/gates.geojson"):
        props = feature.get("properties") or {}
        name = props.get("gate")
        side = props.get("inside_side")
        geom = feature.get("geometry") or {}
        if (
            name not in ("north", "south")
            or side not in ("left", "right")
            or geom.get("type") != "LineString"
        ):
            raise FenceError("strait/v1/gates.geojson: each gate needs gate, inside_side and a LineString")
        coords = tuple((float(x), float(y)) for x, y in geom["coordinates"])
        gates[name] = Gate(name=name, coords=coords, inside_side=side)
    if set(gates) != {"north", "south"}:
        raise FenceError("strait/v1/gates.geojson must define exactly a north and a south gate")
    return gates["north"], gates["south"]


@cache
def load_strait_area() -> BaseGeometry:
    """Return the water between the two gates (polygon, lon/lat degrees), prepared for queries."""
    features = _read_features("strait/v1/strait_area.geojson")
    geom = shapely.union_all([shape(f["geometry"]) for f in features])
    shapely.prepare(geom)
    return geom


@cache
def load_land() -> BaseGeometry:
    """Return all land (Natural Earth 10 m land and minor islands) as one prepared geometry."""
    parts: list[BaseGeometry] = []
    for rel in (
        "land/v1/ne_10m_land_taiwan_strait.geojson",
        "land/v1/ne_10m_minor_islands_taiwan_strait.geojson",
    ):
        parts.extend(shape(f["geometry"]) for f in _read_features(rel))
    land = shapely.union_all(parts)
    shapely.prepare(land)
    return land


@cache
def load_median_line() -> LineString:
    """Return the Taiwan Strait median line (27N 122E - 23N 118E, ROC MND 2019), lon/lat."""
    for feature in _read_features("boundaries/v1/taiwan_strait_lines.geojson"):
        name = str((feature.get("properties") or {}).get("name", ""))
        if name.startswith("Taiwan Strait median line"):
            geom = shape(feature["geometry"])
            if isinstance(geom, LineString):
                return geom
    raise FenceError("boundaries/v1/taiwan_strait_lines.geojson has no median line")
