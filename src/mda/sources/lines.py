"""Read any input file as numbered byte lines in bounded chunks, with a bounded line length."""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import zstandard

from mda.decode.batch import MAX_LINE_BYTES
from mda.sources.compressed import open_input
from mda.sources.errors import SourceError, TruncatedInputError

#: Errors of the decompressors when the data ends early or is corrupt.
READ_ERRORS = (OSError, EOFError, zlib.error, zstandard.ZstdError, zipfile.BadZipFile, lzma.LZMAError)


def _skip_rest_of_line(handle: IO[bytes]) -> None:
    while True:
        piece = handle.readline(MAX_LINE_BYTES)
        if not piece or piece.endswith(b"\n"):
            return


def iter_lines(handle: IO[bytes]) -> Iterator[bytes]:
    """Yield the lines of a binary stream without their CR/LF terminators.

    A line longer than :data:`~mda.decode.batch.MAX_LINE_BYTES` is yielded as its first
    ``MAX_LINE_BYTES + 1`` bytes (so decoders see it is too long) and the rest of it is skipped
    without being held in memory.
    """
    limit = MAX_LINE_BYTES + 1
    while True:
        line = handle.readline(limit)
        if not line:
            return
        if len(line) == limit and not line.endswith(b"\n"):
            _skip_rest_of_line(handle)
            yield line
            continue
        yield line.rstrip(b"\r\n")


def read_line_chunks(path: Path, chunk_lines: int) -> Iterator[list[tuple[int, bytes]]]:
    """Yield the file's lines in chunks of at most ``chunk_lines``.

    Parameters
    ----------
    path : Path
        A plain or compressed file (gzip, Zstandard, zip, xz or bzip2, detected from its magic
        bytes).
    chunk_lines : int
        Maximum number of lines per chunk; bounds memory together with the line length cap.

    Yields
    ------
    list of (int, bytes)
        ``(line_no, line)`` with 1-based line numbers and the trailing CR/LF removed.  Every
        physical line is yielded, including blank ones, so callers can account for all of them.

    Raises
    ------
    SourceError
        When the file cannot be opened.
    TruncatedInputError
        After the lines read so far were yielded, when compressed data ends early or is corrupt.
    """
    chunk_lines = max(1, chunk_lines)
    chunk: list[tuple[int, bytes]] = []
    line_no = 0
    with open_input(path) as handle:
        try:
            for line in iter_lines(handle):
                line_no += 1
                chunk.append((line_no, line))
                if len(chunk) >= chunk_lines:
                    yield chunk
                    chunk = []
        except TruncatedInputError:
            if chunk:
                yield chunk
            raise
        except READ_ERRORS as exc:
            if chunk:
                yield chunk
            raise TruncatedInputError(
                f"{path}: truncated or corrupt input after line {line_no}: {exc}"
            ) from exc
    if chunk:
        yield chunk


#: Bytes read from the input at a time by :func:`read_buffer_chunks`.
READ_BYTES = 1 << 20
#: Largest buffer :func:`read_buffer_chunks` yields (about 45 000 simulated lines): bounds the
#: fast path's working arrays whatever the file size.
BUFFER_BYTES = 4 << 20

#: One chunk of :func:`read_buffer_chunks`: ``(first_line_no, buffer)`` of whole lines, or a
#: list of ``(line_no, line)`` for a line handled on its own (an over-long line).
BufferChunk = tuple[int, bytes] | list[tuple[int, bytes]]


def _split_at_lines(data: bytes, first_line_no: int, chunk_lines: int, lines: int) -> list[tuple[int, bytes]]:
    """Cut ``data`` into buffers of at most ``chunk_lines`` lines, each with its first line number.

    ``data`` holds ``lines`` whole lines; the last may lack its line feed.
    """
    if not data:
        return []
    if lines <= chunk_lines:
        return [(first_line_no, data)]
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    ends = (newlines + 1).tolist()
    if not data.endswith(b"\n"):
        ends.append(len(data))
    out, at = [], 0
    for k in range(chunk_lines - 1, len(ends) + chunk_lines - 1, chunk_lines):
        end = ends[min(k, len(ends) - 1)]
        out.append((first_line_no + k - chunk_lines + 1, data[at:end]))
        at = end
    return out


def _count_lines(data: bytes) -> int:
    # NumPy compares and counts with vector instructions, bytes.count byte by byte (3x slower)
    newlines = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) == 10))
    return newlines + (1 if data and not data.endswith(b"\n") else 0)


