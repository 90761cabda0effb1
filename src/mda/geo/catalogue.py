"""The geodata catalogue (``geodata/catalogue.json``) and the checks behind ``mda fences validate``.

Each catalogued file names its set, version, expected geometry types, source, licence, method
and SHA-256.  Validation checks every file: present and unchanged (checksum), a GeoJSON
FeatureCollection, valid geometries of the expected types inside WGS84 bounds (lon within
[-180, 180], lat within [-90, 90]), gate ends on land, and that no fence file under
``geodata/<set>/<version>/`` is missing from the catalogue.  Users' own zone files (a folder
given by the caller) are checked for the properties :func:`mda.geo.fences.load_user_zones`
needs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, shape

from mda.geo.fences import FenceError, geodata_root, load_gates, load_land, load_user_zones


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogued fence file (paths relative to ``geodata/``)."""

    set: str
    version: str
    file: str
    geometry_types: tuple[str, ...]
    source: str
    licence: str
    method: str
    sha256: str


def load_catalogue() -> list[CatalogueEntry]:
    """Read ``geodata/catalogue.json``."""
    path = geodata_root() / "catalogue.json"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return [CatalogueEntry(**{**e, "geometry_types": tuple(e["geometry_types"])}) for e in doc["files"]]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise FenceError(f"geodata catalogue unreadable: {path}: {exc}") from exc


def feature_count(entry: CatalogueEntry) -> int:
    """Number of features in a catalogued file (0 if unreadable)."""
    try:
        return len(json.loads((geodata_root() / entry.file).read_text(encoding="utf-8")).get("features", []))
    except (OSError, json.JSONDecodeError):
        return 0


def _check_features(label: str, features: list[dict[str, Any]], types: tuple[str, ...]) -> list[str]:
    problems = []
    for k, feature in enumerate(features):
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(f"{label}: feature {k}: unreadable geometry ({exc})")
            continue
        if geom.geom_type not in types:
            problems.append(f"{label}: feature {k}: {geom.geom_type}, expected {'/'.join(types)}")
        if not geom.is_valid:
            problems.append(f"{label}: feature {k}: invalid geometry ({shapely.is_valid_reason(geom)})")
        x0, y0, x1, y1 = geom.bounds
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            problems.append(f"{label}: feature {k}: outside WGS84 lon/lat bounds {geom.bounds}")
    return problems


def validate_fences(user_dir: Path | None = None) -> list[str]:
    """Every problem found in the catalogued geodata (and users' zone files); empty when valid."""
    root = geodata_root()
    problems: list[str] = []
    entries = load_catalogue()
    for entry in entries:
        path = root / entry.file
        try:
            raw = path.read_bytes()
        except OSError:
            problems.append(f"{entry.file}: missing")
            continue
        if hashlib.sha256(raw).hexdigest() != entry.sha256:
            problems.append(
                f"{entry.file}: checksum differs from the catalogue (a published version changed)"
            )
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"{entry.file}: not JSON ({exc})")
            continue
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            problems.append(f"{entry.file}: not a GeoJSON FeatureCollection")
            continue
        problems += _check_features(entry.file, list(doc.get("features") or []), entry.geometry_types)
    catalogued = {e.file for e in entries}
    for path in sorted(root.glob("*/v*/*.geojson")):
        rel = path.relative_to(root).as_posix()
        if rel not in catalogued:
            problems.append(f"{rel}: not in geodata/catalogue.json")
    land = load_land()
    for gate in load_gates():
        for end in (gate.coords[0], gate.coords[-1]):
            if not land.contains(Point(end)):
                problems.append(f"strait/v1/gates.geojson: {gate.name} gate end {end} is not on land")
    if user_dir is not None:
        try:
            load_user_zones(user_dir)
        except FenceError as exc:
            problems.append(str(exc))
        for path in sorted(user_dir.glob("*.geojson")):
            try:
                features = json.loads(path.read_text(encoding="utf-8")).get("features") or []
            except (OSError, json.JSONDecodeError):
                continue
            problems += _check_features(path.name, features, ("Polygon", "MultiPolygon"))
    return problems
