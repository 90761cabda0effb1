"""Static messages (type 5 over two lines, type 24 parts A and B) decode alike on both paths."""

from __future__ import annotations

import pyais
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mda.decode.batch import Accounting
from mda.decode.fast import scan_buffer, split_buffer
from mda.decode.nmea import NmeaDecoder
from mda.decode.tagblock import nmea_checksum

T = 1767225600  # 2026-01-01T00:00:00Z
NAMES = ("positions", "static", "rejects")
#: ITU-R M.1371-5 Table 47: the 6-bit text alphabet.
SIXBIT = "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?"
Tables = dict[str, pa.Table]
Chunks = list[list[tuple[int, bytes]]]


def tagged(sentence: str, c: int, s: str | None) -> bytes:
    body = ",".join(([f"s:{s}"] if s else []) + [f"c:{c}"])
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\{sentence}".encode()


def tables_of(decoder: NmeaDecoder, batches: list[object]) -> Tables:
    batches = [*batches, decoder.finish()]
    return {name: pa.concat_tables([getattr(b, name) for b in batches]) for name in NAMES}


def by_lines(chunks: Chunks, fast: bool, **options: object) -> tuple[Accounting, Tables]:
    decoder = NmeaDecoder("test", fast=fast, **options)  # type: ignore[arg-type]
    return decoder.accounting, tables_of(decoder, [decoder.feed(chunk) for chunk in chunks])


def by_buffers(chunks: Chunks, **options: object) -> tuple[Accounting, Tables]:
    decoder = NmeaDecoder("test", **options)  # type: ignore[arg-type]
    batches = [decoder.feed_buffer(c[0][0], b"".join(raw + b"\n" for _, raw in c)) for c in chunks]
    return decoder.accounting, tables_of(decoder, list(batches))


def assert_same(lines: list[bytes], size: int = 1000, **options: object) -> Accounting:
    """Fast path on lines and on buffers give the pyais path's tables (row order too) and counts."""
    pairs = list(enumerate(lines, start=1))
    chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
    slow_acc, slow = by_lines(chunks, False, **options)
    for fast_acc, fast in (by_lines(chunks, True, **options), by_buffers(chunks, **options)):
        for name in NAMES:
            assert fast[name].equals(slow[name]), (name, fast[name].to_pylist(), slow[name].to_pylist())
        assert fast_acc == slow_acc
    assert slow_acc.balanced
    return slow_acc


def fast_static_lines(lines: list[bytes]) -> list[int]:
    """Chunk indices of the first lines of the static messages the fast path recognises."""
    _, buf, starts, ends = split_buffer(b"\n".join(lines) + b"\n", strip_cr=False)
    return scan_buffer(buf, starts, ends).static.first.tolist()


def six_text(max_size: int) -> st.SearchStrategy[str]:
    """6-bit text (``@``, ``<``, ``>``, spaces ...), often with trailing or leading spaces."""
    core = st.text(alphabet=SIXBIT, max_size=max_size)
    padded = st.tuples(st.text(" ", max_size=3), core, st.text(" @", max_size=4)).map("".join)
    return (core | padded).map(lambda text: text[:max_size])


