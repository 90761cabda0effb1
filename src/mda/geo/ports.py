"""Port and anchorage reference points (fence set ``ports/v2``) and distances to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from mda.geo.distance import haversine_m


@dataclass(frozen=True)
class PortPoints:
    """Berth and anchorage points; several points may belong to one port.

    Attributes
    ----------
    lon, lat : ndarray of float64
        Point coordinates, degrees WGS84.
    name : list of str
        Port name of each point.
    country : list of str
        ISO 3166 alpha-2 code of the country operating the port.
    """

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    name: list[str]
    country: list[str]

    def nearest(
        self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], *, within_deg: float = 0.1
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        """Distance in metres to the nearest point and its index, for each position.

        Positions farther than ``within_deg`` degrees (in both lon and lat) from every point
        get ``inf`` and index -1 without a distance computation.
        """
        dist = np.full(lon.size, np.inf)
        idx = np.full(lon.size, -1, dtype=np.int64)
        if lon.size == 0 or self.lon.size == 0:
            return dist, idx
        # coarse cells of within_deg: a point within within_deg of a port lies in the port's cell
        # or a neighbouring one, so only points in those cells are compared with the ports
        cx = np.floor(lon / within_deg).astype(np.int64)
        cy = np.floor(lat / within_deg).astype(np.int64)
        px = np.floor(self.lon / within_deg).astype(np.int64)
        py = np.floor(self.lat / within_deg).astype(np.int64)
        near_cells = np.unique(
            [
                _cell(x + dx, y + dy)
                for x, y in zip(px.tolist(), py.tolist(), strict=True)
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
            ]
        )
        cand = np.flatnonzero(np.isin(_cell(cx, cy), near_cells))
        if cand.size == 0:
            return dist, idx
        clon, clat = lon[cand], lat[cand]
        cdist = np.full(cand.size, np.inf)
        cidx = np.full(cand.size, -1, dtype=np.int64)
        for k in range(self.lon.size):
            near = (np.abs(clon - self.lon[k]) < within_deg) & (np.abs(clat - self.lat[k]) < within_deg)
            if not near.any():
                continue
            sel = np.flatnonzero(near)
            d = haversine_m(
                clon[sel], clat[sel], np.full(sel.size, self.lon[k]), np.full(sel.size, self.lat[k])
            )
            better = d < cdist[sel]
            cdist[sel[better]] = d[better]
            cidx[sel[better]] = k
        dist[cand] = cdist
        idx[cand] = cidx
        return dist, idx


def _cell(cx: Any, cy: Any) -> Any:
    """One integer key per (column, row) cell index pair (|index| below 2**31)."""
    return cx * (1 << 32) + cy
