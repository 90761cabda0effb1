"""Detectors on tiny hand-built tracks: the edges of each definition."""

import datetime as dt

import numpy as np
import pyarrow as pa

from mda.events.detect import load_fences, near_area
from mda.events.encounters import detect_encounters
from mda.events.gaps import detect_gaps
from mda.events.identity import detect_identity_anomalies
from mda.events.loitering import detect_loitering
from mda.events.median_line import detect_median_line_crossings
from mda.events.port_calls import detect_port_calls
from mda.events.zones import detect_zone_events
from mda.geo.fences import load_median_line, load_zones
from mda.geo.ports import PortPoints
from mda.interval import Interval
from mda.params import load_params
from mda.schemas import VESSEL_STATIC
from mda.tracks.arrays import track_arrays
from mda.tracks.segment import segment_tracks

from builders import T0, fix, positions

P = load_params()
DAY = Interval(T0, T0 + dt.timedelta(days=1))
HORIZON = int(DAY.end.timestamp() * 1e6)
MID = (120.0, 24.0)  # mid-strait, far from ports


def arrays(rows):
    return track_arrays(segment_tracks(positions(rows), P.tracks))


def drift(mmsi, start_min, minutes, speed, every=5.0, at=MID, step_deg=0.0):
    """Fixes every ``every`` minutes at ``speed`` knots, moving ``step_deg`` of longitude per fix."""
    return [
        fix(mmsi, start_min + k * every, at[0] + k * step_deg, at[1], speed=speed)
        for k in range(int(minutes / every) + 1)
    ]


def everywhere(a):
    return np.ones(a.size, dtype=bool)


# --- loitering -------------------------------------------------------------------------------


def test_two_slow_hours_then_moving_on_is_loitering():
    rows = drift(1, 0, 150, 0.8) + drift(1, 155, 60, 12.0, step_deg=0.01, at=(MID[0] + 0.001, MID[1]))
    a = arrays(rows)
    (ev,) = detect_loitering(a, everywhere(a), P.loitering, HORIZON, DAY, "f", "v1").to_pylist()
    assert ev["start_ts"] == T0
    assert ev["end_ts"] == T0 + dt.timedelta(minutes=150)
    assert ev["closed_ts"] == T0 + dt.timedelta(minutes=155)


def test_slow_for_less_than_two_hours_is_not_loitering():
    rows = drift(1, 0, 115, 0.8) + drift(1, 120, 60, 12.0, step_deg=0.01)
    a = arrays(rows)
    assert detect_loitering(a, everywhere(a), P.loitering, HORIZON, DAY, "f", "v1").num_rows == 0


def test_loitering_still_going_at_the_horizon_is_not_reported_yet():
    a = arrays(drift(1, 0, 180, 0.5))
    horizon = int((T0 + dt.timedelta(minutes=200)).timestamp() * 1e6)
    assert detect_loitering(a, everywhere(a), P.loitering, horizon, DAY, "f", "v1").num_rows == 0
    assert detect_loitering(a, everywhere(a), P.loitering, HORIZON, DAY, "f", "v1").num_rows == 1


def test_slow_fixes_in_port_are_not_loitering():
    a = arrays(drift(1, 0, 180, 0.5) + drift(1, 185, 30, 12.0, step_deg=0.01))
    assert detect_loitering(a, ~everywhere(a), P.loitering, HORIZON, DAY, "f", "v1").num_rows == 0


# --- gaps ------------------------------------------------------------------------------------


def test_six_hours_of_silence_while_underway_is_a_gap_with_distance_and_speed():
    rows = drift(2, 0, 30, 12.0, step_deg=0.02) + drift(
        2, 30 + 6 * 60, 30, 12.0, step_deg=0.02, at=(121.0, 24.0)
    )
    a = arrays(rows)
    (ev,) = detect_gaps(a, everywhere(a), P.gaps, DAY, "f", "v1").to_pylist()
    assert ev["duration_s"] == 6 * 3600
    assert ev["distance_m"] > 10_000
    assert 0 < ev["implied_speed_knots"] < 20


