import datetime as dt
import itertools

import pytest

from mda.events.transits import detect_transits
from mda.geo.fences import load_gates, load_median_line
from mda.interval import Interval
from mda.params import load_params
from mda.schemas import VESSEL_STATIC
from mda.tracks.segment import segment_tracks

from builders import T0, positions, track_line

PARAMS = load_params()
# outside the south gate (South China Sea), mid-strait, outside the north gate (East China Sea)
SOUTH_OUT = (119.0, 22.5)
MID = (120.0, 24.0)
NORTH_OUT = (120.5, 25.8)
DAY = Interval(T0, T0 + dt.timedelta(days=1))


MEDIAN = tuple((float(x), float(y)) for x, y in load_median_line().coords)


def transits(rows, interval=DAY):
    tracks = segment_tracks(positions(rows), PARAMS.tracks)
    return detect_transits(
        tracks, VESSEL_STATIC.empty_table(), load_gates(), PARAMS.transits, interval, "v1", MEDIAN
    )


def voyage(mmsi, legs, every_min=10.0):
    """Fixes along consecutive (point, minute) legs, one every ``every_min`` minutes."""
    rows = []
    for (p0, t0), (p1, t1) in itertools.pairwise(legs):
        n = max(2, int((t1 - t0) / every_min) + 1)
        part = track_line(mmsi, p0, p1, t0, t1, n)
        rows += part if not rows else part[1:]
    return rows


def test_northbound_transit_has_direction_gates_and_ordered_times():
    out = transits(voyage(1, [(SOUTH_OUT, 0), (MID, 360), (NORTH_OUT, 720)])).to_pylist()
    assert len(out) == 1
    t = out[0]
    assert (t["direction"], t["entry_gate"], t["exit_gate"]) == ("northbound", "south", "north")
    assert T0 < t["start_ts"] < t["end_ts"] < T0 + dt.timedelta(minutes=720)
    assert t["duration_s"] == (t["end_ts"] - t["start_ts"]).total_seconds()


def test_southbound_transit():
    out = transits(voyage(2, [(NORTH_OUT, 0), (MID, 360), (SOUTH_OUT, 720)]))
    assert out["direction"].to_pylist() == ["southbound"]


def test_u_turn_through_the_same_gate_is_not_a_transit():
    assert transits(voyage(3, [(SOUTH_OUT, 0), (MID, 360), (SOUTH_OUT, 720)])).num_rows == 0


def test_voyage_ending_inside_the_strait_is_not_a_transit():
    assert transits(voyage(4, [(SOUTH_OUT, 0), (MID, 360)])).num_rows == 0


def test_sparse_fixes_straddling_both_gates_still_give_a_transit():
    rows = voyage(5, [(SOUTH_OUT, 0), (MID, 360), (NORTH_OUT, 720)], every_min=180)
    assert len(rows) == 5
    assert transits(rows).num_rows == 1


def test_gate_time_is_interpolated_between_fixes():
    # two fixes one hour apart, the south gate crossed at the middle of a straight leg
    gate = load_gates()[1]
    (ax, ay), (bx, by) = gate.coords
    mx, my = (ax + bx) / 2, (ay + by) / 2
    rows = track_line(6, (mx - 0.1, my - 0.2), (mx + 0.1, my + 0.2), 0, 60, 2)
    rows += track_line(6, (120.3, 25.2), (120.3, 25.6), 300, 360, 2)
    (t,) = transits(rows).to_pylist()
    assert t["start_ts"] == T0 + dt.timedelta(minutes=30)


def test_dark_period_in_the_middle_does_not_break_a_transit():
    rows = voyage(7, [(SOUTH_OUT, 0), (MID, 360), (NORTH_OUT, 720)])
    dark = [r for r in rows if not (120 <= (r["ts"] - T0).total_seconds() / 60 <= 600)]
    assert transits(dark).num_rows == 1


def test_recrossing_the_entry_gate_counts_once_from_the_last_entry():
    wiggle = [(SOUTH_OUT, 0), ((119.6, 23.0), 60), ((119.3, 22.4), 120), ((119.6, 23.0), 180)]
    rows = voyage(8, [*wiggle, (MID, 400), (NORTH_OUT, 760)])
    (t,) = transits(rows).to_pylist()
    assert t["start_ts"] > T0 + dt.timedelta(minutes=120)


def test_transit_longer_than_72_hours_is_not_a_transit():
    rows = voyage(9, [(SOUTH_OUT, 0), (MID, 60 * 50), (NORTH_OUT, 60 * 100)], every_min=60)
    interval = Interval(T0, T0 + dt.timedelta(days=5))
    assert transits(rows, interval).num_rows == 0


def test_transit_is_emitted_by_the_interval_containing_its_end():
    rows = voyage(10, [(SOUTH_OUT, 60 * 18), (MID, 60 * 24), (NORTH_OUT, 60 * 30)])
    next_day = Interval(DAY.end, DAY.end + dt.timedelta(days=1))
    assert transits(rows, DAY).num_rows == 0
    assert transits(rows, next_day).num_rows == 1


def test_event_id_is_deterministic():
    rows = voyage(11, [(SOUTH_OUT, 0), (MID, 360), (NORTH_OUT, 720)])
    assert transits(rows)["event_id"].to_pylist() == transits(list(reversed(rows)))["event_id"].to_pylist()


@pytest.mark.parametrize("every_min", [1, 30])
def test_two_ships_sharing_an_mmsi_do_not_make_a_false_transit(every_min):
    # one ship loiters off Fujian south of the south gate, the other sits north of the north gate
    rows = voyage(12, [(SOUTH_OUT, 0), ((119.01, 22.5), 600)], every_min) + voyage(
        12, [(NORTH_OUT, 1), ((120.51, 25.8), 601)], every_min
    )
    assert transits(rows).num_rows == 0


def test_transit_west_of_the_median_line_is_in_the_west_lane_with_no_crossing():
    # the median line runs from 118E 23N to 122E 27N: lon = lat + 95 on it
    west = [((117.8, 22.9), 0), ((118.2, 23.9), 200), ((119.3, 25.0), 500), ((120.2, 26.0), 720)]
    (t,) = transits(voyage(13, west)).to_pylist()
    assert t["lane"] == "west"
    assert t["median_line_crossings"] == 0


def test_transit_that_swaps_sides_counts_its_median_line_crossings():
    # enters east of the line, crosses to the west, back east, and leaves east of it
    legs = [(SOUTH_OUT, 0), ((118.2, 23.9), 200), ((120.0, 24.5), 400), ((121.0, 25.8), 720)]
    (t,) = transits(voyage(14, legs)).to_pylist()
    assert t["median_line_crossings"] == 2
    assert t["lane"] == "east"


def test_mean_speed_is_the_distance_between_the_gates_over_the_time():
    (t,) = transits(voyage(15, [(SOUTH_OUT, 0), (MID, 360), (NORTH_OUT, 720)])).to_pylist()
    assert t["mean_speed_knots"] == pytest.approx(t["distance_m"] / 1852 / (t["duration_s"] / 3600))
    assert 10 < t["mean_speed_knots"] < 40
