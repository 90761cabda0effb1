"""read_buffer_chunks yields the same numbered lines as read_line_chunks, as whole-line buffers."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mda.decode.batch import MAX_LINE_BYTES
from mda.sources import lines as lines_module
from mda.sources.errors import TruncatedInputError
from mda.sources.lines import BufferChunk, read_buffer_chunks, read_line_chunks

Numbered = list[tuple[int, bytes]]


def buffer_lines(buffer: bytes) -> list[bytes]:
    """A buffer's lines as the line reader gives them: split at line feeds, trailing CRs removed."""
    pieces = buffer.split(b"\n")
    if buffer.endswith(b"\n"):
        pieces.pop()
    return [piece.rstrip(b"\r") for piece in pieces]


def flatten(chunks: list[BufferChunk]) -> Numbered:
    out: Numbered = []
    for chunk in chunks:
        if isinstance(chunk, list):
            out.extend(chunk)
        else:
            first, buffer = chunk
            out.extend(enumerate(buffer_lines(buffer), start=first))
    return out


def collect(path: Path, chunk_lines: int, max_bytes: int = lines_module.BUFFER_BYTES) -> list[BufferChunk]:
    return list(read_buffer_chunks(path, chunk_lines, max_bytes))


def line_reader(path: Path, chunk_lines: int = 1000) -> Numbered:
    return [pair for chunk in read_line_chunks(path, chunk_lines) for pair in chunk]


def check_buffers(chunks: list[BufferChunk], chunk_lines: int) -> None:
    """Every buffer holds 1 to ``chunk_lines`` whole lines, none longer than the cap."""
    for k, chunk in enumerate(chunks):
        if isinstance(chunk, list):
            assert len(chunk) == 1
            assert len(chunk[0][1]) == MAX_LINE_BYTES + 1
            continue
        _, buffer = chunk
        assert buffer
        assert 1 <= len(buffer_lines(buffer)) <= chunk_lines
        assert all(len(line) <= MAX_LINE_BYTES for line in buffer.split(b"\n"))
        if k < len(chunks) - 1:
            assert buffer.endswith(b"\n")


_TEXT = st.binary(max_size=60).map(lambda b: b.replace(b"\n", b"x").replace(b"\r", b"y"))
_NEAR_CAP = st.sampled_from([MAX_LINE_BYTES - 1, MAX_LINE_BYTES, MAX_LINE_BYTES + 1, 3 * MAX_LINE_BYTES])
_ENDINGS = st.sampled_from([b"\n", b"\r\n", b"\r\r\n"])


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, int, int, int]:
    """File bytes (short and near-cap lines, LF/CRLF endings), read size, chunk lines, buffer size."""
    read_bytes = draw(st.integers(1, 97) | st.sampled_from([4096, MAX_LINE_BYTES + 1, 1 << 20]))
    long_ok = read_bytes >= 4096  # tiny reads of 64 KiB lines are merely slow
    texts = st.one_of(_TEXT, _NEAR_CAP.map(lambda n: b"A" * n)) if long_ok else _TEXT
    # a leading "#" keeps random bytes from starting with a compression format's magic number
    lines = draw(st.lists(st.tuples(texts, _ENDINGS), max_size=12))
    body = b"".join(b"#" + text + ending for text, ending in lines)
    body += draw(st.sampled_from([b"", b"no final newline", b"cr at the end\r"]))
    return body, read_bytes, draw(st.integers(1, 5)), draw(st.sampled_from([1, 50, 1 << 22]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_buffers_give_the_line_readers_lines_and_numbers(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[bytes, int, int, int]
) -> None:
    data, read_bytes, chunk_lines, max_bytes = case
    path = tmp_path_factory.mktemp("buffers") / "lines.nmea"
    path.write_bytes(data)
    with mock.patch.object(lines_module, "READ_BYTES", read_bytes):
        chunks = collect(path, chunk_lines, max_bytes)
    check_buffers(chunks, chunk_lines)
    assert flatten(chunks) == line_reader(path)


def test_over_long_line_is_yielded_alone_truncated_like_iter_lines(tmp_path: Path) -> None:
    path = tmp_path / "long.nmea"
    long_line = b"!AIVDM," + b"9" * (MAX_LINE_BYTES + 5000)
    path.write_bytes(b"first\n" + long_line + b"\r\nlast\n")
    chunks = collect(path, 1000)
    assert chunks == [(1, b"first\n"), [(2, long_line[: MAX_LINE_BYTES + 1])], (3, b"last\n")]
    assert flatten(chunks) == line_reader(path)


def test_cr_and_crlf_endings_are_dropped_from_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "endings.nmea"
    path.write_bytes(b"a\r\nb\nc\r\r\nd\re\n")
    assert flatten(collect(path, 1000)) == [(1, b"a"), (2, b"b"), (3, b"c"), (4, b"d\re")]
    assert flatten(collect(path, 1000)) == line_reader(path)


def test_missing_final_newline_still_yields_the_last_line(tmp_path: Path) -> None:
    path = tmp_path / "open.nmea"
    path.write_bytes(b"one\ntwo")
    assert collect(path, 1) == [(1, b"one\n"), (2, b"two")]


@pytest.mark.parametrize("compress", [lambda b: b, gzip.compress], ids=["plain", "gzip"])
def test_empty_file_yields_nothing(tmp_path: Path, compress: Callable[[bytes], bytes]) -> None:
    path = tmp_path / "empty"
    path.write_bytes(compress(b""))
    assert collect(path, 10) == []


@pytest.mark.parametrize(
    "compress",
    [gzip.compress, lambda data: zstandard.ZstdCompressor(write_checksum=True).compress(data)],
    ids=["gzip", "zstd"],
)
def test_truncated_compressed_input_yields_the_lines_before_the_damage_then_raises(
    tmp_path: Path, compress: Callable[[bytes], bytes]
) -> None:
    original = [b"line %06d with some text to compress %d" % (i, i * 7919 % 1000) for i in range(200_000)]
    data = compress(b"\n".join(original) + b"\n")
    path = tmp_path / "cut"
    path.write_bytes(data[: len(data) // 2])
    chunks: list[BufferChunk] = []
    with pytest.raises(TruncatedInputError):  # noqa: PT012 - the chunks before the error matter
        for chunk in read_buffer_chunks(path, 5000):
            chunks.append(chunk)
    got = flatten(chunks)
    assert 0 < len(got) < len(original)
    assert [n for n, _ in got] == list(range(1, len(got) + 1))
    *whole, (last_no, last) = got
    assert [line for _, line in whole] == original[: len(whole)]
    assert original[last_no - 1].startswith(last)  # the line the damage cut, as far as it was read
