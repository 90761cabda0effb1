"""A simulated strait day, decoded back with pyais, against its ground truth."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import xor
from pathlib import Path
from typing import Any

import numpy as np
import pyais
import pytest
import shapely

from mda.geo.crossings import segment_crossings
from mda.geo.fences import load_gates, load_land
from mda.simulate import SimulationResult, simulate_day
from mda.simulate.day import plan_day
from mda.simulate.fleet import COUNTRIES, is_valid_imo
from mda.simulate.plan import Day
from mda.simulate.scenarios import HOSTILE_NAME
from mda.simulate.traffic import BACKGROUND

DATE = dt.date(2024, 5, 1)
SEED = 11
SCALE = 0.3
DAY_START = dt.datetime(2024, 5, 1, tzinfo=dt.UTC).timestamp()
DAY_END = DAY_START + 86400


def _ts(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _checksum_ok(text: str) -> bool:
    body, _, cs = text.rpartition("*")
    return reduce(xor, body.encode("ascii"), 0) == int(cs, 16)


@dataclass
class Decoded:
    """Everything decoded from the NMEA file."""

    c: list[int] = field(default_factory=list)
    mmsi: list[int] = field(default_factory=list)
    msg_type: list[int] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    speed: list[float] = field(default_factory=list)
    status: list[int] = field(default_factory=list)
    statics: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    static_types: Counter[int] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    duplicate_pairs: list[tuple[int, int, str, str]] = field(default_factory=list)

    def arrays(self) -> dict[str, np.ndarray]:
        """The fix columns as arrays, sorted by (mmsi, c) (computed once)."""
        if not hasattr(self, "_arrays"):
            cols = {k: np.asarray(getattr(self, k)) for k in ("c", "mmsi", "msg_type", "lon", "lat")}
            order = np.lexsort((cols["c"], cols["mmsi"]))
            self._arrays = {k: v[order] for k, v in cols.items()}
        return self._arrays

    def fixes(
        self, mmsi: int, types: tuple[int, ...] = (1, 2, 3, 18)
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(c, lon, lat) of the first copies of one MMSI's position reports, sorted by c."""
        a = self.arrays()
        lo, hi = np.searchsorted(a["mmsi"], [mmsi, mmsi + 1])
        sel = slice(int(lo), int(hi))
        keep = np.isin(a["msg_type"][sel], types)
        return a["c"][sel][keep], a["lon"][sel][keep], a["lat"][sel][keep]


def _decode(lines: list[str]) -> Decoded:
    out = Decoded()
    last_seen: dict[str, tuple[int, str]] = {}
    pending: dict[str, tuple[str, str]] = {}
    running_max = -1
    for line in lines:
        out.counts["total"] += 1
        if line.startswith("$"):
            assert _checksum_ok(line[1:])
            out.counts["non_ais"] += 1
            continue
        assert line.startswith("\\")
        tag, sentence = line[1:].split("\\", 1)
        assert _checksum_ok(tag), line
        fields = dict(part.split(":", 1) for part in tag.rsplit("*", 1)[0].split(","))
        station, c = fields["s"], int(fields["c"])
        if c < running_max:
            out.counts["out_of_order"] += 1
        running_max = max(running_max, c)
        parts = sentence.split(",")
        if not _checksum_ok(sentence[1:]):
            out.counts["bad_checksum"] += 1
            continue
        if parts[5] == "":
            out.counts["empty_payload"] += 1
            continue
        out.counts["ais_sentences"] += 1
        if parts[1] == "2":
            if parts[2] == "1":
                pending[station] = (sentence, line)
                continue
            first, _ = pending.pop(station)
            msg_key = first + sentence
            n_lines, msg = 2, pyais.decode(first, sentence)
        else:
            msg_key, n_lines, msg = sentence, 1, None
        seen = last_seen.get(msg_key)
        last_seen[msg_key] = (c, station)
        if seen is not None and abs(c - seen[0]) <= 3:
            out.counts["duplicates"] += n_lines
            out.duplicate_pairs.append((seen[0], c, seen[1], station))
            continue
        msg = msg or pyais.decode(sentence)
        d = msg.asdict()
        t = d["msg_type"]
        if t in (1, 2, 3, 18):
            out.c.append(c)
            out.mmsi.append(d["mmsi"])
            out.msg_type.append(t)
            out.lon.append(d["lon"])
            out.lat.append(d["lat"])
            out.speed.append(d["speed"])
            out.status.append(int(d["status"]) if t != 18 else -1)
        else:
            out.static_types[t] += 1
            out.statics[d["mmsi"]].append(d)
    assert not pending
    return out


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> tuple[SimulationResult, dict[str, Any], list[str]]:
    out = tmp_path_factory.mktemp("simulated-day")
    res = simulate_day(DATE, SEED, out, scale=SCALE)
    truth = json.loads(res.truth_path.read_text(encoding="utf-8"))
    lines = res.nmea_path.read_text(encoding="ascii").splitlines()
    return res, truth, lines


