"""Worker processes change nothing: decoding and detection give the same rows with or without them."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pyarrow as pa
import pytest

from mda import pipeline
from mda.decode.batch import MAX_LINE_BYTES, Accounting
from mda.decode.nmea import NmeaDecoder
from mda.events.detect import EVENT_TABLES
from mda.pipeline import decode_files, load_interval
from mda.sources import open as open_module
from mda.sources.errors import TruncatedInputError
from mda.sources.open import open_decoder
from mda.workers import Workers

from builders import table_digest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SAMPLES = Path(__file__).parents[1] / "fixtures" / "ais-samples"
TABLES = ("positions", "vessel_static", "rejects", *EVENT_TABLES)


def decode_all(path: Path, workers: Workers, chunk_lines: int) -> tuple[dict[str, pa.Table], Accounting, str]:
    """Every table a file decodes to, its accounting, and the truncation it reported ('' if none).

    Decoded with the fast path (without the messages table, which turns it off), so that the
    workers scan the buffers.
    """
    source = open_decoder(path, chunk_lines=chunk_lines, workers=workers)
    parts: dict[str, list[pa.Table]] = {"positions": [], "static": [], "rejects": []}
    truncated = ""
    try:
        for batch in source:
            parts["positions"].append(batch.positions)
            parts["static"].append(batch.static)
            parts["rejects"].append(batch.rejects)
    except TruncatedInputError as exc:
        truncated = str(exc)
    tables = {name: pa.concat_tables(tables) for name, tables in parts.items() if tables}
    return tables, source.accounting, truncated


@pytest.fixture
def scan_from_the_first_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers take every buffer of a file, not only those after the first few."""
    monkeypatch.setattr(open_module, "INLINE_BUFFERS", 0)


@pytest.fixture(scope="module")
def two_workers():
    with Workers(2) as workers:
        yield workers


def assert_same_decoding(path: Path, workers: Workers, chunk_lines: int) -> None:
    with Workers(0) as inline:
        expected = decode_all(path, inline, chunk_lines)
    got = decode_all(path, workers, chunk_lines)
    assert got[1] == expected[1]
    assert got[2] == expected[2]
    assert got[0].keys() == expected[0].keys()
    for name, table in expected[0].items():
        assert got[0][name].equals(table), name


@pytest.mark.usefixtures("scan_from_the_first_buffer")
def test_a_simulated_day_decodes_to_the_same_rows_with_two_workers(simulated_run, two_workers):
    assert_same_decoding(simulated_run.sim.nmea_path, two_workers, chunk_lines=20_000)


@pytest.mark.usefixtures("scan_from_the_first_buffer")
def test_buffers_queued_while_the_workers_start_are_scanned_by_both_sides_in_file_order(
    simulated_run, two_workers, monkeypatch
):
    polls = itertools.count()
    # still starting for the first buffers read, then up: the queue passes to the workers
    monkeypatch.setattr(Workers, "starting", property(lambda self: next(polls) < 6))
    fed: list[bool] = []  # per buffer: scanned by a worker
    feed_buffer = NmeaDecoder.feed_buffer

    def counted(self: NmeaDecoder, first: int, buffer: bytes, scanned: object = None) -> object:
        fed.append(scanned is not None)
        return feed_buffer(self, first, buffer, scanned)  # type: ignore[arg-type]

    monkeypatch.setattr(NmeaDecoder, "feed_buffer", counted)
    assert_same_decoding(simulated_run.sim.nmea_path, two_workers, chunk_lines=20_000)
    run = fed[len(fed) // 2 :]  # the run with workers (the inline reference ran first)
    assert run.count(False) >= 2
    assert run.count(True) >= 2
    assert run == sorted(run)  # the decoder's own scans first, then only the workers'


@pytest.mark.usefixtures("scan_from_the_first_buffer")
@pytest.mark.parametrize(
    "name",
    ["pyais/nmea_data_sample.txt", "pyais/mixed.txt", "pyais/gatehouse.nmea", "kystverket/Ais1000Lines.nm4"],
)
def test_real_samples_decode_to_the_same_rows_with_two_workers(name, two_workers):
    assert_same_decoding(SAMPLES / name, two_workers, chunk_lines=50)


@pytest.mark.usefixtures("scan_from_the_first_buffer")
def test_an_over_long_line_between_scanned_buffers_keeps_its_place(simulated_run, two_workers, tmp_path):
    lines = simulated_run.sim.nmea_path.read_bytes().splitlines(keepends=True)[:3000]
    path = tmp_path / "long-line.nmea"
    path.write_bytes(b"".join([*lines[:1500], b"!" + b"A" * (MAX_LINE_BYTES + 10) + b"\n", *lines[1500:]]))
    assert_same_decoding(path, two_workers, chunk_lines=200)
    _, accounting, _ = decode_all(path, two_workers, chunk_lines=200)
    assert accounting.rejected["line_too_long"] == 1
    assert accounting.lines == 3001


@pytest.mark.usefixtures("scan_from_the_first_buffer")
def test_a_truncated_file_keeps_every_scanned_buffer_before_the_damage(simulated_run, two_workers, tmp_path):
    lines = simulated_run.sim.nmea_path.read_bytes().splitlines(keepends=True)[:20_000]
    packed = gzip.compress(b"".join(lines))
    path = tmp_path / "cut.nmea.gz"
    path.write_bytes(packed[: len(packed) * 3 // 4])
    assert_same_decoding(path, two_workers, chunk_lines=500)
    _, accounting, truncated = decode_all(path, two_workers, chunk_lines=500)
    assert truncated
    assert accounting.balanced
    assert 10_000 < accounting.lines < 20_000


def digest(db: Path) -> dict[str, tuple[int, int | None]]:
    return table_digest(db, TABLES)


def test_buckets_detected_by_two_workers_give_the_events_of_the_inline_run(
    simulated_run, two_workers, tmp_path, monkeypatch
):
    monkeypatch.setattr(pipeline, "BUCKET_POSITIONS", 60_000)  # about 8 buckets of the simulated day
    with Workers(0) as inline, decode_files([simulated_run.sim.nmea_path], workers=inline) as decoded:
        day = decoded.covering_days()
        alone = tmp_path / "inline.duckdb"
        load_interval(decoded, alone, day, workers=inline)
        shared = tmp_path / "workers.duckdb"
        progress: list[str] = []
        load_interval(decoded, shared, day, progress.append, workers=two_workers)
    assert any("in 8 MMSI bucket(s)" in line for line in progress)
    assert digest(shared) == digest(alone)
    assert digest(shared)["transits"][0] == len(simulated_run.truth["transits"])


@pytest.mark.parametrize(("lines", "started_first"), [(200_000, True), (200, False)])
def test_a_file_of_more_than_a_buffer_starts_the_workers_before_its_first_buffer_is_decoded(
    simulated_run, tmp_path, lines, started_first
):
    path = tmp_path / "part.nmea"
    with simulated_run.sim.nmea_path.open("rb") as raw:
        path.write_bytes(b"".join(itertools.islice(raw, lines)))
    assert (path.stat().st_size > open_module.BUFFER_BYTES) is started_first
    with Workers(2) as workers:
        source = open_decoder(path, chunk_lines=1_000_000, workers=workers)
        next(iter(source))  # the first buffer, decoded by this process
        assert workers.started is started_first
