from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import pyais
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mda.decode.aisstream import AisstreamDecoder
from mda.decode.batch import MAX_LINE_BYTES, Accounting, DecodedBatch
from mda.decode.csv_archive import CsvArchiveDecoder
from mda.decode.gotime import parse_go_time_us
from mda.decode.nmea import NmeaDecoder
from mda.decode.tagblock import TagBlockError, nmea_checksum, split_tag_block

SAMPLES = Path(__file__).parents[1] / "fixtures" / "ais-samples"
HANDMADE = Path(__file__).parents[1] / "fixtures" / "handmade"
T = 1767225600
NOAA_HEADER = (SAMPLES / "aisdb" / "test_data_noaa_20230101.csv").read_bytes().splitlines()[0]
DMA_HEADER = (HANDMADE / "dma_aisdk_2026-11-13.csv").read_bytes().splitlines()[0]


class Decoder(Protocol):
    """The part of a decoder the invariants need."""

    accounting: Accounting

    def feed(self, lines: Iterable[tuple[int, bytes]]) -> DecodedBatch: ...

    def finish(self) -> DecodedBatch: ...


def real_lines() -> list[bytes]:
    lines: list[bytes] = []
    for path in sorted(SAMPLES.rglob("*")):
        if path.suffix in {".txt", ".ais", ".nmea", ".nm4", ".csv"} and "LICENSE" not in path.name:
            lines += path.read_bytes().splitlines()
    for path in sorted(HANDMADE.glob("*.*")):
        if path.suffix in {".csv", ".jsonl"}:
            lines += path.read_bytes().splitlines()
    return lines


CORPUS = real_lines()


def tag(sentence: str, c: int, s: str | None = None, g: str | None = None) -> bytes:
    fields = [f for f in (f"g:{g}" if g else "", f"s:{s}" if s else "", f"c:{c}") if f]
    body = ",".join(fields)
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\{sentence}".encode()


def two_part(mmsi: int, seq: int) -> list[str]:
    data = {
        "msg_type": 5,
        "mmsi": mmsi,
        "shipname": f"V{mmsi % 1000}",
        "callsign": "BKHA",
        "destination": "KEELUNG",
    }
    return pyais.encode_dict(data, talker_id="AI", seq_id=seq)


def run(decoder: Decoder, lines: list[bytes], chunk: int = 50) -> tuple[int, int]:
    """Feed ``lines`` in chunks; return (reject rows, kept rows) and check the invariants."""
    rejects = kept = 0
    numbered = list(enumerate(lines, start=1))
    for start in range(0, len(numbered), chunk):
        batch = decoder.feed(numbered[start : start + chunk])
        rejects += batch.rejects.num_rows
        kept += batch.positions.num_rows + batch.static.num_rows
    final = decoder.finish()
    rejects += final.rejects.num_rows
    acc = decoder.accounting
    assert acc.lines == len(lines)
    assert acc.balanced
    assert rejects == acc.lines - acc.decoded
    return rejects, kept


def mutate(rng: random.Random, line: bytes) -> bytes:
    """One random corruption of a line: what a noisy radio link or a broken disk produces."""
    choice = rng.randrange(10)
    if not line or choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 120)))
    if choice == 1:
        return line[: rng.randrange(len(line))]
    if choice == 2:
        i = rng.randrange(len(line))
        return line[:i] + bytes([rng.randrange(256)]) + line[i + 1 :]
    if choice == 3:
        star = line.rfind(b"*")
        return line[: star + 1] + b"%02X" % rng.randrange(256) if star >= 0 else line
    if choice == 4:
        i = rng.randrange(len(line))
        return line[:i] + rng.choice([b",", b"*", b"\\", b"!", b"$", b'"', b"{", b"\x00"]) + line[i:]
    if choice == 5:
        return line + b",s1234,d-100,T12.3,x,r003669945," + str(rng.randrange(-(10**12), 10**12)).encode()
    if choice == 6:
        return line.replace(b",", b",,", 1)
    if choice == 7:
        return b"\\c:" + str(rng.choice([T, T * 1000, -1, 10**30])).encode() + b"*00\\" + line
    if choice == 8:
        return line.decode("latin-1").upper().encode("utf-8", "surrogatepass")
    return line


# -- properties (Hypothesis) ------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.binary(max_size=200), max_size=60))
def test_random_bytes_never_crash_and_every_line_is_accounted(lines: list[bytes]):
    for decoder in (
        NmeaDecoder("fuzz"),
        AisstreamDecoder("fuzz"),
        CsvArchiveDecoder("fuzz", "noaa"),
        CsvArchiveDecoder("fuzz", "dma"),
    ):
        header = [NOAA_HEADER] if isinstance(decoder, CsvArchiveDecoder) and decoder.fmt == "noaa" else []
        header = [DMA_HEADER] if isinstance(decoder, CsvArchiveDecoder) and decoder.fmt == "dma" else header
        run(decoder, header + [line.replace(b"\n", b" ") for line in lines], chunk=7)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_real_lines_never_crash(data: st.DataObject):
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    lines = [mutate(rng, rng.choice(CORPUS)) for _ in range(data.draw(st.integers(0, 80)))]
    lines = [line.replace(b"\n", b" ") for line in lines]
    for decoder in (NmeaDecoder("fuzz"), AisstreamDecoder("fuzz"), CsvArchiveDecoder("fuzz", "noaa")):
        run(decoder, ([NOAA_HEADER] if isinstance(decoder, CsvArchiveDecoder) else []) + lines, chunk=11)


