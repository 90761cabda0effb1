"""Duplicate detection across chunks: the fast path's bulk store decides as the pyais path does."""

from __future__ import annotations

import numpy as np
import pyais
import pyarrow as pa
import pytest

from mda.decode import nmea, scanned, seen
from mda.decode.batch import Accounting
from mda.decode.nmea import NmeaDecoder
from mda.decode.tagblock import nmea_checksum

T = 1767225600  # 2026-01-01T00:00:00Z
NAMES = ("positions", "static", "rejects")
Tables = dict[str, pa.Table]


def tagged(sentence: str, c: int, s: str | None = "TW01", g: str | None = None) -> bytes:
    body = ",".join(([f"g:{g}"] if g else []) + ([f"s:{s}"] if s else []) + [f"c:{c}"])
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\{sentence}".encode()


def report(mmsi: int = 416000001, lat: float = 24.0) -> str:
    data = {"msg_type": 1, "mmsi": mmsi, "lat": lat, "lon": 120.0, "speed": 12.3}
    return str(pyais.encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")[0])


def static5(mmsi: int) -> list[str]:
    data = {
        "msg_type": 5,
        "mmsi": mmsi,
        "shipname": "EVER GIVEN",
        "callsign": "BKHA",
        "destination": "KAOHSIUNG",
    }
    return [
        str(s)
        for s in pyais.encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=1)
    ]


def run(lines: list[bytes], size: int, mode: str) -> tuple[Accounting, Tables]:
    decoder = NmeaDecoder("test", fast=mode != "pyais")
    pairs = list(enumerate(lines, start=1))
    chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
    if mode == "buffer":
        batches = [decoder.feed_buffer(c[0][0], b"".join(raw + b"\n" for _, raw in c)) for c in chunks]
    else:
        batches = [decoder.feed(c) for c in chunks]
    batches.append(decoder.finish())
    return decoder.accounting, {n: pa.concat_tables([getattr(b, n) for b in batches]) for n in NAMES}


def assert_same(lines: list[bytes], sizes: tuple[int, ...] = (1, 2, 3, 1000)) -> Accounting:
    """Every chunking, on lines and on buffers, gives the pyais path's tables and counts."""
    for size in sizes:
        expected_acc, expected = run(lines, size, "pyais")
        for mode in ("lines", "buffer"):
            acc, tables = run(lines, size, mode)
            for name in NAMES:
                assert tables[name].equals(expected[name]), (size, mode, name)
            assert acc == expected_acc, (size, mode)
    return expected_acc


def duplicates_of(lines: list[bytes]) -> list[int]:
    _, tables = run(lines, 1, "buffer")
    rejects = tables["rejects"]
    reasons = rejects.column("reason").to_pylist()
    return [
        n for n, r in zip(rejects.column("line_no").to_pylist(), reasons, strict=True) if r == "duplicate"
    ]


def test_copy_in_the_next_chunk_up_to_30_s_later_is_a_duplicate_and_one_more_second_is_not() -> None:
    lines = [tagged(report(), T), tagged(report(), T + 30, "TW02"), tagged(report(), T + 61, "TW03")]
    accounting = assert_same(lines)
    assert duplicates_of(lines) == [2]
    assert accounting.decoded == 2


def test_copies_at_equal_times_in_other_chunks_are_duplicates() -> None:
    lines = [tagged(report(), T, s) for s in ("TW01", "TW02", "TW03", "TW04")]
    assert_same(lines)
    assert duplicates_of(lines) == [2, 3, 4]


def test_window_runs_from_the_last_kept_copy_not_the_last_copy() -> None:
    times = [T, T + 20, T + 31, T + 50, T + 62, T + 70]  # kept: T, T + 31, T + 62
    lines = [tagged(report(), t) for t in times]
    assert_same(lines)
    assert duplicates_of(lines) == [2, 4, 6]


def test_a_copy_heard_earlier_than_the_kept_one_is_a_duplicate_within_the_window() -> None:
    lines = [tagged(report(), T + 100), tagged(report(), T + 75), tagged(report(), T + 60)]
    assert_same(lines)
    assert duplicates_of(lines) == [2]


def test_pyais_path_messages_and_fast_rows_share_the_store_across_chunks() -> None:
    first, second = static5(416000001)
    lines = [
        tagged(report(), T, g="1-1-5"),  # pyais path (group field), kept
        tagged(report(mmsi=416000002), T),
        tagged(report(), T + 10),  # fast, duplicate of the pyais-path line, next chunk
        tagged(first, T + 11),
        tagged(second, T + 11),  # fast type 5 pair, kept
        tagged(report(), T + 45, g="1-1-6"),  # pyais path, kept (45 s after the kept copy)
        tagged(report(), T + 50),  # fast, duplicate of the pyais-path line before it
        tagged(first, T + 20, g="2-1-7"),
        tagged(second, T + 20, g="2-2-7"),  # pyais-path type 5 pair, duplicate of the fast pair
    ]
    accounting = assert_same(lines)
    assert accounting.duplicates == 4


def test_store_pruned_between_chunks_decides_as_the_pyais_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nmea, "SEEN_PRUNE_ABOVE", 3)
    lines = [tagged(report(), T)]  # kept, then forgotten: pruned after a chunk reaching T + 100
    lines += [tagged(report(mmsi=416000100 + k), T + 100) for k in range(5)]
    lines += [tagged(report(), T + 10, "TW02")]  # within 30 s of the forgotten copy: kept again
    lines += [tagged(report(mmsi=416000100), T + 101, "TW02")]  # a duplicate still remembered
    assert_same(lines, sizes=(1, 2, 5, 1000))
    assert duplicates_of(lines) == [8]


def test_colliding_hashes_group_rows_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    # every payload gets hash 0: the chunk's rows (grouped in scanned), lookups and the store
    for module in (scanned, seen):
        monkeypatch.setattr(module, "hash_words", lambda words: np.zeros(words.shape[0], dtype=np.uint64))
    for module in (nmea, seen):
        monkeypatch.setattr(module, "hash_bytes", lambda key: 0)
    lines = [tagged(report(mmsi=416000000 + k % 3), T + k) for k in range(12)]
    lines.insert(5, tagged(report(mmsi=416000001), T + 5, g="1-1-5"))
    accounting = assert_same(lines)
    assert accounting.duplicates == 10
