from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from pathlib import Path

import pytest
import zstandard

from mda.decode.batch import MAX_LINE_BYTES
from mda.sources.compressed import compression_of, zstd_frames_complete
from mda.sources.errors import SourceError, TruncatedInputError
from mda.sources.lines import iter_lines, read_line_chunks
from mda.sources.open import detect_format, open_decoder

HANDMADE = Path(__file__).parents[1] / "fixtures" / "handmade"


@pytest.fixture
def kystverket(samples: Path) -> bytes:
    return (samples / "kystverket" / "Ais1000Lines.nm4").read_bytes()


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("AIS_2019_08_07.nm4", data)
    return buffer.getvalue()


COMPRESSORS = {
    "gzip": gzip.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
    "zip": _zip,
    "xz": lzma.compress,
    "bzip2": bz2.compress,
}


def decode_summary(path: Path, **options: object) -> tuple[int, int, object]:
    source = open_decoder(path, chunk_lines=97, **options)  # type: ignore[arg-type]
    positions = sum(batch.positions.num_rows for batch in source)
    return source.accounting.lines, positions, source.accounting


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_compressed_input_is_detected_by_magic_bytes_and_decodes_like_plain(
    tmp_path: Path, kystverket: bytes, kind: str
):
    plain, packed = tmp_path / "plain.nm4", tmp_path / "misleading-name.txt"
    plain.write_bytes(kystverket)
    packed.write_bytes(COMPRESSORS[kind](kystverket))
    assert compression_of(packed) == kind
    assert decode_summary(packed)[:2] == decode_summary(plain)[:2] == (1000, 743)


def test_zstd_file_of_several_frames_is_read_to_the_end(tmp_path: Path, kystverket: bytes):
    half = len(kystverket) // 2
    cut = kystverket.index(b"\n", half) + 1
    compressor = zstandard.ZstdCompressor()
    path = tmp_path / "frames.zst"
    path.write_bytes(compressor.compress(kystverket[:cut]) + compressor.compress(kystverket[cut:]))
    assert decode_summary(path)[:2] == (1000, 743)


@pytest.mark.parametrize("kind", ["gzip", "zstd"])
def test_truncated_input_yields_what_was_readable_then_raises(tmp_path: Path, kind: str):
    lines = b"".join(b"\\c:%d*00\\!AIVDM,1,1,,A,junk,0*00\n" % (1565218798 + i) for i in range(20_000))
    data = COMPRESSORS[kind](lines)
    path = tmp_path / f"cut.{kind}"
    path.write_bytes(data[: len(data) // 2])
    source = open_decoder(path, "nmea", chunk_lines=1000)
    batches: list[int] = []

    def consume() -> None:
        for batch in source:
            batches.append(batch.rejects.num_rows)

    with pytest.raises(TruncatedInputError) as err:
        consume()
    assert "\n" not in str(err.value)
    assert len(batches) > 1
    assert 0 < source.accounting.lines < 20_000
    assert source.accounting.balanced


def test_zstd_frame_walk_tells_whole_from_cut_files():
    data = zstandard.ZstdCompressor(write_checksum=True).compress(b"x" * 100_000 + b"\n")
    assert zstd_frames_complete(io.BytesIO(data))
    assert not zstd_frames_complete(io.BytesIO(data[:-3]))
    assert not zstd_frames_complete(io.BytesIO(data + b"\x28\xb5"))


def test_a_10_mb_line_is_cut_at_the_cap_and_the_next_line_still_decodes(tmp_path: Path, kystverket: bytes):
    path = tmp_path / "long.nm4"
    first_line = kystverket.splitlines()[0]
    path.write_bytes(b"!AIVDM," + b"9" * 10_000_000 + b"\n" + first_line + b"\n")
    with path.open("rb") as handle:
        sizes = [len(line) for line in iter_lines(handle)]
    assert sizes == [MAX_LINE_BYTES + 1, len(first_line)]
    source = open_decoder(path, chunk_lines=10)
    rejects = [r for batch in source for r in batch.rejects.to_pylist()]
    assert [r["reason"] for r in rejects] == ["line_too_long"]
    assert source.accounting.decoded == 1


def test_empty_file_is_an_empty_nmea_source(tmp_path: Path):
    path = tmp_path / "empty.nmea"
    path.write_bytes(b"")
    source = open_decoder(path, chunk_lines=10)
    assert source.format == "nmea"
    assert [b.positions.num_rows for b in source] == [0]
    assert source.accounting.lines == 0


def test_file_of_blank_lines_accounts_each_line(tmp_path: Path):
    path = tmp_path / "blank.nmea"
    path.write_bytes(b"\n\r\n   \n")
    lines, positions, accounting = decode_summary(path)
    assert (lines, positions) == (3, 0)
    assert accounting.rejected == {"empty_line": 3}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("ais-samples/pyais/nmea_data_sample.txt", "nmea"),
        ("ais-samples/pyais/mixed.txt", "nmea"),
        ("ais-samples/pyais/gatehouse.nmea", "nmea"),
        ("ais-samples/kystverket/Ais1000Lines.nm4", "nmea"),
        ("ais-samples/aisdb/test_data_noaa_20230101.csv", "noaa"),
        ("handmade/dma_aisdk_2026-11-13.csv", "dma"),
        ("handmade/aisstream_2026-11-24T03.jsonl", "aisstream"),
    ],
)
def test_format_is_detected_from_content(name: str, fmt: str):
    assert detect_format(Path(__file__).parents[1] / "fixtures" / name) == fmt