def test_silence_of_a_moored_vessel_is_not_a_gap():
    rows = drift(2, 0, 30, 0.0) + drift(2, 30 + 7 * 60, 30, 0.0)
    a = arrays(rows)
    assert detect_gaps(a, everywhere(a), P.gaps, DAY, "f", "v1").num_rows == 0


def test_five_hours_of_silence_is_not_a_gap():
    rows = drift(2, 0, 30, 12.0, step_deg=0.02) + drift(
        2, 30 + 5 * 60, 30, 12.0, step_deg=0.02, at=(121.0, 24.0)
    )
    a = arrays(rows)
    assert detect_gaps(a, everywhere(a), P.gaps, DAY, "f", "v1").num_rows == 0


# --- encounters ------------------------------------------------------------------------------


def test_two_slow_vessels_side_by_side_for_three_hours_meet():
    rows = drift(3, 0, 180, 0.5) + drift(4, 0, 180, 0.6, at=(MID[0] + 0.003, MID[1]))  # ~300 m apart
    rows += drift(3, 185, 60, 10.0, step_deg=0.02, at=(MID[0] + 0.02, MID[1]))
    rows += drift(4, 185, 60, 10.0, step_deg=-0.02, at=(MID[0] - 0.02, MID[1]))
    a = arrays(rows)
    (ev,) = detect_encounters(a, everywhere(a), P.encounters, HORIZON, DAY, "f", "v1").to_pylist()
    assert (ev["mmsi"], ev["other_mmsi"]) == (3, 4)
    assert ev["duration_s"] >= 2 * 3600
    assert ev["median_distance_m"] < 500


def test_vessels_a_kilometre_apart_do_not_meet():
    rows = drift(3, 0, 180, 0.5) + drift(4, 0, 180, 0.5, at=(MID[0] + 0.012, MID[1]))
    a = arrays(rows)
    assert detect_encounters(a, everywhere(a), P.encounters, HORIZON, DAY, "f", "v1").num_rows == 0


def test_vessels_in_diagonally_neighbouring_index_cells_meet():
    # 0.01-degree index cells: 150 m apart across a cell corner, either vessel on either side
    low, high = (120.0095, 24.0095), (120.0105, 24.0105)
    for at_3, at_4 in ((low, high), (high, low)):
        a = arrays(drift(3, 0, 180, 0.5, at=at_3) + drift(4, 0, 180, 0.5, at=at_4))
        (ev,) = detect_encounters(a, everywhere(a), P.encounters, HORIZON, DAY, "f", "v1").to_pylist()
        assert (ev["mmsi"], ev["other_mmsi"]) == (3, 4)
        assert ev["median_distance_m"] < 200


def test_meeting_inside_a_port_is_not_an_encounter():
    rows = drift(3, 0, 180, 0.5) + drift(4, 0, 180, 0.5, at=(MID[0] + 0.002, MID[1]))
    a = arrays(rows)
    assert detect_encounters(a, ~everywhere(a), P.encounters, HORIZON, DAY, "f", "v1").num_rows == 0


# --- port calls ------------------------------------------------------------------------------

PORT = PortPoints(np.array([120.3]), np.array([22.6]), ["Kaohsiung"], ["TW"])


def test_entry_stop_and_exit_is_a_port_call():
    approach = [fix(5, k * 5, 120.3 - 0.1 + k * 0.01, 22.6, speed=10.0) for k in range(10)]
    stop = drift(5, 50, 120, 0.0, at=(120.3, 22.6))
    leave = [fix(5, 175 + k * 5, 120.3 + k * 0.01, 22.6, speed=10.0) for k in range(1, 10)]
    a = arrays(approach + stop + leave)
    (ev,) = detect_port_calls(a, PORT, P.port_calls, DAY, "f", "v1").to_pylist()
    assert ev["port"] == "Kaohsiung"
    assert ev["country"] == "TW"
    assert ev["start_ts"] < T0 + dt.timedelta(minutes=50) < ev["end_ts"]


