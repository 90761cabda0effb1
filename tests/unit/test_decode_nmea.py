from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyais
import pytest

from mda.decode.batch import MAX_LINE_BYTES
from mda.decode.nmea import MAX_OPEN_PER_KEY, NmeaDecoder
from mda.decode.tagblock import nmea_checksum
from mda.sources.nmea_file import read_line_chunks

T = 1767225600  # 2026-01-01T00:00:00Z


def tagged(sentence: str, c: float | None = T, s: str | None = "TW01", g: str | None = None) -> bytes:
    fields = []
    if g:
        fields.append(f"g:{g}")
    if s:
        fields.append(f"s:{s}")
    if c is not None:
        fields.append(f"c:{int(c)}")
    body = ",".join(fields)
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\{sentence}".encode()


def position(mmsi: int = 416000001, lat: float = 24.0, lon: float = 120.0, **extra: object) -> str:
    data = {"msg_type": 1, "mmsi": mmsi, "lat": lat, "lon": lon, "speed": 12.3, "course": 45.0, "heading": 44}
    data.update(extra)
    return pyais.encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")[0]


def static5(mmsi: int = 416000001, name: str = "EVER GIVEN", seq: int = 1) -> list[str]:
    data = {
        "msg_type": 5,
        "mmsi": mmsi,
        "shipname": name,
        "callsign": "BKHA",
        "imo": 9811000,
        "ship_type": 70,
        "destination": "KAOHSIUNG",
        "to_bow": 100,
        "to_stern": 50,
        "to_port": 10,
        "to_starboard": 20,
    }
    return pyais.encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=seq)


def decode(lines: list[bytes]) -> tuple[NmeaDecoder, dict[str, list[object]]]:
    decoder = NmeaDecoder("test")
    batches = [decoder.feed(enumerate(lines, start=1)), decoder.finish()]
    out: dict[str, list[object]] = {"positions": [], "static": [], "rejects": []}
    for b in batches:
        out["positions"] += b.positions.to_pylist()
        out["static"] += b.static.to_pylist()
        out["rejects"] += b.rejects.to_pylist()
    return decoder, out


def test_position_report_decodes_with_receive_time_and_station():
    decoder, out = decode([tagged(position())])
    (row,) = out["positions"]
    assert row["mmsi"] == 416000001
    assert row["lat"] == pytest.approx(24.0)
    assert row["speed"] == pytest.approx(12.3)
    assert row["ts"].timestamp() == T
    assert row["station"] == "TW01"
    assert decoder.accounting.decoded == 1


def test_sentinels_become_null():
    _, out = decode([tagged(position(speed=102.3, course=360.0, heading=511))])
    (row,) = out["positions"]
    assert row["speed"] is None
    assert row["course"] is None
    assert row["heading"] is None


def test_position_not_available_is_rejected_as_invalid_position():
    _, out = decode([tagged(position(lat=91.0, lon=181.0))])
    assert out["positions"] == []
    assert [r["reason"] for r in out["rejects"]] == ["invalid_position"]


def test_line_without_time_is_rejected_not_guessed():
    _, out = decode([position().encode()])
    assert out["positions"] == []
    assert out["rejects"][0]["reason"] == "no_timestamp"


def test_bad_checksum_empty_payload_and_non_ais_are_accounted():
    good = position()
    corrupt = good[:-2] + ("00" if good[-2:] != "00" else "11")
    lines = [
        tagged(corrupt),
        tagged("!AIVDM,1,1,,B,,0*25"),
        b"$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D",
        b"",
        b"\xff\xfe garbage",
    ]
    decoder, out = decode(lines)
    reasons = [r["reason"] for r in out["rejects"]]
    assert reasons == ["bad_checksum", "empty_payload", "not_ais", "empty_line", "malformed"]
    acc = decoder.accounting
    assert acc.non_ais == 1
    assert acc.lines == 5
    assert acc.balanced
    assert out["rejects"][4]["raw"].endswith("garbage")


def test_two_part_message_assembles_even_out_of_order():
    part1, part2 = static5()
    decoder, out = decode([tagged(part2), tagged(part1)])
    (row,) = out["static"]
    assert row["shipname"] == "EVER GIVEN"
    assert row["imo"] == 9811000
    assert decoder.accounting.decoded == 2


def test_interleaved_streams_from_two_stations_never_mix():
    a1, a2 = static5(mmsi=416000001, name="ALPHA", seq=3)
    b1, b2 = static5(mmsi=416000002, name="BRAVO", seq=3)
    _, out = decode([tagged(a1, s="A"), tagged(b1, s="B"), tagged(b2, s="B"), tagged(a2, s="A")])
    assert sorted(r["shipname"] for r in out["static"]) == ["ALPHA", "BRAVO"]