@pytest.fixture(scope="module")
def truth(sim: tuple[SimulationResult, dict[str, Any], list[str]]) -> dict[str, Any]:
    return sim[1]


@pytest.fixture(scope="module")
def decoded(sim: tuple[SimulationResult, dict[str, Any], list[str]]) -> Decoded:
    return _decode(sim[2])


def test_same_seed_gives_byte_identical_files_and_another_seed_differs(tmp_path: Path):
    a = simulate_day(DATE, 3, tmp_path / "a", scale=0.05)
    b = simulate_day(DATE, 3, tmp_path / "b", scale=0.05)
    c = simulate_day(DATE, 4, tmp_path / "c", scale=0.05)
    assert a.nmea_path.read_bytes() == b.nmea_path.read_bytes()
    assert a.truth_path.read_bytes().replace(b"/a/", b"/b/") == b.truth_path.read_bytes()
    assert a.nmea_path.read_bytes() != c.nmea_path.read_bytes()
    assert not list((tmp_path / "a").glob(".*")), "temporary files must be removed"


def test_result_counts_and_file_names(sim):
    res, truth, lines = sim
    assert res.nmea_path.name == "ais-2024-05-01.nmea"
    assert res.truth_path.name == "truth-2024-05-01.json"
    assert res.lines == len(lines) == truth["lines"]["total"]
    assert res.transits == len(truth["transits"])
    assert res.vessels == len(truth["vessels"])
    assert res.messages == sum(truth["messages_by_type"].values())
    assert truth["nmea_file"] == res.nmea_path.name
    assert truth["fence_version"] == "strait/v1"


def test_line_accounting_adds_up_to_the_line_count_of_the_file(sim, decoded):
    _, truth, lines = sim
    acc = truth["lines"]
    assert acc["total"] == len(lines)
    assert acc["total"] == acc["ais_sentences"] + acc["bad_checksum"] + acc["empty_payload"] + acc["non_ais"]
    for key in ("ais_sentences", "duplicates", "bad_checksum", "empty_payload", "non_ais", "out_of_order"):
        assert decoded.counts[key] == acc[key], key
    for key in ("duplicates", "bad_checksum", "empty_payload", "non_ais", "out_of_order"):
        assert acc[key] > 0, key
    assert 0.0003 < acc["bad_checksum"] / acc["total"] < 0.003


def test_messages_by_type_counts_distinct_messages(truth, decoded):
    got = Counter(decoded.msg_type) + decoded.static_types
    assert {str(k): v for k, v in sorted(got.items())} == truth["messages_by_type"]


def test_duplicates_come_from_another_station_within_two_seconds(decoded):
    assert decoded.duplicate_pairs
    for c0, c1, s0, s1 in decoded.duplicate_pairs:
        assert s0 != s1
        assert 0 <= c1 - c0 <= 2


def test_lines_are_in_receive_time_order_apart_from_a_few(sim, truth):
    _, _, lines = sim
    c = np.array([int(line.split("c:")[1].split("*")[0]) for line in lines if line.startswith("\\")])
    late = c < np.maximum.accumulate(c)
    assert late.sum() == truth["lines"]["out_of_order"]
    assert late.mean() < 0.005
    assert (np.maximum.accumulate(c) - c).max() <= 10
    assert c.min() >= DAY_START
    assert c.max() < DAY_END


