import numpy as np

from mda.geo.crossings import segment_crossings

EAST = ((0.0, 0.0), (10.0, 0.0))  # walking east, the left side is north


def cross(lon: list[float], lat: list[float], fence=EAST, valid=None):
    lon_a, lat_a = np.array(lon), np.array(lat)
    valid = np.ones(len(lon) - 1, dtype=bool) if valid is None else np.array(valid)
    return segment_crossings(lon_a, lat_a, valid, fence)


def test_northward_crossing_is_right_to_left_with_interpolated_point():
    c = cross([5.0, 5.0], [-1.0, 3.0])
    assert c.seg_index.tolist() == [0]
    assert c.sign.tolist() == [1]
    assert c.frac[0] == 0.25
    assert (c.lon[0], c.lat[0]) == (5.0, 0.0)


def test_southward_crossing_has_negative_sign():
    assert cross([5.0, 5.0], [1.0, -1.0]).sign.tolist() == [-1]


def test_fix_exactly_on_the_fence_counts_once():
    c = cross([5.0, 5.0, 5.0], [-1.0, 0.0, 1.0])
    assert c.seg_index.tolist() == [0]
    assert c.frac.tolist() == [1.0]
    assert c.sign.tolist() == [1]


def test_crossing_through_a_shared_vertex_counts_once():
    fence = ((0.0, 0.0), (5.0, 0.0), (10.0, 0.0))
    c = cross([5.0, 5.0], [-1.0, 1.0], fence=fence)
    assert c.seg_index.tolist() == [0]


def test_crossing_at_the_fence_end_counts_and_beyond_the_end_does_not():
    assert cross([10.0, 10.0], [-1.0, 1.0]).seg_index.size == 1
    assert cross([10.01, 10.01], [-1.0, 1.0]).seg_index.size == 0


def test_segments_between_different_tracks_are_ignored():
    c = cross([5.0, 5.0], [-1.0, 1.0], valid=[False])
    assert c.seg_index.size == 0


def test_back_and_forth_gives_alternating_signs_in_order():
    c = cross([1.0, 2.0, 3.0, 4.0], [-1.0, 1.0, -1.0, 1.0])
    assert c.seg_index.tolist() == [0, 1, 2]
    assert c.sign.tolist() == [1, -1, 1]


def test_touching_the_fence_at_a_fix_and_turning_back_is_no_crossing():
    c = cross([5.0, 5.0, 5.0], [-1.0, 0.0, -1.0])
    assert c.seg_index.size == 0


def test_fix_on_the_fence_up_to_rounding_counts_once():
    # the median line lon = lat + 95: a fix computed on it is on it only up to rounding
    line = ((122.0, 27.0), (118.0, 23.0))
    lat = 24.956667
    lon_on = lat + 95.0
    c = cross([lon_on + 0.01, lon_on, lon_on - 0.01], [lat, lat, lat], fence=line)
    assert c.seg_index.size == 1
    touch = cross([lon_on + 0.01, lon_on, lon_on + 0.02], [lat, lat, lat], fence=line)
    assert touch.seg_index.size == 0