def test_fragment_without_its_partner_becomes_an_orphan_reject():
    part1, _ = static5()
    decoder, out = decode([tagged(part1)])
    assert out["static"] == []
    assert [r["reason"] for r in out["rejects"]] == ["orphan_fragment"]
    assert decoder.accounting.balanced


def test_second_receiver_copy_is_counted_as_duplicate():
    line = position()
    decoder, out = decode([tagged(line, s="TW01"), tagged(line, c=T + 1, s="CN01")])
    assert len(out["positions"]) == 1
    assert decoder.accounting.duplicates == 1
    assert out["rejects"][0]["reason"] == "duplicate"


def test_same_payload_outside_the_window_is_a_new_report():
    line = position()
    _, out = decode([tagged(line), tagged(line, c=T + 180)])
    assert len(out["positions"]) == 2


def _pyais_reference(path: Path) -> list[dict[str, object]]:
    """Decode a file with plain pyais (tag blocks stripped), keeping messages in file order."""
    out = []
    with pyais.FileReaderStream(str(path)) as stream:
        for msg in stream:
            out.append(msg.decode().asdict())
    return out


def test_kystverket_sample_matches_pyais_field_for_field(samples: Path):
    path = samples / "kystverket" / "Ais1000Lines.nm4"
    decoder = NmeaDecoder(path.name)
    rows = []
    for chunk in read_line_chunks(path, 128):
        rows += decoder.feed(chunk).positions.to_pylist()
    rows += decoder.finish().positions.to_pylist()
    reference = [
        m
        for m in _pyais_reference(path)
        if m["msg_type"] in (1, 2, 3, 18) and m["lat"] <= 90 and m["lon"] <= 180
    ]
    assert len(rows) == len(reference) == 743
    key = lambda r: (r["mmsi"], r["lon"], r["lat"])  # noqa: E731
    for ours, ref in zip(sorted(rows, key=key), sorted(reference, key=key), strict=True):
        assert ours["mmsi"] == ref["mmsi"]
        assert ours["lon"] == pytest.approx(ref["lon"])
        assert ours["lat"] == pytest.approx(ref["lat"])
        assert ours["speed"] == (None if ref["speed"] >= 102.3 else pytest.approx(ref["speed"]))
        assert ours["course"] == (None if ref["course"] >= 360 else pytest.approx(ref["course"]))
        assert ours["heading"] == (None if ref["heading"] == 511 else ref["heading"])
    assert decoder.accounting.lines == 1000
    assert decoder.accounting.balanced
    assert (
        sum(decoder.accounting.messages_by_type.values()) + decoder.accounting.rejected["invalid_position"]
        == 877
    )


@pytest.mark.parametrize(
    "name",
    [
        "pyais/nmea_data_sample.txt",
        "pyais/mixed.txt",
        "pyais/sample.ais",
        "pyais/gatehouse.nmea",
        "pyais/messages.ais",
        "pyais/timestamped.ais",
        "kystverket/Ais1000Lines.nm4",
    ],
)
def test_every_line_of_the_real_samples_is_accounted_for(samples: Path, name: str):
    path = samples / name
    decoder = NmeaDecoder(path.name)
    rejects = 0
    for chunk in read_line_chunks(path, 100):
        rejects += decoder.feed(chunk).rejects.num_rows
    rejects += decoder.finish().rejects.num_rows
    physical = len(path.read_bytes().splitlines())
    acc = decoder.accounting
    assert acc.lines == physical
    assert acc.balanced
    assert rejects == acc.lines - acc.decoded


def test_untimed_sample_lines_are_quarantined_with_no_timestamp(samples: Path):
    decoder = NmeaDecoder("nmea_data_sample.txt")
    decoder.feed(read_line_chunks(samples / "pyais/nmea_data_sample.txt", 10_000).__next__())
    decoder.finish()
    assert decoder.accounting.rejected == {"no_timestamp": 778, "empty_payload": 100, "orphan_fragment": 20}


def with_checksum(body: str, delimiter: str = "!") -> str:
    return f"{delimiter}{body}*{nmea_checksum(body.encode()):02X}"


def reasons(out: dict[str, list[object]]) -> list[str]:
    return [r["reason"] for r in out["rejects"]]  # type: ignore[index]


