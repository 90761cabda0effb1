import numpy as np
import shapely

from mda.geo.fences import load_strait_area, load_zones
from mda.geo.ops import inside


def exact(geom, lon, lat):
    return shapely.contains_xy(geom, lon, lat)


def sample(geom, n, rng):
    x0, y0, x1, y1 = geom.bounds
    lon = rng.uniform(x0 - 0.2, x1 + 0.2, n)
    lat = rng.uniform(y0 - 0.2, y1 + 0.2, n)
    vertices = shapely.get_coordinates(shapely.boundary(geom))
    # vertices, midpoints of edges and points a hair inside or outside them
    mids = (vertices[1:] + vertices[:-1]) / 2
    edge = np.concatenate([vertices, mids, mids + 1e-9, mids - 1e-9])
    return np.concatenate([lon, edge[:, 0]]), np.concatenate([lat, edge[:, 1]])


def test_raster_answers_equal_contains_xy_for_every_fence_polygon():
    rng = np.random.default_rng(5)
    geoms = [load_strait_area(), load_strait_area().buffer(0.1), *(z.geometry for z in load_zones())]
    for geom in geoms:
        lon, lat = sample(geom, 50_000, rng)
        assert np.array_equal(inside(geom, lon, lat), exact(geom, lon, lat))


def test_points_without_coordinates_are_outside():
    lon = np.array([np.nan, 120.0])
    lat = np.array([24.0, np.nan])
    assert not inside(load_strait_area(), lon, lat).any()
