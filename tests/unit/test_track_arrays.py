import math

import numpy as np

from mda.geo.distance import METRES_PER_NM, haversine_m
from mda.params import load_params
from mda.tracks.arrays import track_arrays
from mda.tracks.segment import segment_tracks

from builders import fix, positions

PARAMS = load_params().tracks


def knots(a, b, minutes):
    d = haversine_m(np.array([a[0]]), np.array([a[1]]), np.array([b[0]]), np.array([b[1]]))[0]
    return d / METRES_PER_NM / (minutes / 60)


def test_missing_speed_is_filled_from_the_next_step_then_the_previous_within_a_track():
    rows = [
        fix(1, 0, 120.00, 24.0, speed=None),  # first fix: the step after it
        fix(1, 10, 120.02, 24.0, speed=7.0),
        fix(1, 20, 120.05, 24.0, speed=None),  # the step after it
        fix(1, 30, 120.09, 24.0, speed=None),  # last fix of the track: the step before it
        fix(2, 0, 121.00, 23.0, speed=None),  # a lone fix: nothing to imply
    ]
    sog = track_arrays(segment_tracks(positions(rows), PARAMS)).sog
    assert math.isclose(sog[0], knots((120.00, 24.0), (120.02, 24.0), 10))
    assert sog[1] == 7.0
    assert math.isclose(sog[2], knots((120.05, 24.0), (120.09, 24.0), 10))
    assert math.isclose(sog[3], knots((120.05, 24.0), (120.09, 24.0), 10))
    assert np.isnan(sog[4])


def test_reported_speeds_are_kept_as_reported():
    rows = [fix(1, m, 120.0 + 0.01 * m, 24.0, speed=5.0 + m) for m in range(5)]
    assert track_arrays(segment_tracks(positions(rows), PARAMS)).sog.tolist() == [5.0, 6.0, 7.0, 8.0, 9.0]


def test_mmsi_time_order_equals_a_stable_sort_by_mmsi_and_time():
    rows = []
    for m in range(20):  # one MMSI, two ships far apart: two interleaved tracks
        rows.append(fix(7, m, 120.0 + 0.003 * m, 24.0))
        rows.append(fix(7, m + 0.5, 121.0 - 0.003 * m, 23.0))
    rows += [fix(3, m, 119.5, 23.5 + 0.001 * m) for m in range(5)]
    rows += [fix(9, 0, 119.0, 23.0), fix(9, 0, 121.0, 25.0)]  # same time, two tracks
    arrays = track_arrays(segment_tracks(positions(rows), PARAMS))
    assert arrays.track_id.max() >= 1
    expected = np.lexsort((arrays.ts, arrays.mmsi))
    assert arrays.mmsi_time_order().tolist() == expected.tolist()