def test_every_decoded_fix_is_in_water_and_in_the_region(decoded):
    lon, lat = np.asarray(decoded.lon), np.asarray(decoded.lat)
    assert lon.size > 10_000
    assert np.all((lon > 116) & (lon < 124) & (lat > 20) & (lat < 28))
    on_land = shapely.contains_xy(load_land(), lon, lat)
    assert not on_land.any(), list(zip(lon[on_land][:5], lat[on_land][:5], strict=True))


def test_truth_transits_are_ordered_in_the_day_and_cross_both_gates_in_decoded_fixes(truth, decoded):
    assert len(truth["transits"]) >= 10
    north, south = load_gates()
    shared = {s["mmsi"] for s in truth["shared_mmsi"]}
    for t in truth["transits"]:
        start, end = _ts(t["start_ts"]), _ts(t["end_ts"])
        assert DAY_START <= start < end < DAY_END
        assert {t["entry_gate"], t["exit_gate"]} == {"north", "south"}
        assert t["direction"] == ("northbound" if t["entry_gate"] == "south" else "southbound")
        types = (1, 2, 3) if t["mmsi"] in shared else (1, 2, 3, 18)
        c, lon, lat = decoded.fixes(t["mmsi"], types)
        valid = np.ones(c.size - 1, dtype=bool)
        for gate, when in ((t["entry_gate"], start), (t["exit_gate"], end)):
            coords = (north if gate == "north" else south).coords
            x = segment_crossings(lon, lat, valid, coords)
            seg = x.seg_index
            # a crossing between fixes that bracket the true crossing time
            assert np.any((c[seg] <= when + 5) & (c[seg + 1] >= when - 5)), (t, gate)


def test_no_u_turn_or_inside_port_call_vessel_appears_in_transits(truth):
    transiting = {t["mmsi"] for t in truth["transits"]}
    assert len(truth["u_turns"]) >= 2
    for u in truth["u_turns"]:
        assert u["mmsi"] not in transiting
        assert u["entry_ts"] < u["exit_ts"]
    inside = {p["port"] for p in truth["ports"] if p["inside_strait"]}
    calls = [p for p in truth["port_calls"] if p["port"] in inside]
    assert calls
    assert not {p["mmsi"] for p in calls} & transiting


def test_dark_vessels_really_have_six_hour_holes_and_nobody_else_does(truth, decoded):
    dark = {v["mmsi"] for v in truth["vessels"] if v["role"].startswith("dark")}
    assert {g["mmsi"] for g in truth["gaps"]} == dark
    dark_transits = [t for t in truth["transits"] if t["dark_during"]]
    assert len(dark_transits) >= 2
    for g in truth["gaps"]:
        c, _, _ = decoded.fixes(g["mmsi"])
        start, end = _ts(g["start_ts"]), _ts(g["end_ts"])
        assert end - start >= 6 * 3600
        assert start in c
        assert end in c
        assert not np.any((c > start) & (c < end))
    for mmsi in set(decoded.mmsi) - dark:
        c, _, _ = decoded.fixes(mmsi)
        assert c.size < 2 or np.diff(c).max() < 6 * 3600, mmsi


def test_sparse_reporters_really_report_every_30_minutes(truth, decoded):
    sparse = [v["mmsi"] for v in truth["vessels"] if v["role"].startswith("sparse")]
    assert len(sparse) >= 2
    for mmsi in sparse:
        c, _, _ = decoded.fixes(mmsi)
        gaps = np.diff(c)
        assert c.size > 10
        assert 1790 <= np.median(gaps) <= 1810, mmsi
        assert gaps.min() >= 1790 - 2, mmsi
    sparse_transits = [t for t in truth["transits"] if t["sparse"]]
    assert len(sparse_transits) >= 2


def test_hostile_name_decodes_back_as_written(truth, decoded):
    assert truth["hostile_names"] == [HOSTILE_NAME]
    (mmsi,) = [v["mmsi"] for v in truth["vessels"] if v["name"] == HOSTILE_NAME]
    names = {d["shipname"] for d in decoded.statics[mmsi]}
    assert names == {HOSTILE_NAME} == {"<SVG ONLOAD=ALERT(1)"}


