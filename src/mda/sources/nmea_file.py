"""Raw NMEA files (plain or gzip), read as numbered byte lines in bounded chunks."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO


class SourceError(Exception):
    """An input cannot be opened or read; the message is one line for the user."""


def _open(path: Path) -> IO[bytes]:
    try:
        with path.open("rb") as probe:
            magic = probe.read(2)
        if magic == b"\x1f\x8b":
            return gzip.open(path, "rb")
        return path.open("rb")
    except FileNotFoundError as exc:
        raise SourceError(f"input file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise SourceError(f"input is a directory, not a file: {path}") from exc
    except PermissionError as exc:
        raise SourceError(f"input file not readable: {path}") from exc


def check_readable(path: Path) -> None:
    """Raise :class:`SourceError` unless ``path`` can be opened for reading."""
    _open(path).close()


def read_line_chunks(path: Path, chunk_lines: int) -> Iterator[list[tuple[int, bytes]]]:
    """Yield the file's lines in chunks of at most ``chunk_lines``.

    Parameters
    ----------
    path : Path
        A plain or gzip-compressed text file (detected from its magic bytes).
    chunk_lines : int
        Maximum number of lines per chunk; bounds memory.

    Yields
    ------
    list of (int, bytes)
        ``(line_no, line)`` with 1-based line numbers and the trailing CR/LF removed.  Every
        physical line is yielded, including blank ones, so callers can account for all of them.
    """
    chunk: list[tuple[int, bytes]] = []
    with _open(path) as handle:
        try:
            for line_no, raw in enumerate(handle, start=1):
                chunk.append((line_no, raw.rstrip(b"\r\n")))
                if len(chunk) >= chunk_lines:
                    yield chunk
                    chunk = []
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            if chunk:
                yield chunk
            raise SourceError(f"{path}: truncated or corrupt input: {exc}") from exc
    if chunk:
        yield chunk