def _may_hold_long_line(data: bytes) -> bool:
    """False when no line of ``data`` is longer than ``MAX_LINE_BYTES`` (True: look closer).

    A run of more than ``MAX_LINE_BYTES`` bytes without a line feed covers a whole aligned
    window of half that size, so a line feed in every such window rules the run out.
    """
    step = MAX_LINE_BYTES // 2
    return any(data.find(b"\n", at, at + step) < 0 for at in range(0, len(data) - step + 1, step))


def _long_lines(whole: bytes) -> list[tuple[int, int]]:
    """``(start, line feed)`` offsets of the lines of ``whole`` longer than ``MAX_LINE_BYTES``."""
    if not _may_hold_long_line(whole):
        return []
    newlines = np.flatnonzero(np.frombuffer(whole, dtype=np.uint8) == 10)
    lengths = np.diff(newlines, prepend=-1) - 1
    return [
        (int(newlines[k] - lengths[k]), int(newlines[k])) for k in np.flatnonzero(lengths > MAX_LINE_BYTES)
    ]


def read_buffer_chunks(path: Path, chunk_lines: int, max_bytes: int = BUFFER_BYTES) -> Iterator[BufferChunk]:
    """Yield the file's lines as buffers of whole lines, for decoders that split them themselves.

    Parameters
    ----------
    path : Path
        A plain or compressed file (see :func:`read_line_chunks`).
    chunk_lines : int
        Maximum number of lines per buffer.
    max_bytes : int
        Size in bytes from which the lines read so far are yielded (buffers stay near it).

    Yields
    ------
    tuple of (int, bytes) or list of (int, bytes)
        ``(first_line_no, buffer)``: whole lines, each ending in a line feed except perhaps
        the file's last, carriage returns kept, none longer than
        :data:`~mda.decode.batch.MAX_LINE_BYTES`.  A longer line is yielded on its own as
        ``[(line_no, line)]`` exactly as :func:`iter_lines` yields it (its first
        ``MAX_LINE_BYTES + 1`` bytes), and the rest of it is skipped without being held in
        memory.  Every physical line is yielded once, in order.

    Raises
    ------
    SourceError
        When the file cannot be opened.
    TruncatedInputError
        After the lines read so far were yielded, when compressed data ends early or is corrupt.
    """
    chunk_lines = max(1, chunk_lines)
    limit = MAX_LINE_BYTES + 1
    line_no = 1
    buffered: list[bytes] = []  # checked whole lines not yet yielded
    size = 0
    partial = b""  # the start of the line being read (at most MAX_LINE_BYTES bytes)
    skipping = False  # inside an over-long line already yielded

    def flush() -> list[tuple[int, bytes]]:
        nonlocal line_no, size
        data = b"".join(buffered)
        buffered.clear()
        size = 0
        lines = _count_lines(data)
        out = _split_at_lines(data, line_no, chunk_lines, lines)
        line_no += lines
        return out

    with open_input(path) as handle:
        # read1: a damaged compressed stream loses at most one decompressor step, not a block
        read = getattr(handle, "read1", handle.read)
        try:
            while True:
                block = read(READ_BYTES)
                if skipping and block:
                    nl = block.find(b"\n")
                    if nl < 0:
                        continue
                    block, skipping = block[nl + 1 :], False
                    if not block:
                        continue
                if not block:
                    buffered.append(partial)
                    yield from flush()
                    return
                data = partial + block
                cut = data.rfind(b"\n") + 1
                whole, partial = data[:cut], data[cut:]
                at = 0
                for start, stop in _long_lines(whole):
                    buffered.append(whole[at:start])
                    yield from flush()
                    yield [(line_no, whole[start : start + limit])]
                    line_no += 1
                    at = stop + 1
                buffered.append(whole[at:])
                size += len(whole) - at
                if len(partial) > MAX_LINE_BYTES:
                    yield from flush()
                    yield [(line_no, partial[:limit])]
                    line_no += 1
                    partial, skipping = b"", True
                if size >= max_bytes:
                    yield from flush()
        except TruncatedInputError:
            buffered.append(partial)
            yield from flush()
            raise
        except READ_ERRORS as exc:
            buffered.append(partial)
            yield from flush()
            raise TruncatedInputError(
                f"{path}: truncated or corrupt input after line {line_no - 1}: {exc}"
            ) from exc


def check_readable(path: Path) -> None:
    """Raise :class:`SourceError` unless ``path`` can be opened for reading."""
    try:
        open_input(path).close()
    except OSError as exc:
        raise SourceError(f"input file cannot be read: {path}: {exc}") from exc
