"""Building blocks of the simulator: encoder, lanes, identities, kinematics, reception."""

from __future__ import annotations

import numpy as np
import pyais
import pytest
import shapely
from shapely.geometry import Point, box

from mda.geo.fences import load_gates, load_land
from mda.simulate import lanes
from mda.simulate.fleet import COUNTRIES, Registry, country_of_mmsi, imo_check_digit, is_valid_imo
from mda.simulate.motion import TrackBuilder, class_a_interval_s, segment_schedule
from mda.simulate.nmea import (
    PositionReports,
    encode_position_payloads,
    single_sentence_lines,
    static_payloads,
    tag_block,
    type5_fields,
    type24_fields,
)
from mda.simulate.receivers import receive


def _random_reports(rng: np.random.Generator, n: int) -> PositionReports:
    msg_type = rng.choice([1, 2, 3, 18], n)
    special_turn = rng.choice([0.0, -128.0, 128.0, 127.0, -127.0], n)
    return PositionReports(
        msg_type=msg_type.astype(np.int64),
        mmsi=rng.integers(200_000_000, 775_999_999, n),
        status=rng.integers(0, 16, n),
        turn=np.where(rng.random(n) < 0.5, rng.uniform(-700, 700, n), special_turn),
        speed=np.where(rng.random(n) < 0.5, np.round(rng.uniform(0, 102.2, n), 1), rng.uniform(0, 102.2, n)),
        accuracy=rng.integers(0, 2, n),
        lon=np.where(rng.random(n) < 0.5, rng.uniform(116, 124, n), rng.uniform(-180, 180, n)),
        lat=np.where(rng.random(n) < 0.5, rng.uniform(20, 28, n), rng.uniform(-90, 90, n)),
        course=np.where(rng.random(n) < 0.5, np.round(rng.uniform(0, 359.9, n), 1), rng.uniform(0, 360, n)),
        heading=rng.integers(0, 512, n),
        second=rng.integers(0, 64, n),
        maneuver=rng.integers(0, 4, n),
        raim=rng.integers(0, 2, n),
        radio=np.where(msg_type == 18, rng.integers(0, 1 << 20, n), rng.integers(0, 1 << 19, n)),
        cs=rng.integers(0, 2, n),
        display=rng.integers(0, 2, n),
        dsc=rng.integers(0, 2, n),
        band=rng.integers(0, 2, n),
        msg22=rng.integers(0, 2, n),
        assigned=rng.integers(0, 2, n),
    )


def _pyais_fields(r: PositionReports, i: int) -> dict[str, object]:
    common = (
        "msg_type",
        "mmsi",
        "speed",
        "accuracy",
        "lon",
        "lat",
        "course",
        "heading",
        "second",
        "raim",
        "radio",
    )
    d: dict[str, object] = {k: getattr(r, k)[i].item() for k in common}
    if d["msg_type"] == 18:
        d.update({k: getattr(r, k)[i].item() for k in ("cs", "display", "dsc", "band", "msg22", "assigned")})
    else:
        d.update({k: getattr(r, k)[i].item() for k in ("status", "turn", "maneuver")})
    return d


def test_vectorised_position_encoder_is_byte_identical_to_pyais():
    rng = np.random.default_rng(2024)
    n = 5000
    reports = _random_reports(rng, n)
    payload = encode_position_payloads(reports)
    channel = np.where(rng.random(n) < 0.5, ord("A"), ord("B")).astype(np.uint8)
    c = rng.integers(1_600_000_000, 1_900_000_000, n)
    lines = single_sentence_lines("TW-PENGHU", c, channel, payload)
    for i in range(n):
        expected = pyais.encode_dict(
            _pyais_fields(reports, i), talker_id="AI", sentence_type="VDM", radio_channel=chr(channel[i])
        )
        assert len(expected) == 1
        assert lines[i].tobytes().decode() == f"{tag_block('TW-PENGHU', int(c[i]))}{expected[0]}\n"


@pytest.mark.parametrize("ais_class", ["A", "B"])
def test_static_sentences_match_pyais_for_every_channel_and_sequence_id(ais_class):
    rng = np.random.default_rng(5)
    ident = Registry().make(rng, "container", "PA", "KAOHSIUNG", eta=(5, 2, 13, 30), ais_class=ais_class)
    statics = static_payloads(ident)
    for seq in range(10):
        for ch in "AB":
            if ais_class == "A":
                expected = [pyais.encode_dict(type5_fields(ident), "AI", "VDM", ch, seq_id=seq)]
            else:
                expected = [pyais.encode_dict(type24_fields(ident, part), "AI", "VDM", ch) for part in (0, 1)]
            for index, sentences in enumerate(expected):
                assert statics.sentences(index, ch, seq) == sentences


