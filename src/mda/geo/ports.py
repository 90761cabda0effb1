"""Port and anchorage reference points (fence set ``ports/v2``) and distances to them."""

from __future__ import annotations

from dataclasses import dataclass

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
        for k in range(self.lon.size):
            near = (np.abs(lon - self.lon[k]) < within_deg) & (np.abs(lat - self.lat[k]) < within_deg)
            if not near.any():
                continue
            sel = np.flatnonzero(near)
            d = haversine_m(
                lon[sel], lat[sel], np.full(sel.size, self.lon[k]), np.full(sel.size, self.lat[k])
            )
            better = d < dist[sel]
            dist[sel[better]] = d[better]
            idx[sel[better]] = k
        return dist, idx
