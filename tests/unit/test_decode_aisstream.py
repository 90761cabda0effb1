from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mda.decode.aisstream import AisstreamDecoder
from mda.decode.gotime import parse_go_time_us
from mda.sources.open import open_decoder

FIXTURE = Path(__file__).parents[1] / "fixtures" / "handmade" / "aisstream_2026-11-24T03.jsonl"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


def us(when: dt.datetime) -> int:
    return int(when.timestamp()) * 1_000_000 + when.microsecond


@pytest.fixture(scope="module")
def decoded() -> dict[str, object]:
    source = open_decoder(FIXTURE, chunk_lines=4)
    out: dict[str, list[dict[str, object]]] = {"positions": [], "static": [], "rejects": []}
    for batch in source:
        out["positions"] += batch.positions.to_pylist()
        out["static"] += batch.static.to_pylist()
        out["rejects"] += batch.rejects.to_pylist()
    return {"format": source.format, "accounting": source.accounting, **out}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24 03:12:45.123456789 +0000 UTC", utc(2026, 11, 24, 3, 12, 45, 123456)),
        ("2026-04-25 09:47:25.26746452 +0000 UTC", utc(2026, 4, 25, 9, 47, 25, 267464)),
        ("2026-11-24 03:12:49 +0000 UTC", utc(2026, 11, 24, 3, 12, 49)),
        ("2026-11-24 11:12:49.5 +0800 CST", utc(2026, 11, 24, 3, 12, 49, 500000)),
    ],
)
def test_go_time_format_is_parsed_to_utc_microseconds(text: str, expected: dt.datetime):
    assert parse_go_time_us(text) == us(expected)


@pytest.mark.parametrize("text", ["yesterday", "2026-13-24 03:12:45 +0000 UTC", "", "2026-11-24"])
def test_unreadable_go_time_is_none(text: str):
    assert parse_go_time_us(text) is None


def test_fixture_is_detected_as_aisstream_and_every_line_is_accounted(decoded):
    acc = decoded["accounting"]
    assert decoded["format"] == "aisstream"
    assert acc.lines == 18
    assert acc.balanced
    assert (acc.decoded, acc.duplicates, acc.non_ais) == (8, 1, 1)
    assert acc.rejected == {
        "unknown_type": 1,
        "invalid_position": 1,
        "bad_json": 1,
        "unexpected_json": 2,
        "decode_error": 1,
        "no_timestamp": 1,
        "bad_timestamp": 1,
    }
    assert acc.messages_by_type == {1: 1, 18: 1, 5: 1, 24: 2, 19: 1, 4: 1, 21: 1}


def test_position_reports_map_to_pyais_names_with_sentinels_null(decoded):
    class_a, class_b, extended = decoded["positions"]
    assert class_a["ts"] == utc(2026, 11, 24, 3, 12, 45, 123456)
    assert (class_a["mmsi"], class_a["msg_type"], class_a["status"], class_a["heading"]) == (
        416004567,
        1,
        0,
        205,
    )
    assert (class_a["lat"], class_a["lon"]) == (24.48215, 119.88732)
    assert class_a["speed"] == pytest.approx(13.2)
    assert class_a["course"] == pytest.approx(203.4)
    assert (class_b["msg_type"], class_b["speed"], class_b["course"], class_b["heading"]) == (
        18,
        None,
        None,
        None,
    )
    assert class_b["status"] is None
    assert (extended["msg_type"], extended["mmsi"], extended["heading"]) == (19, 416123456, 90)


def test_static_messages_map_to_vessel_static(decoded):
    ship, part_a, part_b, extended = decoded["static"]
    assert (ship["msg_type"], ship["imo"], ship["callsign"], ship["shipname"]) == (
        5,
        9757187,
        "BKHA",
        "YM WELLNESS",
    )
    assert (ship["ship_type"], ship["to_bow"], ship["to_starboard"], ship["destination"]) == (
        71,
        300,
        26,
        "KAOHSIUNG",
    )
    assert ship["draught"] == pytest.approx(13.5)
    assert (part_a["part"], part_a["shipname"], part_a["ship_type"]) == (0, "MIN TAI YU 6", None)
    assert (part_b["part"], part_b["callsign"], part_b["ship_type"], part_b["to_bow"]) == (1, "BZAB7", 30, 20)
    assert (extended["msg_type"], extended["shipname"], extended["ship_type"]) == (19, "PENGHU STAR", 60)


def test_rejects_keep_line_number_reason_and_raw_text(decoded):
    by_line = {r["line_no"]: r for r in decoded["rejects"]}
    assert by_line[10]["reason"] == "duplicate"
    assert by_line[11]["reason"] == "bad_json"
    assert by_line[11]["raw"].startswith('{"Message":{"PositionReport"')
    assert by_line[13]["reason"] == "not_ais"
    assert by_line[15]["reason"] == "no_timestamp"
    assert by_line[15]["ts"] is None
    assert by_line[18]["reason"] == "bad_timestamp"


def test_missing_time_gets_the_assumed_date_only_when_asked():
    line = json.dumps(
        {
            "MessageType": "PositionReport",
            "Message": {
                "PositionReport": {"MessageID": 1, "UserID": 416000001, "Latitude": 24, "Longitude": 120}
            },
            "MetaData": {"MMSI": 416000001},
        }
    ).encode()
    decoder = AisstreamDecoder("t", assume_date=dt.date(2026, 11, 24))
    (row,) = decoder.feed([(1, line)]).positions.to_pylist()
    assert row["ts"] == utc(2026, 11, 24)
    assert decoder.accounting.assumed_time == 1


@pytest.mark.parametrize(
    "line",
    [
        b"null",
        b"42",
        b'"PositionReport"',
        b'{"MessageType": 5, "Message": {}, "MetaData": {}}',
        b'{"MessageType": "PositionReport", "Message": [], "MetaData": {}}',
        b'{"MessageType": "PositionReport", "Message": {"PositionReport": 1}, "MetaData": {}}',
        b'{"MessageType": "PositionReport", "Message": {"PositionReport": {"UserID": 1e400}},'
        b' "MetaData": {"time_utc": "2026-11-24 03:12:45 +0000 UTC"}}',
        b'{"MessageType": "StaticDataReport", "Message": {"StaticDataReport": {"UserID": 1, "MessageID": 24,'
        b' "PartNumber": "B"}}, "MetaData": {"time_utc": "2026-11-24 03:12:45 +0000 UTC"}}',
        b"[" * 60_000,
        b"\xff\xfe{}",
    ],
)
def test_json_of_another_shape_is_rejected_not_raised(line: bytes):
    decoder = AisstreamDecoder("t")
    batch = decoder.feed([(1, line)])
    (reject,) = batch.rejects.to_pylist()
    assert reject["reason"] in {"bad_json", "unexpected_json"}
    assert decoder.accounting.balanced