def test_binary_garbage_is_an_unknown_format_error_in_one_line(tmp_path: Path):
    path = tmp_path / "garbage.bin"
    path.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(SourceError, match="unknown input format") as err:
        open_decoder(path, chunk_lines=10)
    assert "\n" not in str(err.value)


def test_binary_garbage_read_as_nmea_is_quarantined(tmp_path: Path):
    path = tmp_path / "garbage.bin"
    path.write_bytes(bytes(range(256)) * 100)
    lines, positions, accounting = decode_summary(path, fmt="nmea")
    assert positions == 0
    assert accounting.balanced  # type: ignore[attr-defined]
    assert accounting.decoded == 0  # type: ignore[attr-defined]
    assert lines == 101


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "not found"),
        (lambda p: p.mkdir() or p, "directory"),
    ],
)
def test_missing_or_unreadable_input_is_a_one_line_source_error(tmp_path: Path, make, message: str):
    path = make(tmp_path / "input.nmea")
    with pytest.raises(SourceError, match=message):
        open_decoder(path, chunk_lines=10)


def test_unknown_format_name_is_refused(tmp_path: Path):
    path = tmp_path / "x.nmea"
    path.write_bytes(b"")
    with pytest.raises(SourceError, match="unknown input format 'gpsd'"):
        open_decoder(path, "gpsd", chunk_lines=10)


def test_zip_with_several_files_is_refused(tmp_path: Path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.csv", "x")
        archive.writestr("b.csv", "y")
    with pytest.raises(SourceError, match="holds 2 files"):
        open_decoder(path, "nmea", chunk_lines=10)


def test_line_chunks_number_every_physical_line(tmp_path: Path):
    path = tmp_path / "lines.txt"
    path.write_bytes(b"a\r\nb\n\nc")
    chunks = list(read_line_chunks(path, 2))
    assert chunks == [[(1, b"a"), (2, b"b")], [(3, b""), (4, b"c")]]


def test_the_input_file_is_never_modified(tmp_path: Path, kystverket: bytes):
    path = tmp_path / "raw.nm4"
    path.write_bytes(kystverket)
    before = path.stat().st_mtime_ns
    decode_summary(path)
    assert path.read_bytes() == kystverket
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    "blob",
    [
        gzip.compress(b"!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23\n" * 100)[:20] + bytes(200),
        lzma.compress(b"x\n" * 1000)[:30] + b"garbage" * 10,
        bz2.compress(b"x\n" * 1000)[:20] + b"garbage" * 10,
        b"\x28\xb5\x2f\xfd" + bytes(50),
    ],
    ids=["gzip", "xz", "bzip2", "zstd"],
)
def test_corrupt_compressed_input_is_a_one_line_source_error(tmp_path: Path, blob: bytes):
    path = tmp_path / "corrupt.bin"
    path.write_bytes(blob)

    def decode_everything() -> None:
        for _batch in open_decoder(path, chunk_lines=10):
            pass

    with pytest.raises(SourceError) as err:
        decode_everything()
    assert "\n" not in str(err.value)