@pytest.mark.parametrize("talker", ["AB", "AI", "BS", "SA", "XY"])
def test_any_two_letter_talker_is_ais(talker: str):
    body = position()[1:].rsplit("*", 1)[0]
    _, out = decode([tagged(with_checksum(talker + body[2:]))])
    assert [r["mmsi"] for r in out["positions"]] == [416000001]


def test_own_ship_vdo_sentence_decodes():
    (vdo,) = pyais.encode_dict(
        {"msg_type": 1, "mmsi": 416000009, "lat": 24.5, "lon": 120.5}, sentence_type="VDO"
    )
    _, out = decode([tagged(vdo)])
    assert [r["mmsi"] for r in out["positions"]] == [416000009]


def test_uscg_trailing_fields_give_receive_time_and_station():
    line = position() + ",s1234,d-100,T12.3,x,r003669945,1565218798"
    _, out = decode([line.encode()])
    (row,) = out["positions"]
    assert row["ts"].timestamp() == 1565218798
    assert row["station"] == "003669945"


def test_characters_after_the_checksum_without_comma_are_malformed():
    _, out = decode([tagged(position() + "junk")])
    assert reasons(out) == ["malformed"]


def test_gatehouse_wrapper_times_only_the_next_ais_sentence():
    wrapper = with_checksum("PGHP,1,2026,11,24,3,12,45,250,416,416000000,416000001,1,00", "$")
    first, second = position(mmsi=416000001), position(mmsi=416000002)
    decoder, out = decode([wrapper.encode(), first.encode(), second.encode()])
    (row,) = out["positions"]
    assert row["mmsi"] == 416000001
    assert row["ts"] == dt.datetime(2026, 11, 24, 3, 12, 45, 250_000, tzinfo=dt.UTC)
    assert reasons(out) == ["not_ais", "no_timestamp"]
    assert decoder.accounting.non_ais == 1


def test_gatehouse_wrapper_with_a_bad_checksum_gives_no_time():
    wrapper = "$PGHP,1,2026,11,24,3,12,45,250,416,416000000,416000001,1,00*00"
    _, out = decode([wrapper.encode(), position().encode()])
    assert reasons(out) == ["bad_checksum", "no_timestamp"]


def test_comment_lines_count_as_non_ais():
    decoder, out = decode([b"# recorded at Keelung", tagged("# stamped comment")])
    assert reasons(out) == ["not_ais", "not_ais"]
    assert decoder.accounting.non_ais == 2


def test_group_fragments_with_the_station_on_the_first_line_only_assemble():
    part1, part2 = static5(name="MIN TAI YU 6")
    first = tagged(part1, s="r003669945", g="1-2-27300")
    second = f"\\g:2-2-27300*{nmea_checksum(b'g:2-2-27300'):02X}\\{part2}".encode()
    decoder, out = decode([first, second])
    (row,) = out["static"]
    assert row["shipname"] == "MIN TAI YU 6"
    assert decoder.accounting.decoded == 2


def test_collector_stamped_line_with_two_tag_blocks_merges_them():
    inner = f"\\g:1-1-42*{nmea_checksum(b'g:1-1-42'):02X}\\{position()}"
    outer_body = f"c:{T},s:tw-north"
    line = f"\\{outer_body}*{nmea_checksum(outer_body.encode()):02X}\\{inner}".encode()
    _, out = decode([line])
    (row,) = out["positions"]
    assert row["ts"].timestamp() == T
    assert row["station"] == "tw-north"


def test_fragments_of_one_sequence_id_from_two_stations_never_mix_even_out_of_order():
    a1, a2 = static5(mmsi=416000001, name="ALPHA", seq=5)
    b1, b2 = static5(mmsi=416000002, name="BRAVO", seq=5)
    _, out = decode([tagged(a2, s="A"), tagged(b1, s="B"), tagged(a1, s="A"), tagged(b2, s="B")])
    assert sorted((r["mmsi"], r["shipname"]) for r in out["static"]) == [
        (416000001, "ALPHA"),
        (416000002, "BRAVO"),
    ]


def test_a_lost_fragment_does_not_capture_the_next_message_with_the_same_sequence_id():
    a1, _lost = static5(mmsi=416000001, name="ALPHA", seq=2)
    b1, b2 = static5(mmsi=416000002, name="BRAVO", seq=2)
    decoder, out = decode([tagged(a1), tagged(b1, c=T + 1), tagged(b2, c=T + 1)])
    assert [(r["mmsi"], r["shipname"]) for r in out["static"]] == [(416000002, "BRAVO")]
    assert reasons(out) == ["orphan_fragment"]
    assert decoder.accounting.balanced