MMSI = st.integers(0, (1 << 30) - 1) | st.integers(980_000_000, 989_999_999)
DIMENSIONS = {
    "to_bow": st.integers(0, 511),
    "to_stern": st.integers(0, 511),
    "to_port": st.integers(0, 63),
    "to_starboard": st.integers(0, 63),
}
TYPE5 = st.fixed_dictionaries(
    {
        "msg_type": st.just(5),
        "mmsi": MMSI,
        "ais_version": st.integers(0, 3),
        "imo": st.just(0) | st.integers(0, (1 << 30) - 1),
        "callsign": six_text(7),
        "shipname": six_text(20),
        "ship_type": st.just(0) | st.integers(0, 255),
        **DIMENSIONS,
        "epfd": st.integers(0, 15),
        "month": st.integers(0, 12),
        "day": st.integers(0, 31),
        "hour": st.integers(0, 24),
        "minute": st.integers(0, 60),
        "draught": st.just(0.0) | st.integers(0, 255).map(lambda v: v / 10),
        "destination": six_text(20),
        "dte": st.integers(0, 1),
    }
)
TYPE24A = st.fixed_dictionaries(
    {"msg_type": st.just(24), "partno": st.just(0), "mmsi": MMSI, "shipname": six_text(20)}
)
TYPE24B = st.fixed_dictionaries(
    {
        "msg_type": st.just(24),
        "partno": st.just(1),
        "mmsi": MMSI,
        "ship_type": st.just(0) | st.integers(0, 255),
        "vendorid": six_text(3),
        "model": st.integers(0, 15),
        "serial": st.integers(0, (1 << 20) - 1),
        "callsign": six_text(7),
        "mothership_mmsi": st.integers(0, (1 << 30) - 1),
        **DIMENSIONS,
    }
)
MESSAGE = st.tuples(
    TYPE5 | TYPE24A | TYPE24B,
    st.sampled_from([None, "S1", "TW_02"]),  # tag block station
    st.sampled_from("AB"),  # channel
    st.integers(0, 9),  # sequence id of a type 5 pair
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MESSAGE, min_size=1, max_size=12), st.integers(1, 30))
def test_random_static_messages_give_the_pyais_paths_static_rows(
    messages: list[tuple[dict[str, object], str | None, str, int]], size: int
) -> None:
    lines: list[bytes] = []
    for k, (data, station, channel, seq) in enumerate(messages):
        sentences = pyais.encode_dict(
            data, talker_id="AI", sentence_type="VDM", radio_channel=channel, seq_id=seq
        )
        lines.extend(tagged(s, c=T + k + j, s=station) for j, s in enumerate(sentences))
    assert len(fast_static_lines(lines)) == len(messages)  # every message takes the fast path
    accounting = assert_same(lines, size)
    assert accounting.lines == len(lines)


def type5_pair(mmsi: int, station: str | None, c: int, seq: int = 3) -> list[bytes]:
    data = {"msg_type": 5, "mmsi": mmsi, "shipname": "HAI XUN 06", "callsign": "BXYZ", "destination": "MAZU"}
    first, second = pyais.encode_dict(
        data, talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=seq
    )
    return [tagged(first, c, station), tagged(second, c, station)]


def position(c: int) -> bytes:
    data = {"msg_type": 1, "mmsi": 416000001, "lat": 24.5, "lon": 119.9}
    return tagged(pyais.encode_dict(data, talker_id="AI", sentence_type="VDM")[0], c, "S1")


@pytest.mark.parametrize("size", [3, 1000])
@pytest.mark.parametrize("open_fragment", [0, 1], ids=["open_first_fragment", "open_second_fragment"])
def test_type5_pair_with_an_open_group_of_its_assembly_key_decodes_as_pyais(
    open_fragment: int, size: int
) -> None:
    other = type5_pair(416000009, None, T)[open_fragment]  # same talker, channel, sequence id
    pair = type5_pair(416000010, "S1", T + 1)
    lines = [other, position(T + 1), *pair, position(T + 2)]
    assert 2 in fast_static_lines(lines)  # the fast path recognises the pair, then hands it back
    accounting = assert_same(lines, size)
    assert accounting.rejected["orphan_fragment"] > 0


@pytest.mark.parametrize("size", [2, 3, 1000])
def test_type5_pair_whose_first_fragment_is_already_stale_decodes_as_pyais(size: int) -> None:
    lines = [position(T + 100), *type5_pair(416000010, "S1", T), position(T + 101)]
    assert fast_static_lines(lines) == [1]
    accounting = assert_same(lines, size, orphan_after_s=60.0)
    assert accounting.rejected["orphan_fragment"] == 2
