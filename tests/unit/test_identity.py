from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from mda.identity import MMSI_CLASSES, SHIP_CATEGORIES, flag_of, mid_of, mid_table, mmsi_class, ship_category


@pytest.mark.parametrize(
    ("mmsi", "cls", "mid"),
    [
        (416123456, "ship", 416),
        (412440123, "ship", 412),
        (41612345, "group", 416),
        (4160001, "coast_station", 416),
        (111416123, "sar_aircraft", 416),
        (994161234, "aton", 416),
        (984161234, "auxiliary_craft", 416),
        (841612345, "handheld", 416),
        (970123456, "sart", None),
        (972000001, "mob", None),
        (974000001, "epirb", None),
        (123456789, "invalid", None),
        (0, "invalid", None),
        (999999999, "invalid", None),
        (1_000_000_000, "invalid", None),
        (-5, "invalid", None),
        (111123456, "invalid", None),
    ],
)
def test_mmsi_class_and_mid_follow_itu_r_m585(mmsi: int, cls: str, mid: int | None):
    assert mmsi_class([mmsi]).to_pylist() == [cls]
    assert mid_of([mmsi]).to_pylist() == [mid]


def test_flag_comes_from_the_mid_of_every_class_that_has_one():
    iso, country = flag_of(pa.array([416123456, 4160001, 994161234, 412000001, 477000001, 970123456, None]))
    assert iso.to_pylist() == ["TW", "TW", "TW", "CN", "HK", None, None]
    assert country.to_pylist()[:5] == ["Taiwan", "Taiwan", "Taiwan", "China", "Hong Kong"]


def test_unallocated_mid_has_no_flag_but_the_ship_class_stays():
    assert mmsi_class([200123456]).to_pylist() == ["ship"]
    assert flag_of([200123456])[0].to_pylist() == [None]


def test_mid_table_covers_the_itu_range_with_iso_codes():
    table = mid_table()
    assert min(table) == 201
    assert max(table) == 775
    assert len(table) > 280
    assert all(len(code) == 2 and code.isupper() for code, _name in table.values())
    assert table[413] == ("CN", "China")
    assert table[416] == ("TW", "Taiwan")
    assert table[431][0] == "JP"
    assert table[548][0] == "PH"


def test_helpers_accept_numpy_chunked_and_float_input_with_nulls():
    as_numpy = mmsi_class(np.array([416123456, 970123456], dtype=np.int64)).to_pylist()
    chunked = mmsi_class(pa.chunked_array([[416123456], [None]])).to_pylist()
    floats = mmsi_class(pa.array([416123456.0, float("nan"), 1.5])).to_pylist()
    assert as_numpy == ["ship", "sart"]
    assert chunked == ["ship", None]
    assert floats == ["ship", None, None]


@pytest.mark.parametrize(
    ("code", "category"),
    [
        (20, "wig"),
        (29, "wig"),
        (30, "fishing"),
        (31, "tug_service"),
        (32, "tug_service"),
        (33, "other"),
        (35, "military"),
        (36, "pleasure"),
        (37, "pleasure"),
        (40, "high_speed"),
        (49, "high_speed"),
        (50, "tug_service"),
        (52, "tug_service"),
        (55, "law_enforcement"),
        (59, "tug_service"),
        (60, "passenger"),
        (69, "passenger"),
        (70, "cargo"),
        (79, "cargo"),
        (80, "tanker"),
        (89, "tanker"),
        (90, "other"),
        (1, "other"),
        (0, None),
        (256, None),
        (None, None),
    ],
)
def test_ship_type_codes_map_to_categories(code: int | None, category: str | None):
    assert ship_category(pa.array([code], pa.int64())).to_pylist() == [category]


def test_category_and_class_names_are_the_documented_ones():
    assert set(ship_category(pa.array(range(256))).to_pylist()) - {None} == set(SHIP_CATEGORIES)
    assert "invalid" in MMSI_CLASSES
