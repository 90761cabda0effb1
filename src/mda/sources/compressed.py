"""Open an input file as a binary stream, decompressing by its magic bytes (never its name).

Recognised: gzip (``1f 8b``), Zstandard (``28 b5 2f fd``, one or more frames), bzip2 (``BZh``),
xz (``fd 37 7a 58 5a 00``) and zip archives holding exactly one file (``PK 03 04``, as
MarineCadastre and the Danish Maritime Authority publish them); anything else is read as is.

The zstandard stream reader reports a truncated last frame as a normal end of data, so at the
end of a Zstandard input the frame structure (frame and block headers, ``RFC 8878``) is walked
without decompressing, and a missing block or checksum raises :class:`TruncatedInputError`.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from pathlib import Path
from typing import IO, cast

import zstandard

from mda.sources.errors import SourceError, TruncatedInputError

_ZSTD_MAGIC = 0xFD2FB528
_ZSTD_SKIPPABLE = range(0x184D2A50, 0x184D2A60)
_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\x50\x4b\x03\x04", "zip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"BZh", "bzip2"),
)


def compression_of(path: Path) -> str:
    """``gzip``, ``zstd``, ``zip``, ``xz``, ``bzip2`` or ``plain``, from the first bytes of ``path``.

    Raises
    ------
    SourceError
        When the file is missing, a directory or not readable.
    """
    try:
        with path.open("rb") as probe:
            magic = probe.read(6)
    except FileNotFoundError as exc:
        raise SourceError(f"input file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise SourceError(f"input is a directory, not a file: {path}") from exc
    except PermissionError as exc:
        raise SourceError(f"input file not readable: {path}") from exc
    except OSError as exc:
        raise SourceError(f"input file cannot be read: {path}: {exc.strerror or exc}") from exc
    return next((name for prefix, name in _MAGIC if magic.startswith(prefix)), "plain")


def zstd_frames_complete(handle: IO[bytes]) -> bool:
    """Whether a seekable Zstandard file consists of whole frames (headers walked, no decoding)."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    pos = 0

    def read(at: int, n: int) -> bytes:
        handle.seek(at)
        return handle.read(n)

    while pos < size:
        head = read(pos, 4)
        if len(head) < 4:
            return False
        magic = int.from_bytes(head, "little")
        if magic in _ZSTD_SKIPPABLE:
            length = read(pos + 4, 4)
            if len(length) < 4:
                return False
            pos += 8 + int.from_bytes(length, "little")
            continue
        if magic != _ZSTD_MAGIC:
            return False
        descriptor = read(pos + 4, 1)
        if not descriptor:
            return False
        fhd = descriptor[0]
        single_segment = (fhd >> 5) & 1
        content_size_bytes = (1 if single_segment else 0, 2, 4, 8)[fhd >> 6]
        dict_id_bytes = (0, 1, 2, 4)[fhd & 3]
        pos += 4 + 1 + (0 if single_segment else 1) + dict_id_bytes + content_size_bytes
        while True:
            block = read(pos, 3)
            if len(block) < 3:
                return False
            header = int.from_bytes(block, "little")
            last, kind, block_size = header & 1, (header >> 1) & 3, header >> 3
            if kind == 3:
                return False
            pos += 3 + (1 if kind == 1 else block_size)
            if last:
                break
        if (fhd >> 2) & 1:
            pos += 4
    return pos == size


class _ZstdRaw(io.RawIOBase):
    """Raw stream over all Zstandard frames of a file; a truncated file raises at its end."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path
        self._file = path.open("rb")
        self._reader = zstandard.ZstdDecompressor().stream_reader(self._file, read_across_frames=True)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            n = self._reader.readinto(buffer)
        except zstandard.ZstdError as exc:
            raise TruncatedInputError(f"{self._path}: corrupt Zstandard data: {exc}") from exc
        if n == 0 and not zstd_frames_complete(self._file):
            raise TruncatedInputError(f"{self._path}: truncated Zstandard file (last frame incomplete)")
        return int(n)

    def close(self) -> None:
        if not self.closed:
            self._reader.close()  # type: ignore[no-untyped-call]  # unannotated in zstandard's stub
            self._file.close()
        super().close()


def _open_zip(path: Path) -> IO[bytes]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path}: not a readable zip archive (truncated?): {exc}") from exc
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) != 1:
        archive.close()
        raise SourceError(f"{path}: zip archive holds {len(members)} files; expected exactly one")
    try:
        return archive.open(members[0])
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
        archive.close()
        raise SourceError(f"{path}: cannot read {members[0].filename} in the zip archive: {exc}") from exc


def open_input(path: Path) -> IO[bytes]:
    """Open ``path`` for binary reading, decompressing according to its magic bytes.

    Returns
    -------
    IO[bytes]
        A buffered stream with ``readline(size)``; close it when done.

    Raises
    ------
    SourceError
        When the file is missing, unreadable or an archive that cannot be opened.
    """
    kind = compression_of(path)
    try:
        if kind == "gzip":
            return cast(IO[bytes], gzip.open(path, "rb"))
        if kind == "zstd":
            return io.BufferedReader(_ZstdRaw(path), buffer_size=1 << 16)
        if kind == "zip":
            return _open_zip(path)
        if kind == "xz":
            return lzma.open(path, "rb")
        if kind == "bzip2":
            return bz2.open(path, "rb")
        return path.open("rb")
    except OSError as exc:
        raise SourceError(f"input file cannot be read: {path}: {exc.strerror or exc}") from exc
