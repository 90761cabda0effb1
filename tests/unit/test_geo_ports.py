import numpy as np

from mda.geo.distance import haversine_m
from mda.geo.fences import load_port_points


def brute_force(ports, lon, lat, within_deg=0.1):
    dist = np.full(lon.size, np.inf)
    idx = np.full(lon.size, -1)
    for k in range(ports.lon.size):
        near = (np.abs(lon - ports.lon[k]) < within_deg) & (np.abs(lat - ports.lat[k]) < within_deg)
        d = haversine_m(lon, lat, np.full(lon.size, ports.lon[k]), np.full(lon.size, ports.lat[k]))
        better = near & (d < dist)
        dist[better], idx[better] = d[better], k
    return dist, idx


def test_nearest_port_point_equals_comparing_every_point_with_every_port():
    ports = load_port_points()
    rng = np.random.default_rng(3)
    # around the ports (inside, on and beyond the 0.1 degree reach) and across the strait
    k = rng.integers(0, ports.lon.size, 20_000)
    lon = np.concatenate([ports.lon[k] + rng.uniform(-0.15, 0.15, k.size), rng.uniform(117.0, 123.0, 20_000)])
    lat = np.concatenate([ports.lat[k] + rng.uniform(-0.15, 0.15, k.size), rng.uniform(21.0, 27.0, 20_000)])
    lon[:10], lat[:10] = ports.lon[:10] + 0.1, ports.lat[:10]  # exactly at the reach: not near
    dist, idx = ports.nearest(lon, lat)
    want_dist, want_idx = brute_force(ports, lon, lat)
    assert np.array_equal(idx, want_idx)
    assert np.array_equal(dist, want_dist)
    assert (idx >= 0).sum() > 10_000


def test_no_position_means_no_distance():
    dist, idx = load_port_points().nearest(np.zeros(0), np.zeros(0))
    assert dist.size == 0
    assert idx.size == 0
