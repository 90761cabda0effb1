"""Vectorised point-in-polygon tests on coordinate arrays."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

#: Cells per side of the largest dimension of a geometry's raster (see :func:`inside`); each
#: process builds a geometry's raster once, in about 1 ms per 1,000 cells.
RASTER_CELLS = 64


@dataclass(frozen=True)
class _Raster:
    """A geometry's bounding box cut into square cells, each inside, outside or on the boundary."""

    x0: float
    y0: float
    cell: float
    state: npt.NDArray[np.int8]  # (rows, columns): 1 interior, 0 exterior, -1 touches the boundary


@functools.lru_cache(maxsize=128)
def _raster(geom: BaseGeometry) -> _Raster:
    x0, y0, x1, y1 = geom.bounds
    cell = max(x1 - x0, y1 - y0, 1e-9) / RASTER_CELLS
    nx, ny = int((x1 - x0) / cell) + 1, int((y1 - y0) / cell) + 1
    ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
    xs, ys = x0 + ix.ravel() * cell, y0 + iy.ravel() * cell
    boxes = shapely.box(xs, ys, xs + cell, ys + cell)
    shapely.prepare(geom)
    interior = shapely.contains_properly(geom, boxes)
    touches = shapely.intersects(geom, boxes)
    state = np.where(interior, 1, np.where(touches, -1, 0)).astype(np.int8).reshape(ny, nx)
    return _Raster(x0, y0, cell, state)


def inside(
    geom: BaseGeometry, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Whether each point lies inside ``geom`` (lon/lat degrees), as ``shapely.contains_xy``.

    The geometry's bounding box is cut once into about ``RASTER_CELLS`` cells a side, each
    classified with Shapely as interior (``contains_properly``), exterior (disjoint) or
    boundary; a point in an interior or exterior cell is answered from its cell, and only
    points in boundary cells get the exact ``contains_xy`` test on the prepared geometry.
    Cells are closed boxes, so a point on an edge between two cells is answered correctly by
    either of them.
    """
    out = np.zeros(lon.size, dtype=bool)
    if lon.size == 0 or geom.is_empty:
        return out
    r = _raster(geom)
    ny, nx = r.state.shape
    with np.errstate(invalid="ignore"):
        ix = np.floor((lon - r.x0) / r.cell)
        iy = np.floor((lat - r.y0) / r.cell)
    box = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    sel = np.flatnonzero(box)
    state = r.state[iy[sel].astype(np.int64), ix[sel].astype(np.int64)]
    out[sel[state == 1]] = True
    edge = sel[state == -1]
    if edge.size:
        shapely.prepare(geom)
        out[edge] = shapely.contains_xy(geom, lon[edge], lat[edge])
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
