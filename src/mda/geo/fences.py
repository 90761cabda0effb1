"""Load the versioned fence sets under ``geodata/``.

Fence sets live in ``geodata/<set>/<version>/`` as GeoJSON in WGS84 (EPSG:4326, lon/lat order).
A published version never changes in place; every event records the version it was computed
with (:data:`FENCE_VERSION`).

Only this module reads fence files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry

from mda.geo.ports import PortPoints

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


@dataclass(frozen=True)
class Zone:
    """A restricted-waters or exercise-area polygon, possibly active only for a time.

    Attributes
    ----------
    zone_id : str
        Stable identifier, e.g. ``"tw_12nm"`` or ``"pla_2022_zone_1"``.
    name : str
        Human-readable name (with ``APPROXIMATE`` where the source says so).
    kind : {"restricted_waters", "exercise_area", "watch_area"}
    approximate : bool
        True for derived, non-official limits: label them so wherever shown.
    geometry : BaseGeometry
        Polygon or MultiPolygon, lon/lat degrees, prepared.
    valid_from, valid_to : datetime or None
        UTC instants bounding when the zone is active (half-open); None means always.
    fence_version : str
        ``<set>/<version>`` the zone was read from.
    """

    zone_id: str
    name: str
    kind: str
    approximate: bool
    geometry: BaseGeometry
    valid_from: dt.datetime | None
    valid_to: dt.datetime | None
    fence_version: str


def _when(value: object) -> dt.datetime | None:
    if value in (None, ""):
        return None
    return dt.datetime.fromisoformat(str(value)).astimezone(dt.UTC)


@cache
def load_zones() -> tuple[Zone, ...]:
    """Return the restricted waters (Taiwan 12/24 nm, Kinmen) and PLA exercise areas."""
    zones: list[Zone] = []
    tw = _read_features("zones/v1/taiwan_12nm_24nm_approx.geojson")
    for feature, zone_id in zip(tw, ("tw_12nm", "tw_24nm"), strict=True):
        zones.append(
            _zone(feature, zone_id, str(feature["properties"]["zone"]), "restricted_waters", "zones/v1")
        )
    km = _read_features("zones/v1/kinmen_restricted_waters_approx.geojson")
    for feature, zone_id in zip(km, ("kinmen_prohibited", "kinmen_restricted"), strict=True):
        name = "Kinmen " + str(feature["properties"]["zone"])
        zones.append(_zone(feature, zone_id, name, "restricted_waters", "zones/v1"))
    for feature in _read_features("exercises/v1/pla_announced_exercise_areas.geojson"):
        props = feature["properties"]
        start = _when(props.get("valid_from"))
        if start is None:
            raise FenceError("exercises/v1: every exercise area needs valid_from")
        zone_id = f"pla_{start:%Y%m%d}_zone_{props['zone']}"
        name = f"{props['exercise']}, zone {props['zone']}"
        zones.append(_zone(feature, zone_id, name, "exercise_area", "exercises/v1"))
    for feature in _read_features("zones/v2/outlying_islands_approx.geojson"):
        props = feature["properties"]
        zones.append(
            _zone(feature, str(props["zone_id"]), str(props["zone"]), "restricted_waters", "zones/v2")
        )
    return tuple(zones)


def load_user_zones(folder: Path) -> tuple[Zone, ...]:
    """Zones from users' own GeoJSON files (``*.geojson`` in ``folder``).

    Every feature needs ``zone_id`` and ``name`` properties and a (Multi)Polygon; optional
    ``kind`` (default ``watch_area``), ``valid_from``/``valid_to`` (ISO 8601 with offset) and
    ``approximate`` (bool).  The fence version recorded with their events is
    ``user/<file name>@<first 12 hex digits of the file's SHA-256>``, so editing a file changes
    the version.
    """
    zones: list[Zone] = []
    for path in sorted(folder.glob("*.geojson")):
        raw = path.read_bytes()
        version = f"user/{path.name}@{hashlib.sha256(raw).hexdigest()[:12]}"
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise FenceError(f"{path}: not JSON: {exc}") from exc
        for k, feature in enumerate(doc.get("features") or []):
            props = feature.get("properties") or {}
            if not props.get("zone_id") or not props.get("name"):
                raise FenceError(f"{path}: feature {k} needs zone_id and name properties")
            zone = _zone(
                feature,
                str(props["zone_id"]),
                str(props["name"]),
                str(props.get("kind", "watch_area")),
                version,
            )
            if props.get("approximate") is not None:
                zone = dataclasses.replace(zone, approximate=bool(props["approximate"]))
            zones.append(zone)
    return tuple(zones)


def _zone(feature: dict[str, Any], zone_id: str, name: str, kind: str, version: str) -> Zone:
    geom = shape(feature["geometry"])
    if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid:
        raise FenceError(f"{version}: zone {zone_id} is not a valid polygon")
    shapely.prepare(geom)
    props = feature.get("properties") or {}
    return Zone(
        zone_id=zone_id,
        name=name,
        kind=kind,
        approximate="APPROXIMATE" in name.upper() or "approx" in version,
        geometry=geom,
        valid_from=_when(props.get("valid_from")),
        valid_to=_when(props.get("valid_to")),
        fence_version=version,
    )


@cache
def load_port_points() -> PortPoints:
    """Return the berth and anchorage points of ``ports/v2``."""
    lon: list[float] = []
    lat: list[float] = []
    name: list[str] = []
    country: list[str] = []
    for feature in _read_features("ports/v2/ports_anchorages.geojson"):
        props = feature.get("properties") or {}
        geom = feature.get("geometry") or {}
        if geom.get("type") != "Point" or not props.get("port"):
            raise FenceError("ports/v2/ports_anchorages.geojson: every feature needs a port name and a Point")
        x, y = geom["coordinates"]
        lon.append(float(x))
        lat.append(float(y))
        name.append(str(props["port"]))
        country.append(str(props.get("country", "")))
    return PortPoints(np.array(lon), np.array(lat), name, country)
