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


def east_of_line(
    line: tuple[tuple[float, float], ...], lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """+1 for points east of a straight line (its first and last vertex), -1 west, 0 on it.

    "East" is the side a point due east of the line's first vertex lies on; the line must not
    run due east-west.
    """
    (ax, ay), (bx, by) = line[0], line[-1]
    left = (bx - ax) * (lat - ay) - (by - ay) * (lon - ax)  # > 0: left of first -> last
    return np.asarray(np.sign(left if left_is_east(line) else -left), dtype=np.int64)


def left_is_east(line: tuple[tuple[float, float], ...]) -> bool:
    """Whether the left side of a straight line (walking first to last vertex) is its east side."""
    (_ax, ay), (_bx, by) = line[0], line[-1]
    return -(by - ay) > 0  # the cross product for the point one degree east of the first vertex