def test_incomplete_group_is_evicted_after_the_line_bound():
    part1, _ = static5()
    decoder = NmeaDecoder("test", orphan_after_lines=3)
    lines = [tagged(part1)] + [tagged(position(mmsi=416000100 + i), c=T + i) for i in range(4)]
    batch = decoder.feed(enumerate(lines, start=1))
    assert [r["reason"] for r in batch.rejects.to_pylist()] == ["orphan_fragment"]
    assert batch.rejects["line_no"].to_pylist() == [1]


def test_incomplete_group_is_evicted_after_the_time_bound():
    part1, _ = static5()
    decoder = NmeaDecoder("test", orphan_after_s=60)
    batch = decoder.feed(enumerate([tagged(part1), tagged(position(), c=T + 61)], start=1))
    assert [r["reason"] for r in batch.rejects.to_pylist()] == ["orphan_fragment"]


def test_open_groups_per_key_are_bounded():
    firsts = [static5(mmsi=416000001 + i, name=f"V{i}", seq=1)[0] for i in range(MAX_OPEN_PER_KEY + 1)]
    decoder = NmeaDecoder("test")
    batch = decoder.feed(enumerate([tagged(p, s=None) for p in firsts], start=1))
    assert batch.rejects["line_no"].to_pylist() == [1]
    assert decoder.finish().rejects.num_rows == MAX_OPEN_PER_KEY


def test_assume_date_gives_untimed_messages_midnight_utc_and_counts_them():
    decoder = NmeaDecoder("test", assume_date=dt.date(2026, 11, 24))
    batch = decoder.feed(enumerate([position().encode(), position().encode(), tagged(position(mmsi=5))], 1))
    rows = batch.positions.to_pylist()
    assert [r["ts"] for r in rows[:2]] == [dt.datetime(2026, 11, 24, tzinfo=dt.UTC)] * 2
    assert rows[2]["ts"].timestamp() == T
    assert decoder.accounting.assumed_time == 2
    assert decoder.accounting.duplicates == 0


def test_receive_time_outside_the_plausible_range_is_rejected():
    _, out = decode([tagged(position(), c=12415440)])
    assert reasons(out) == ["bad_timestamp"]


def test_line_longer_than_the_cap_is_rejected_with_its_start_kept():
    decoder, out = decode([b"!" + b"A" * (MAX_LINE_BYTES + 1)])
    assert reasons(out) == ["line_too_long"]
    assert len(out["rejects"][0]["raw"]) < 2000  # type: ignore[index]
    assert decoder.accounting.balanced


def test_type_19_without_position_keeps_its_static_part():
    (line,) = pyais.encode_dict(
        {
            "msg_type": 19,
            "mmsi": 416000003,
            "lat": 91.0,
            "lon": 181.0,
            "shipname": "PENGHU STAR",
            "ship_type": 60,
        },
        talker_id="AB",
    )
    decoder, out = decode([tagged(line)])
    assert out["positions"] == []
    assert [r["shipname"] for r in out["static"]] == ["PENGHU STAR"]
    assert decoder.accounting.decoded == 1


def test_invalid_utf8_and_binary_garbage_are_quarantined_with_raw_text():
    decoder, out = decode([b"\xff\xfe\x00\x01!AIVDM", b"\\c:1767225600*\xff\\!AIVDM"])
    assert reasons(out) == ["malformed", "malformed"]
    assert decoder.accounting.balanced


def test_messages_table_keeps_every_pyais_field():
    (class_b,) = pyais.encode_dict(
        {"msg_type": 18, "mmsi": 416000004, "lat": 24.0, "lon": 120.0, "speed": 102.3, "cs": 1},
        talker_id="AI",
    )
    decoder = NmeaDecoder("test", with_messages=True)
    batch = decoder.feed(enumerate([tagged(class_b)], 1))
    assert batch.messages is not None
    (row,) = batch.messages.to_pylist()
    assert row["speed"] is None
    assert row["mmsi"] == 416000004
    assert json.loads(row["extra"])["cs"] is True


def test_group_id_on_some_fragments_only_still_assembles_and_different_groups_never_mix():
    a1, a2 = static5(mmsi=416000001, name="ALPHA", seq=4)
    b1, b2 = static5(mmsi=416000002, name="BRAVO", seq=4)
    lines = [tagged(a1, g="1-2-11"), tagged(b1, g="1-2-22"), tagged(a2, g="2-2-11"), tagged(b2)]
    _, out = decode(lines)
    assert sorted((r["mmsi"], r["shipname"]) for r in out["static"]) == [
        (416000001, "ALPHA"),
        (416000002, "BRAVO"),
    ]
