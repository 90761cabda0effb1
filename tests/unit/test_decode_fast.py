"""The vectorised fast path gives exactly what the per-line pyais path gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyais
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mda.decode.batch import Accounting
from mda.decode.fast import (
    CLASS_A_FIELDS,
    CLASS_B_FIELDS,
    dearmour,
    decode_position_fields,
    scan_lines,
    station_char,
)
from mda.decode.nmea import NmeaDecoder
from mda.decode.tagblock import nmea_checksum
from mda.simulate import simulate_day
from mda.sources.lines import read_line_chunks

SAMPLES = Path(__file__).parents[1] / "fixtures" / "ais-samples"
HANDMADE = Path(__file__).parents[1] / "fixtures" / "handmade"
T = 1767225600  # 2026-01-01T00:00:00Z
Tables = dict[str, pa.Table]


def decode(chunks: list[list[tuple[int, bytes]]], fast: bool, **options: object) -> tuple[Accounting, Tables]:
    decoder = NmeaDecoder("test", fast=fast, **options)  # type: ignore[arg-type]
    batches = [decoder.feed(chunk) for chunk in chunks] + [decoder.finish()]
    tables = {
        name: pa.concat_tables([getattr(b, name) for b in batches])
        for name in ("positions", "static", "rejects")
    }
    return decoder.accounting, tables


def assert_same(chunks: list[list[tuple[int, bytes]]], **options: object) -> Accounting:
    slow_acc, slow = decode(chunks, False, **options)
    fast_acc, fast = decode(chunks, True, **options)
    for name in slow:
        assert fast[name].equals(slow[name]), name
    assert fast_acc == slow_acc
    assert fast_acc.balanced
    return fast_acc


def numbered(lines: list[bytes], size: int = 1000) -> list[list[tuple[int, bytes]]]:
    pairs = list(enumerate(lines, start=1))
    return [pairs[i : i + size] for i in range(0, len(pairs), size)]


def tagged(
    sentence: str, c: int = T, s: str | None = "TW01", order: str = "sc", g: str | None = None
) -> bytes:
    fields = {"s": f"s:{s}" if s else "", "c": f"c:{c}"}
    body = ",".join(f for f in ([f"g:{g}"] if g else []) + [fields[k] for k in order] if f)
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\{sentence}".encode()


def report(
    msg_type: int = 1, mmsi: int = 416000001, channel: str = "A", talker: str = "AI", **extra: object
) -> str:
    data: dict[str, object] = {"msg_type": msg_type, "mmsi": mmsi, "lat": 24.0, "lon": 120.0, "speed": 12.3}
    data.update(extra)
    return pyais.encode_dict(data, talker_id=talker, sentence_type="VDM", radio_channel=channel)[0]


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in SAMPLES.rglob("*")
        if p.suffix in {".ais", ".nmea", ".nm4", ".txt"} and "LICENSE" not in p.name
    )
    + sorted(HANDMADE.glob("*.nmea")),
    ids=lambda p: p.name,
)
@pytest.mark.parametrize("chunk_lines", [7, 1000])
def test_real_samples_decode_identically_with_and_without_fast_path(path: Path, chunk_lines: int) -> None:
    assert_same(list(read_line_chunks(path, chunk_lines)))


@pytest.mark.parametrize(("day", "seed"), [(dt.date(2026, 11, 24), 1), (dt.date(2027, 3, 2), 7)])
def test_simulated_days_decode_identically_with_and_without_fast_path(
    tmp_path: Path, day: dt.date, seed: int
) -> None:
    sim = simulate_day(day, seed, tmp_path, scale=0.2)
    accounting = assert_same(list(read_line_chunks(sim.nmea_path, 25_000)))
    assert accounting.lines == sim.lines
    assert accounting.duplicates > 0


def static5(mmsi: int, seq: int) -> list[str]:
    data = {
        "msg_type": 5,
        "mmsi": mmsi,
        "shipname": "EVER GIVEN",
        "callsign": "BKHA",
        "destination": "KAOHSIUNG",
    }
    return pyais.encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=seq)


@pytest.mark.parametrize("chunk_size", [1, 4, 1000])
def test_orphans_evicted_during_fast_runs_keep_their_place(chunk_size: int) -> None:
    lines: list[bytes] = []
    for k in range(40):
        first, second = static5(416000100 + k, k % 10)
        lines.append(tagged(first, c=T + 2 * k, s=f"S{k % 3}"))
        if k % 4 == 0:
            lines.append(tagged(second, c=T + 2 * k, s=f"S{k % 3}"))  # completes; the others are orphans
        for j in range(k % 6):
            lines.append(tagged(report(mmsi=416000001 + j), c=T + 2 * k + j % 2, s=f"S{j % 2}"))
    accounting = assert_same(numbered(lines, chunk_size), orphan_after_lines=5, orphan_after_s=3.0)
    assert accounting.rejected["orphan_fragment"] > 10
    assert accounting.duplicates > 0


def test_fast_path_takes_the_common_line_forms() -> None:
    lines = [
        tagged(report()),
        tagged(report(msg_type=18, mmsi=416000002)),
        tagged(report(msg_type=2, mmsi=416000003), order="cs"),
        tagged(report(msg_type=3, mmsi=416000004), s=None),
        tagged(report(mmsi=416000005, channel="B", talker="BS")),
    ]
    found = scan_lines(lines)
    assert found is not None
    assert found.pos.tolist() == [0, 1, 2, 3, 4]
    assert found.station.to_pylist() == ["TW01", "TW01", "TW01", None, "TW01"]
    assert_same(numbered(lines))


def test_uncertain_lines_are_left_to_pyais() -> None:
    sentence = report()
    lines = [
        sentence.encode(),  # no tag block
        tagged(sentence, g="1-1-5"),  # group field
        tagged(sentence) + b",1767225600",  # trailing USCG-like field
        b" " + tagged(sentence),  # leading blank
        tagged(sentence).replace(b"*", b"*0", 1),  # bad tag checksum field
        tagged(sentence[:-2] + "00"),  # bad sentence checksum
        tagged(report(lat=91.0, lon=181.0)),  # position not available
        tagged(sentence, c=123),  # time out of range
    ]
    found = scan_lines(lines)
    assert found is not None
    assert found.pos.tolist() == []
    assert_same(numbered(lines))


def test_duplicates_across_fast_and_pyais_lines_follow_file_order() -> None:
    sentence = report()
    lines = [
        tagged(sentence, g="1-1-5", s="TW02"),  # pyais path, kept
        tagged(sentence, c=T + 1),  # fast, duplicate of the line above
        tagged(sentence, c=T + 100),  # fast, kept (outside the window)
        tagged(sentence, c=T + 101, g="1-1-6"),  # pyais path, duplicate of the fast line
        tagged(report(mmsi=416000009), c=T + 102),
        tagged(report(mmsi=416000009), c=T + 103, s="TW03"),  # fast duplicate of a fast line
    ]
    accounting = assert_same(numbered(lines))
    assert accounting.decoded == 3
    assert accounting.duplicates == 3


def test_chunk_with_line_feed_inside_a_line_falls_back_to_pyais() -> None:
    lines = [tagged(report()), b"junk\nmore"]
    assert scan_lines(lines) is None
    assert_same(numbered(lines))


_common = {
    "mmsi": st.integers(0, (1 << 30) - 1),
    "speed": st.integers(0, 1023).map(lambda v: v / 10),
    "accuracy": st.integers(0, 1),
    "lon": st.integers(-(1 << 27), (1 << 27) - 1).map(lambda v: v / 600000),
    "lat": st.integers(-(1 << 26), (1 << 26) - 1).map(lambda v: v / 600000),
    "course": st.integers(0, 4095).map(lambda v: v / 10),
    "heading": st.integers(0, 511),
    "second": st.integers(0, 63),
    "raim": st.integers(0, 1),
    "repeat": st.integers(0, 3),
}
class_a = st.fixed_dictionaries(
    {
        **_common,
        "msg_type": st.sampled_from([1, 2, 3]),
        "status": st.integers(0, 15),
        "turn": st.sampled_from([0.0, 127.0, -127.0, -128.0])
        | st.integers(-126, 126).map(lambda v: float(v)),
        "maneuver": st.integers(0, 2),
        "radio": st.integers(0, (1 << 19) - 1),
    }
)
class_b = st.fixed_dictionaries(
    {
        **_common,
        "msg_type": st.just(18),
        "cs": st.integers(0, 1),
        "display": st.integers(0, 1),
        "dsc": st.integers(0, 1),
        "band": st.integers(0, 1),
        "msg22": st.integers(0, 1),
        "assigned": st.integers(0, 1),
        "radio": st.integers(0, (1 << 20) - 1),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(class_a | class_b, min_size=1, max_size=20))
def test_random_position_reports_decode_like_pyais(reports: list[dict[str, object]]) -> None:
    sentences = [pyais.encode_dict(r, talker_id="AI", sentence_type="VDM")[0] for r in reports]
    payloads = np.frombuffer(b"".join(s.split(",")[5].encode() for s in sentences), dtype=np.uint8)
    fields = decode_position_fields(payloads.reshape(len(sentences), 28))
    for row, sentence in enumerate(sentences):
        expected = pyais.decode(sentence).asdict(enum_as_int=True)
        prefix, layout = ("b_", CLASS_B_FIELDS) if expected["msg_type"] == 18 else ("a_", CLASS_A_FIELDS)
        for name in layout:
            if name.startswith("reserved"):
                continue
            value = fields[prefix + name][row].item()
            assert value == expected[name], (name, value, expected[name])
            assert float(value) == float(expected[name])
    lines = [tagged(s, c=T + i % 7, s=f"S{i % 3}") for i, s in enumerate(sentences)]
    assert_same(numbered(lines, size=7))


def test_dearmour_gives_the_six_bit_value_of_every_armour_byte_and_flags_the_others() -> None:
    byte = np.arange(256, dtype=np.uint8)
    six, valid = dearmour(byte)
    armour = [c for c in range(256) if 48 <= c < 88 or 96 <= c < 120]
    assert np.flatnonzero(valid).tolist() == armour
    assert [int(six[c]) for c in armour] == [c - 48 if c < 88 else c - 56 for c in armour]


def test_station_characters_are_letters_digits_and_underscore_hyphen_dot_slash() -> None:
    allowed = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./")
    assert np.flatnonzero(station_char(np.arange(256, dtype=np.uint8))).tolist() == sorted(allowed)
