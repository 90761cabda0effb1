"""Small spherical-earth helpers for the simulator (WGS84 degrees in, metres and degrees out).

Distances use the haversine formula on a sphere of mean radius 6 371 008.8 m, accurate to
about 0.5 % at strait scale, which is ample for a synthetic traffic model.  Bearings are
initial great-circle bearings in degrees clockwise from true north, in ``[0, 360)``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Mean earth radius, metres.
EARTH_RADIUS_M = 6_371_008.8
#: One international nautical mile, metres.
NAUTICAL_MILE_M = 1852.0
#: One knot in metres per second.
KNOT_MS = NAUTICAL_MILE_M / 3600.0


def haversine_m(lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray) -> FloatArray:
    """Great-circle distance.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : ndarray of float64
        Coordinates in degrees (broadcastable).

    Returns
    -------
    ndarray of float64
        Distance in metres.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    return np.asarray(2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points in degrees, in metres."""
    return float(haversine_m(np.array(a[0]), np.array(a[1]), np.array(b[0]), np.array(b[1])))


def bearing_deg(lon1: FloatArray, lat1: FloatArray, lon2: FloatArray, lat2: FloatArray) -> FloatArray:
    """Initial great-circle bearing from point 1 to point 2.

    Parameters
    ----------
    lon1, lat1, lon2, lat2 : ndarray of float64
        Coordinates in degrees (broadcastable).

    Returns
    -------
    ndarray of float64
        Bearing in degrees clockwise from true north, in ``[0, 360)``.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    y = np.sin(dlmb) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dlmb)
    return np.asarray(np.mod(np.degrees(np.arctan2(y, x)), 360.0), dtype=np.float64)


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Local metres per degree of longitude and of latitude at ``lat`` (degrees)."""
    k = math.pi * EARTH_RADIUS_M / 180.0
    return k * math.cos(math.radians(lat)), k


def offset_point(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """Move a point by a local east/north offset in metres (equirectangular, short distances)."""
    mx, my = metres_per_degree(lat)
    return lon + east_m / mx, lat + north_m / my


def destination(lon: float, lat: float, bearing: float, dist_m: float) -> tuple[float, float]:
    """Point reached from (lon, lat) after ``dist_m`` metres on initial bearing ``bearing`` degrees."""
    rad = math.radians(bearing)
    return offset_point(lon, lat, dist_m * math.sin(rad), dist_m * math.cos(rad))