def test_passing_through_without_stopping_is_not_a_port_call():
    rows = [fix(5, k * 5, 120.3 - 0.1 + k * 0.01, 22.6, speed=10.0) for k in range(21)]
    a = arrays(rows)
    assert detect_port_calls(a, PORT, P.port_calls, DAY, "f", "v1").num_rows == 0


def test_vessel_still_in_port_is_not_reported_yet():
    approach = [fix(5, k * 5, 120.3 - 0.1 + k * 0.01, 22.6, speed=10.0) for k in range(10)]
    a = arrays(approach + drift(5, 50, 120, 0.0, at=(120.3, 22.6)))
    assert detect_port_calls(a, PORT, P.port_calls, DAY, "f", "v1").num_rows == 0


def test_idling_between_three_and_four_kilometres_makes_one_visit():
    # in at 2 km, out to 3.5 km (still inside by hysteresis), back to 2 km, then away
    lons = [120.3 - 0.1, 120.3 - 0.02, 120.3 - 0.034, 120.3 - 0.02, 120.3 - 0.1]
    rows = [fix(5, k * 30, lon, 22.6, speed=0.1 if k else 10.0) for k, lon in enumerate(lons)]
    a = arrays(rows)
    assert detect_port_calls(a, PORT, P.port_calls, DAY, "f", "v1").num_rows == 1


# --- zones -----------------------------------------------------------------------------------


def test_entering_the_taiwan_12nm_limit_is_a_zone_event_marked_approximate():
    # from mid-strait east towards Taichung and back out
    path = [(119.9 + 0.02 * k, 24.25) for k in range(25)] + [(120.38 - 0.02 * k, 24.25) for k in range(25)]
    rows = [fix(6, 10 * k, lon, lat) for k, (lon, lat) in enumerate(path)]
    a = arrays(rows)
    zones = [z for z in load_zones() if z.zone_id == "tw_12nm"]
    (ev,) = detect_zone_events(a, zones, P.zones, HORIZON, DAY, "v1").to_pylist()
    assert ev["zone_id"] == "tw_12nm"
    assert ev["approximate"] is True
    assert ev["dwell_s"] > 0


def test_exercise_area_counts_only_while_active():
    zone = next(z for z in load_zones() if z.kind == "exercise_area")
    lon, lat = zone.geometry.representative_point().coords[0]
    assert zone.valid_from is not None
    rows = [fix(7, 10 * k, lon, lat) for k in range(6)]
    outside_validity = arrays(rows)
    assert detect_zone_events(outside_validity, [zone], P.zones, HORIZON, DAY, "v1").num_rows == 0
    start = zone.valid_from + dt.timedelta(minutes=30)
    active = positions(
        [{**r, "ts": start + (r["ts"] - T0)} for r in rows]
        + [{**rows[0], "ts": start + dt.timedelta(hours=1), "lon": lon + 1}]
    )
    a = track_arrays(segment_tracks(active, P.tracks))
    day = Interval(start - dt.timedelta(hours=1), start + dt.timedelta(hours=12))
    events = detect_zone_events(a, [zone], P.zones, int(day.end.timestamp() * 1e6), day, "v1")
    assert events.num_rows == 1


# --- median line -----------------------------------------------------------------------------


def test_crossing_the_median_line_eastward_is_w_to_e():
    line = tuple((float(x), float(y)) for x, y in load_median_line().coords)
    rows = [fix(8, 10 * k, 119.0 + 0.05 * k, 24.3) for k in range(10)]
    (ev,) = detect_median_line_crossings(arrays(rows), line, DAY, "f", "v1").to_pylist()
    assert ev["direction"] == "W->E"
    assert abs(ev["lon"] - 119.3) < 1e-9  # the line passes 24.3N at 119.3E
    back = [fix(9, 10 * k, 119.5 - 0.05 * k, 24.3) for k in range(10)]
    assert detect_median_line_crossings(arrays(back), line, DAY, "f", "v1")["direction"].to_pylist() == [
        "E->W"
    ]