def test_class_a_and_b_messages_every_listed_flag_and_military_law_enforcement_are_present(decoded):
    types = set(decoded.msg_type) | set(decoded.static_types)
    assert {1, 2, 3, 5, 18, 24} <= types
    mids = {m // 1_000_000 for m in decoded.mmsi}
    for country in COUNTRIES.values():
        assert mids & set(country.mids), country.name
    ship_types = {d["ship_type"] for ds in decoded.statics.values() for d in ds if "ship_type" in d}
    assert {30, 35, 37, 52, 55} <= ship_types
    assert ship_types & set(range(60, 70))
    assert ship_types & set(range(70, 80))
    assert ship_types & set(range(80, 90))


def test_class_a_statics_carry_valid_imo_numbers(truth):
    merchant = [v for v in truth["vessels"] if v["ais_class"] == "A" and v["ship_type"] >= 60]
    assert merchant
    assert all(is_valid_imo(v["imo"]) for v in merchant if v["ship_type"] != 90)


def test_navigational_status_matches_what_the_ship_does(truth, decoded):
    mmsi = np.asarray(decoded.mmsi)
    status = np.asarray(decoded.status)
    speed = np.asarray(decoded.speed)
    for role, expected in (("port_stay", 5), ("anchored", 1)):
        ships = [v["mmsi"] for v in truth["vessels"] if v["role"] == role and v["ais_class"] == "A"]
        assert ships
        sel = np.isin(mmsi, ships)
        assert np.all(status[sel] == expected)
        assert np.all(speed[sel] <= 0.3)
    underway = np.isin(status, (0, 7))
    assert np.median(speed[underway]) > 5


def test_loitering_and_encounters_follow_their_definitions(truth, decoded):
    assert len(truth["loitering"]) >= 3
    assert len(truth["encounters"]) >= 2
    for e in truth["loitering"]:
        start, end = _ts(e["start_ts"]), _ts(e["end_ts"])
        assert end - start >= 2 * 3600
        sel = (np.asarray(decoded.mmsi) == e["mmsi"]) & (np.asarray(decoded.c) >= start + 60)
        sel &= np.asarray(decoded.c) < end - 60
        assert sel.sum() > 10
        assert np.asarray(decoded.speed)[sel].max() < 2.0
    for e in truth["encounters"]:
        start, end = _ts(e["start_ts"]), _ts(e["end_ts"])
        assert end - start >= 2 * 3600
        ca, xa, ya = decoded.fixes(e["mmsi_a"])
        cb, xb, yb = decoded.fixes(e["mmsi_b"])
        inside = (ca > start + 60) & (ca < end - 60)
        xb_i = np.interp(ca[inside], cb, xb)
        yb_i = np.interp(ca[inside], cb, yb)
        dist = np.hypot((xa[inside] - xb_i) * 101_000, (ya[inside] - yb_i) * 110_600)
        assert dist.max() < 500


def test_shared_mmsi_is_used_by_two_ships_far_apart(truth, decoded):
    (shared,) = truth["shared_mmsi"]
    names = {d["shipname"] for d in decoded.statics[shared["mmsi"]] if "shipname" in d}
    assert names == set(shared["names"])
    assert len(names) == 2
    assert any(t["mmsi"] == shared["mmsi"] for t in truth["transits"])


def test_port_calls_and_partial_transits_use_iso_utc_and_nullable_ends(truth):
    assert truth["partial_transits"]
    for p in truth["port_calls"]:
        for key in ("arrival_ts", "departure_ts"):
            assert p[key] is None or (p[key].endswith("Z") and DAY_START <= _ts(p[key]) < DAY_END)
    assert any(p["arrival_ts"] is None for p in truth["port_calls"])
    assert any(p["departure_ts"] is None for p in truth["port_calls"])
    assert any(p["arrival_ts"] and p["departure_ts"] for p in truth["port_calls"])


def test_scale_multiplies_background_traffic_and_keeps_the_smaller_days_ships():
    small = plan_day(Day(DATE, SEED, 0.5))
    large = plan_day(Day(DATE, SEED, 1.0))
    scenario = sum(1 for p in small if p.key < 1000)
    assert len(large) - scenario == sum(BACKGROUND.values())
    keys_small = {p.key: p.identity.name for p in small}
    assert all(keys_small[p.key] == p.identity.name for p in large if p.key in keys_small and p.key >= 1000)
