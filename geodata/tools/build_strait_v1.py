"""Build ``geodata/strait/v1`` (gates and strait area) from the land layers in ``geodata/land/v1``.

Method
------
* Each gate is a polyline whose two ends lie inside land (Natural Earth 10 m land or minor
  islands), so a vessel cannot pass around an end without crossing land.  The north gate runs
  from Fugui Cape (Taiwan) past the north-east of Pingtan Island across Haitan Strait to the
  Fujian mainland; the south gate runs from Eluanbi (Taiwan) to the mainland west of Dongshan
  Island.
* ``inside_side`` names the side of the gate (walking from its first to its last vertex) on
  which the strait lies.
* The strait area is the polygon closed by the two gates and two inland traverses (one through
  Taiwan, one through Fujian/Guangdong), minus land.

Run from the repository root: ``python geodata/tools/build_strait_v1.py``.  The output is
committed; a published version never changes in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import LineString, Point, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
LAND_FILES = [
    ROOT / "land/v1/ne_10m_land_taiwan_strait.geojson",
    ROOT / "land/v1/ne_10m_minor_islands_taiwan_strait.geojson",
]
NORTH_GATE = [(121.56, 25.26), (119.86, 25.55), (119.45, 25.55)]
SOUTH_GATE = [(120.80, 21.96), (117.20, 23.70)]
EAST_TRAVERSE = [(121.56, 25.26), (121.20, 24.00), (120.80, 21.96)]
WEST_TRAVERSE = [
    (117.20, 23.70),
    (116.90, 24.30),
    (117.60, 25.30),
    (118.40, 25.90),
    (119.20, 25.80),
    (119.45, 25.55),
]


def main() -> None:
    """Write gates.geojson and strait_area.geojson."""
    geoms = [shape(f["geometry"]) for p in LAND_FILES for f in json.loads(p.read_text())["features"]]
    land = shapely.union_all(geoms)
    for line in (NORTH_GATE, SOUTH_GATE):
        for end in (line[0], line[-1]):
            assert land.contains(Point(end)), f"gate end {end} is not on land"
    for traverse in (EAST_TRAVERSE, WEST_TRAVERSE):
        assert LineString(traverse).difference(land).is_empty, "traverse crosses water"
    # walk the boundary once: north gate east to west, down the west traverse, the south gate
    # west to east, up the east traverse
    ring = NORTH_GATE + WEST_TRAVERSE[::-1][1:] + SOUTH_GATE[::-1][1:] + EAST_TRAVERSE[::-1][1:]
    area = Polygon(ring).difference(land)
    # keep only the main water body (drop slivers cut off by islands)
    parts = sorted(getattr(area, "geoms", [area]), key=lambda g: g.area, reverse=True)
    area = shapely.set_precision(parts[0], 1e-6)
    out = ROOT / "strait/v1"
    out.mkdir(parents=True, exist_ok=True)
    gates = {
        "type": "FeatureCollection",
        "name": "strait_gates",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "gate": "north",
                    "inside_side": "left",
                    "description": "Fugui Cape (Taiwan) - NE of Pingtan Island - Fujian mainland",
                },
                "geometry": mapping(LineString(NORTH_GATE)),
            },
            {
                "type": "Feature",
                "properties": {
                    "gate": "south",
                    "inside_side": "right",
                    "description": "Eluanbi (Taiwan) - mainland west of Dongshan Island",
                },
                "geometry": mapping(LineString(SOUTH_GATE)),
            },
        ],
    }
    (out / "gates.geojson").write_text(json.dumps(gates, indent=1) + "\n")
    strait = {
        "type": "FeatureCollection",
        "name": "strait_area",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Taiwan Strait between the gates"},
                "geometry": mapping(area),
            }
        ],
    }
    (out / "strait_area.geojson").write_text(json.dumps(strait) + "\n")


if __name__ == "__main__":
    main()
