from __future__ import annotations

from pathlib import Path

import pytest

from mda import schemas
from mda.sources.open import open_decoder

FIXTURES = Path(__file__).parents[1] / "fixtures"
ALL_INPUTS = [
    "ais-samples/pyais/nmea_data_sample.txt",
    "ais-samples/pyais/mixed.txt",
    "ais-samples/pyais/sample.ais",
    "ais-samples/pyais/gatehouse.nmea",
    "ais-samples/pyais/messages.ais",
    "ais-samples/pyais/timestamped.ais",
    "ais-samples/kystverket/Ais1000Lines.nm4",
    "ais-samples/aisdb/test_data_noaa_20230101.csv",
    "handmade/dma_aisdk_2026-11-13.csv",
    "handmade/aisstream_2026-11-24T03.jsonl",
]


@pytest.mark.parametrize("name", ALL_INPUTS)
@pytest.mark.parametrize("chunk_lines", [1, 64, 100_000])
def test_every_line_of_every_sample_is_accounted_once(name: str, chunk_lines: int):
    path = FIXTURES / name
    source = open_decoder(path, chunk_lines=chunk_lines)
    reject_rows = 0
    for batch in source:
        assert batch.positions.schema == schemas.POSITIONS
        assert batch.static.schema == schemas.VESSEL_STATIC
        assert batch.rejects.schema == schemas.REJECTS
        reject_rows += batch.rejects.num_rows
    acc = source.accounting
    assert acc.lines == len(path.read_bytes().splitlines())
    assert acc.balanced
    assert reject_rows == acc.lines - acc.decoded


@pytest.mark.parametrize("name", ALL_INPUTS)
def test_decoding_is_the_same_whatever_the_chunk_size(name: str):
    def rows(chunk_lines: int) -> list[tuple[object, ...]]:
        out = []
        for batch in open_decoder(FIXTURES / name, chunk_lines=chunk_lines):
            out += [tuple(r.values()) for r in batch.positions.to_pylist() + batch.static.to_pylist()]
        return sorted(out, key=repr)

    assert rows(3) == rows(100_000)
