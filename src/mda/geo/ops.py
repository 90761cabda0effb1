"""Vectorised point-in-polygon tests on coordinate arrays."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry


def inside(
    geom: BaseGeometry, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Whether each point lies inside ``geom`` (lon/lat degrees).

    Points outside the geometry's bounding box are rejected without a polygon test; the rest
    use ``shapely.contains_xy`` on the prepared geometry.
    """
    out = np.zeros(lon.size, dtype=bool)
    if lon.size == 0:
        return out
    x0, y0, x1, y1 = geom.bounds
    box = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    if box.any():
        shapely.prepare(geom)
        out[box] = shapely.contains_xy(geom, lon[box], lat[box])
    return out
