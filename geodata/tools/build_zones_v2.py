"""Build ``geodata/zones/v2``: approximate restricted waters around Matsu, Wuqiu, Penghu and Dongsha.

Method (all APPROXIMATE, not official limits):

* Matsu and Wuqiu: the 4,000 m "prohibited" and 6,000 m "restricted" distances reported for
  the ROC's outlying islands, as buffers of the Natural Earth land of each group
  (``land/v1/land_by_control.geojson``), cut at the equidistance line to PRC land (a point
  stays only where it is closer to the island group than to PRC land).
* Penghu: the 12 nm buffer of the Penghu islands' land (a subset of ``tw_12nm`` that names
  the archipelago).
* Dongsha (Pratas): 12 nm and 24 nm circles around Pratas Island (116.72E, 20.70N), which the
  10 m land layer does not draw.

Distances are measured in a local equirectangular projection (metres east/north of each
group's centre), accurate to well under 1% at these ranges.  Run from the repository root:
``python geodata/tools/build_zones_v2.py``.  The output is committed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Point, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
NM = 1852.0
PRATAS = (116.72, 20.70)


def _local(lon0: float, lat0: float):  # type: ignore[no-untyped-def]
    """Forward and inverse maps between lon/lat degrees and local metres (arrays of shape (n, 2))."""
    scale = np.array([111_320.0 * math.cos(math.radians(lat0)), 110_574.0])
    origin = np.array([lon0, lat0])

    def fwd(xy):  # type: ignore[no-untyped-def]
        return (xy - origin) * scale

    def inv(xy):  # type: ignore[no-untyped-def]
        return xy / scale + origin

    return fwd, inv


def _buffer(geom, metres: float, centre: tuple[float, float]):  # type: ignore[no-untyped-def]
    fwd, inv = _local(*centre)
    return shapely.transform(shapely.transform(geom, fwd).buffer(metres, quad_segs=32), inv)


def _closer_than(region, own, other, centre: tuple[float, float], step_m: float = 150.0):  # type: ignore[no-untyped-def]
    """The part of ``region`` closer to ``own`` than to ``other`` (grid cells of ``step_m``)."""
    fwd, inv = _local(*centre)
    r, a, b = (shapely.transform(g, fwd) for g in (region, own, other))
    x0, y0, x1, y1 = r.bounds
    xs, ys = np.meshgrid(np.arange(x0, x1, step_m), np.arange(y0, y1, step_m))
    pts = shapely.points(xs.ravel(), ys.ravel())
    keep = shapely.contains(r, pts) & (shapely.distance(a, pts) < shapely.distance(b, pts))
    cells = shapely.buffer(pts[keep], step_m * 0.72, cap_style="square")
    return shapely.transform(shapely.union_all(cells).intersection(r), inv)


def main() -> None:
    """Write matsu_wuqiu_penghu_dongsha_approx.geojson."""
    feats = json.loads((ROOT / "land/v1/land_by_control.geojson").read_text())["features"]
    prc = shapely.union_all([shape(f["geometry"]) for f in feats if f["properties"]["control"] == "PRC"])
    out = []
    for group in ("Matsu", "Wuqiu"):
        land = shapely.union_all([shape(f["geometry"]) for f in feats if f["properties"]["group"] == group])
        centre = land.centroid.coords[0]
        for zone, metres in (("prohibited", 4000.0), ("restricted", 6000.0)):
            raw = _buffer(land, metres, centre).difference(land)
            area = shapely.set_precision(_closer_than(raw, land, prc, centre).buffer(0), 1e-6)
            out.append(
                (
                    f"{group.lower()}_{zone}",
                    f"{group} {zone} waters (within {metres:,.0f} m) - APPROXIMATE",
                    area,
                )
            )
    penghu = shapely.union_all(
        [
            shape(f["geometry"])
            for f in feats
            if f["properties"]["group"] == "Taiwan and Penghu" and shape(f["geometry"]).bounds[2] < 119.8
        ]
    )
    centre = penghu.centroid.coords[0]
    out.append(
        (
            "penghu_12nm",
            "Penghu 12 nm - APPROXIMATE",
            shapely.set_precision(_buffer(penghu, 12 * NM, centre).difference(penghu), 1e-6),
        )
    )
    for nm in (12, 24):
        circle = _buffer(Point(PRATAS), nm * NM, PRATAS)
        out.append(
            (
                f"dongsha_{nm}nm",
                f"Dongsha (Pratas) {nm} nm - APPROXIMATE",
                shapely.set_precision(circle, 1e-6),
            )
        )
    doc = {
        "type": "FeatureCollection",
        "name": "outlying_islands_approx",
        "metadata": {
            "caveat": "NOT official limits: rule-of-thumb distances and buffers (geodata/README.md)",
        },
        "features": [
            {"type": "Feature", "properties": {"zone_id": zid, "zone": name}, "geometry": mapping(geom)}
            for zid, name, geom in out
        ],
    }
    (ROOT / "zones/v2").mkdir(parents=True, exist_ok=True)
    (ROOT / "zones/v2/outlying_islands_approx.geojson").write_text(json.dumps(doc) + "\n")


if __name__ == "__main__":
    main()