# --- identity --------------------------------------------------------------------------------


def test_one_mmsi_falling_silent_as_another_appears_beside_it_is_a_swap():
    other = drift(99, 0, 600, 10.0, every=10, step_deg=0.01, at=(119.0, 23.0))  # keeps the feed alive
    before = drift(10, 0, 120, 8.0, step_deg=0.005)
    after = drift(11, 123, 120, 8.0, step_deg=0.005, at=(MID[0] + 0.005 * 24 + 0.002, MID[1]))
    a = arrays(other + before + after)
    events = detect_identity_anomalies(a, VESSEL_STATIC.empty_table(), P.identity, DAY, DAY, "v1").to_pylist()
    swaps = [e for e in events if e["anomaly"] == "identity_swap"]
    assert [(e["mmsi"], e["other_mmsi"]) for e in swaps] == [(10, 11)]


def test_several_names_in_one_day_is_an_anomaly_known_at_the_day_end():
    static = pa.Table.from_pylist(
        [
            {
                "ts": T0 + dt.timedelta(hours=1),
                "mmsi": 12,
                "msg_type": 5,
                "shipname": "FU YUAN YU 1",
                "source": "s",
                "line_no": 1,
            },
            {
                "ts": T0 + dt.timedelta(hours=9),
                "mmsi": 12,
                "msg_type": 5,
                "shipname": "XING SHUN 39",
                "source": "s",
                "line_no": 2,
            },
        ],
        schema=VESSEL_STATIC,
    )
    empty = arrays([])
    (ev,) = detect_identity_anomalies(empty, static, P.identity, DAY, DAY, "v1").to_pylist()
    assert ev["anomaly"] == "several_names"
    assert ev["closed_ts"] == DAY.end - dt.timedelta(microseconds=1)
    early = Interval(T0, T0 + dt.timedelta(hours=12))
    assert detect_identity_anomalies(empty, static, P.identity, early, early, "v1").num_rows == 0


# --- vessel attributes -----------------------------------------------------------------------


def test_events_carry_the_identity_last_reported_before_their_end():
    from mda.events.vessels import attach_vessel_attributes

    static = pa.Table.from_pylist(
        [
            {
                "ts": T0,
                "mmsi": 416000001,
                "msg_type": 5,
                "shipname": "OLD NAME",
                "ship_type": 30,
                "source": "s",
                "line_no": 1,
            },
            {
                "ts": T0 + dt.timedelta(hours=5),
                "mmsi": 416000001,
                "msg_type": 5,
                "shipname": "NEW NAME",
                "ship_type": 55,
                "callsign": "BR1",
                "imo": 9000001,
                "source": "s",
                "line_no": 2,
            },
        ],
        schema=VESSEL_STATIC,
    )
    rows = drift(416000001, 0, 30, 12.0, step_deg=0.02) + drift(
        416000001, 30 + 6 * 60, 30, 12.0, step_deg=0.02, at=(121.0, 24.0)
    )
    a = arrays(rows)
    gaps = detect_gaps(a, everywhere(a), P.gaps, DAY, "f", "v1")
    (ev,) = attach_vessel_attributes(gaps, static).to_pylist()
    assert ev["shipname"] == "NEW NAME"  # reported at 05:00, before the gap ended at 06:30
    assert ev["category"] == "law_enforcement"
    assert ev["flag"] == "TW"
    assert ev["imo"] == 9000001
    early = attach_vessel_attributes(gaps, static.slice(0, 1)).to_pylist()[0]
    assert early["shipname"] == "OLD NAME"
    assert early["callsign"] is None


def test_the_strait_grown_for_gaps_is_built_once_and_reaches_past_the_strait_by_the_distance():
    area = load_fences().strait_area
    near_m = load_params().gaps.near_m
    near = near_area(area, near_m)
    assert near_area(area, near_m) is near  # every bucket of a run tests against the same one
    assert near.equals(area.buffer(near_m / 111_320.0))
    assert near.contains(area)
    assert near.area > area.area