def test_tag_block_checksum_covers_the_text_between_backslash_and_star():
    text = tag_block("CN-XIAMEN", 1714521600)
    body, checksum = text[1:-1].split("*")
    x = 0
    for ch in body.encode():
        x ^= ch
    assert checksum == f"{x:02X}"
    assert text == "\\s:CN-XIAMEN,c:1714521600*" + f"{x:02X}" + "\\"


def test_every_route_leg_stays_in_water():
    land = load_land()
    bad = [
        (a, b) for a, b in lanes.edges() if not lanes.leg_in_water(lanes.node_lonlat(a), lanes.node_lonlat(b))
    ]
    assert bad == []
    for name, node in lanes.NODES.items():
        assert not land.contains(Point(node.lon, node.lat)), name


def test_ports_anchorages_and_fishing_grounds_are_open_water():
    land = load_land()
    for place in lanes.places():
        assert land.distance(Point(place.lon, place.lat)) * 111_000 > 500, place.name
    for ground in lanes.FISHING_GROUNDS:
        assert not land.intersects(box(ground.lon_min, ground.lat_min, ground.lon_max, ground.lat_max)), (
            ground.name
        )


def test_inside_strait_flag_of_ports_matches_gate_crossings():
    gates = [g.line for g in load_gates()]
    for port in lanes.PORTS:
        nodes = lanes.route_nodes(port.node, "w3")
        line = shapely.LineString([lanes.node_lonlat(n) for n in nodes])
        crossings = sum(int(line.intersects(g)) for g in gates)
        assert (crossings == 0) == port.inside_strait, port.name


def test_offset_routes_shift_to_starboard_and_stay_in_water():
    nodes = lanes.route_nodes("scs_hongkong", "ecs_north", ("w2", "w4"))
    base = [lanes.node_lonlat(n) for n in nodes]
    shifted = lanes.offset_route(nodes, 2500.0)
    assert lanes.path_in_water(shifted)
    # northbound, starboard is east: interior nodes move east
    assert all(s[0] > b[0] for s, b in zip(shifted[1:-1], base[1:-1], strict=True))
    assert shifted[0] == base[0]
    assert shifted[-1] == base[-1]


def test_imo_numbers_carry_a_valid_check_digit():
    assert imo_check_digit(907_472) == 9  # IMO 9074729: 9*7+0*6+7*5+4*4+7*3+2*2 = 139
    assert is_valid_imo(9074729)
    assert not is_valid_imo(9074728)
    reg = Registry()
    rng = np.random.default_rng(1)
    idents = [reg.make(rng, "bulk", code, "X", ais_class="A") for code in COUNTRIES for _ in range(5)]
    assert all(is_valid_imo(i.imo) for i in idents)
    assert all(country_of_mmsi(i.mmsi) == i.flag for i in idents)
    assert len({i.mmsi for i in idents}) == len(idents)


def test_class_a_intervals_follow_itu_table():
    status = np.array([0, 0, 0, 0, 1, 5, 1])
    sog = np.array([5.0, 14.0, 18.0, 25.0, 0.1, 0.0, 4.0])
    assert class_a_interval_s(status, sog).tolist() == [10.0, 10.0, 6.0, 2.0, 180.0, 180.0, 10.0]


def test_report_schedule_stays_inside_each_segment():
    rng = np.random.default_rng(3)
    t = np.array([0.0, 100.0, 1000.0, 1003.0, 5000.0])
    times, seg = segment_schedule(t, np.array([10.0, 6.0, 2.0, 180.0]), rng)
    assert np.all(np.diff(times) > 0)
    assert np.all((times >= t[seg]) & (times < t[seg + 1]))


def test_track_speed_is_distance_over_time():
    b = TrackBuilder(0.0, (120.0, 24.0)).sail([(120.0, 24.1)], 10.0).stay(600.0, 5)
    track = b.build()
    assert track.sog_kn[0] == pytest.approx(10.0, rel=1e-9)
    assert track.sog_kn[1] == 0.0
    assert not track.moving[1]
    _lon, lat = track.position(np.array([track.t[1] / 2]))
    assert lat[0] == pytest.approx(24.05)


def test_reception_forces_a_heard_fix_in_every_coverage_bin():
    rng = np.random.default_rng(0)
    times = np.arange(0.0, 86400.0, 10.0)
    prob = np.full((times.size, 2), 0.03)
    heard = receive(times, prob, np.ones(times.size, dtype=bool), rng, False, np.array([]))
    got = times[heard.any(axis=1)]
    assert np.diff(got).max() < 2 * 1200.0
