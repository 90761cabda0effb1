"""Read any input file as numbered byte lines in bounded chunks, with a bounded line length."""

from __future__ import annotations

import lzma
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

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


def check_readable(path: Path) -> None:
    """Raise :class:`SourceError` unless ``path`` can be opened for reading."""
    try:
        open_input(path).close()
    except OSError as exc:
        raise SourceError(f"input file cannot be read: {path}: {exc}") from exc