@settings(max_examples=100, deadline=None)
@given(st.permutations(list(range(12))))
def test_fragments_from_distinct_stations_assemble_in_any_order(order: list[int]):
    messages = [two_part(416000100 + i, seq=i % 2) for i in range(6)]
    fragments = [tag(part, c=T, s=f"station-{i}") for i, parts in enumerate(messages) for part in parts]
    decoder = NmeaDecoder("fuzz")
    run(decoder, [fragments[i] for i in order], chunk=5)
    assert decoder.accounting.decoded == 12
    assert decoder.accounting.messages_by_type == {5: 6}


@settings(max_examples=100, deadline=None)
@given(st.permutations(list(range(8))), st.integers(0, 7))
def test_a_dropped_fragment_orphans_only_its_partner(order: list[int], dropped: int):
    messages = [two_part(416000200 + i, seq=i % 3) for i in range(4)]
    fragments = [tag(part, c=T, s=f"station-{i}") for i, parts in enumerate(messages) for part in parts]
    lines = [fragments[i] for i in order if i != dropped]
    decoder = NmeaDecoder("fuzz")
    run(decoder, lines, chunk=3)
    assert decoder.accounting.decoded == 6
    assert decoder.accounting.rejected == {"orphan_fragment": 1}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        ["PositionReport", "ShipStaticData", "StaticDataReport", "ExtendedClassBPositionReport", "X"]
    ),
    st.dictionaries(
        st.sampled_from(
            [
                "UserID",
                "MessageID",
                "Latitude",
                "Longitude",
                "Sog",
                "Cog",
                "TrueHeading",
                "PartNumber",
                "ReportA",
                "ReportB",
                "Dimension",
                "Name",
                "Type",
                "Valid",
                "ImoNumber",
                "NavigationalStatus",
            ]
        ),
        json_values,
    ),
    json_values,
)
def test_aisstream_lines_of_any_shape_never_crash(name: str, body: dict[str, Any], meta: Any):
    obj = {"MessageType": name, "Message": {name: body}, "MetaData": meta}
    line = json.dumps(obj).encode()
    run(AisstreamDecoder("fuzz", assume_date=dt.date(2026, 11, 24)), [line])


@given(st.text(max_size=60))
def test_go_time_parser_never_raises(text: str):
    result = parse_go_time_us(text)
    assert result is None or isinstance(result, int)


@given(st.binary(max_size=120))
def test_tag_block_split_raises_only_its_own_error(line: bytes):
    reason = "ok"
    try:
        split_tag_block(b"\\" + line)
    except TagBlockError as exc:
        reason = exc.reason
    assert reason in {"ok", "malformed", "bad_tag_checksum"}


# -- fuzz run -------------------------------------------------------------------------------


def generated_lines(rng: random.Random, n: int) -> list[bytes]:
    lines: list[bytes] = []
    while len(lines) < n:
        kind = rng.randrange(12)
        if kind < 5:
            lines.append(mutate(rng, rng.choice(CORPUS)))
        elif kind < 8:
            lines.append(rng.choice(CORPUS))
        elif kind < 10:
            parts = [
                tag(p, c=T + rng.randrange(3600), s=rng.choice(["a", "b", None]))
                for p in two_part(416000000 + rng.randrange(1000), seq=rng.randrange(10))
            ]
            rng.shuffle(parts)
            lines += [mutate(rng, p) if rng.random() < 0.2 else p for p in parts]
        elif kind < 11:
            lines.append(bytes(rng.randrange(256) for _ in range(rng.randrange(300))).replace(b"\n", b""))
        else:
            lines.append(b"!" + b"A" * (MAX_LINE_BYTES + rng.randrange(1, 10)))
    return [line.replace(b"\n", b" ") for line in lines[:n]]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "n"),
    [
        (lambda: NmeaDecoder("fuzz", orphan_after_lines=50), 100_000),
        (lambda: NmeaDecoder("fuzz", assume_date=dt.date(2026, 11, 24), dedup_window_s=None), 30_000),
        (lambda: AisstreamDecoder("fuzz"), 30_000),
        (lambda: CsvArchiveDecoder("fuzz", "dma"), 30_000),
    ],
)
def test_fuzz_run_has_no_crash_and_balanced_accounting(make: Callable[[], Decoder], n: int):
    rng = random.Random(20261124)
    decoder = make()
    header = [DMA_HEADER] if isinstance(decoder, CsvArchiveDecoder) else []
    lines = header + generated_lines(rng, n)
    rejects, kept = run(decoder, lines, chunk=5000)
    assert decoder.accounting.lines == n + len(header)
    assert rejects > 0
    if isinstance(decoder, NmeaDecoder):
        assert kept > 0
