"""Vectorised crossings of track segments with fence polylines.

A *track segment* joins two consecutive fixes of one vessel.  A crossing is recorded where a
segment properly intersects a fence polyline; its time is interpolated linearly along the
segment (planar lon/lat, adequate at strait scale where segments are short compared with the
curvature that matters).  Fixes hours apart that straddle a fence still produce a crossing.

Direction convention: ``sign = +1`` when the segment moves from the fence's right side to its
left side (walking the fence from first to last vertex), ``-1`` the other way.

A fix lying on the fence (up to floating-point rounding) counts once, at that fix, when the
track goes on to the other side (or ends there), and not at all when it returns to the side it
came from (it touched the fence without crossing it).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
#: fractions this close to a segment's end count as the fix itself (floating-point rounding)
_ON_FIX = 1e-9
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Crossings:
    """Crossings of track segments with one polyline.

    Attributes
    ----------
    seg_index : ndarray of int64
        Index ``i`` of the track segment (from fix ``i`` to fix ``i + 1``).
    frac : ndarray of float64
        Fraction along the track segment where it meets the fence, in ``[0, 1]``.
    lon, lat : ndarray of float64
        Crossing point, degrees WGS84.
    sign : ndarray of int64
        +1 right-to-left, -1 left-to-right (see module docstring).
    """

    seg_index: IntArray
    frac: FloatArray
    lon: FloatArray
    lat: FloatArray
    sign: IntArray


def segment_crossings(
    lon: FloatArray,
    lat: FloatArray,
    valid: npt.NDArray[np.bool_],
    fence: tuple[tuple[float, float], ...],
) -> Crossings:
    """Find where consecutive fixes cross a polyline.

    Parameters
    ----------
    lon, lat : ndarray of float64, shape (n,)
        Fix coordinates in degrees, ordered by track then time.
    valid : ndarray of bool, shape (n - 1,)
        ``valid[i]`` is True when fixes ``i`` and ``i + 1`` belong to the same track, so the
        segment between them is a real movement.
    fence : sequence of (lon, lat)
        Polyline vertices in degrees.

    Returns
    -------
    Crossings
        Sorted by ``seg_index`` then ``frac``.
    """
    px, py = lon[:-1], lat[:-1]
    rx, ry = lon[1:] - px, lat[1:] - py
    idx_parts: list[IntArray] = []
    t_parts: list[FloatArray] = []
    sign_parts: list[IntArray] = []
    candidates = np.flatnonzero(valid)
    for (ax, ay), (bx, by) in itertools.pairwise(fence):
        sx, sy = bx - ax, by - ay
        # quick reject: the track segment's bounding box must meet the fence segment's box
        cx0, cx1 = np.minimum(px, px + rx)[candidates], np.maximum(px, px + rx)[candidates]
        cy0, cy1 = np.minimum(py, py + ry)[candidates], np.maximum(py, py + ry)[candidates]
        box = (cx1 >= min(ax, bx)) & (cx0 <= max(ax, bx)) & (cy1 >= min(ay, by)) & (cy0 <= max(ay, by))
        i = candidates[box]
        if i.size == 0:
            continue
        denom = rx[i] * sy - ry[i] * sx
        qpx, qpy = ax - px[i], ay - py[i]
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (qpx * sy - qpy * sx) / denom
            u = (qpx * ry[i] - qpy * rx[i]) / denom
        hit = (denom != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
        # side of the fence segment for the fix where the movement starts: cross(s, p - a)
        # > 0 means the fix is on the left; moving right->left gives a negative denom.
        idx_parts.append(i[hit])
        t_parts.append(t[hit])
        sign_parts.append(np.where(denom[hit] < 0, 1, -1).astype(np.int64))
    if not idx_parts:
        empty_i = np.empty(0, dtype=np.int64)
        empty_f = np.empty(0, dtype=np.float64)
        return Crossings(empty_i, empty_f, empty_f, empty_f, empty_i)
    seg = np.concatenate(idx_parts)
    frac = np.concatenate(t_parts)
    sign = np.concatenate(sign_parts)
    order = np.lexsort((frac, seg))
    seg, frac, sign = seg[order], frac[order], sign[order]
    # a track segment through a shared vertex of two fence segments meets both: keep one
    keep = np.ones(seg.size, dtype=bool)
    keep[1:] = ~((seg[1:] == seg[:-1]) & (np.abs(frac[1:] - frac[:-1]) < 1e-12))
    seg, frac, sign = seg[keep], frac[keep], sign[keep]
    # a fix on the fence (up to rounding) ends one segment and starts the next: the two
    # crossings are one crossing when they agree in direction, and a touch (none) when not
    at_fix = (seg[1:] == seg[:-1] + 1) & (frac[:-1] > 1.0 - _ON_FIX) & (frac[1:] < _ON_FIX)
    drop = np.zeros(seg.size, dtype=bool)
    drop[1:] |= at_fix
    drop[:-1] |= at_fix & (sign[1:] != sign[:-1])
    seg, frac, sign = seg[~drop], frac[~drop], sign[~drop]
    return Crossings(
        seg_index=seg,
        frac=frac,
        lon=px[seg] + frac * rx[seg],
        lat=py[seg] + frac * ry[seg],
        sign=sign,
    )
