r"""One entry point for every AIS file format: detect it, read it in chunks, decode it.

Formats (``fmt``): ``nmea`` (raw NMEA 0183 with or without tag blocks, Gatehouse wrappers, USCG
trailers), ``aisstream`` (aisstream.io JSON lines), ``noaa`` (MarineCadastre CSV) and ``dma``
(Danish Maritime Authority CSV); any of them plain or compressed (see
:mod:`mda.sources.compressed`).  Without ``fmt`` the format is detected from the content: the
first non-blank, non-comment lines (up to :data:`SNIFF_LINES`) — a DMA or MarineCadastre header,
a JSON object, or an NMEA sentence (``!``, ``$`` or a ``\`` tag block).  An empty input is
``nmea`` with nothing in it.

Every format decodes to :class:`~mda.decode.batch.DecodedBatch` chunks of the shared schemas
with a line :class:`~mda.decode.batch.Accounting`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

from mda.decode.aisstream import AisstreamDecoder
from mda.decode.batch import Accounting, DecodedBatch
from mda.decode.csv_archive import CsvArchiveDecoder, HeaderError, read_header, sniff_archive
from mda.decode.nmea import NmeaDecoder
from mda.decode.scanned import ScannedChunk, scan_chunk
from mda.sources.compressed import open_input
from mda.sources.errors import SourceError, TruncatedInputError
from mda.sources.formats import FORMATS
from mda.sources.lines import (
    BUFFER_BYTES,
    READ_ERRORS,
    iter_lines,
    read_buffer_chunks,
    read_line_chunks,
)
from mda.workers import Workers

__all__ = ["FORMATS", "SNIFF_LINES", "DecodingSource", "detect_format", "open_decoder"]

#: Non-blank lines looked at to detect the format.
SNIFF_LINES = 50
#: NMEA buffers scanned ahead per worker process (bounds the memory of the look-ahead).
SCAN_AHEAD_PER_WORKER = 2
#: NMEA buffers of a file scanned in the decoding process before workers take over (the
#: workers start meanwhile; a file of fewer buffers never starts them).
INLINE_BUFFERS = 4


class _Decoder(Protocol):
    accounting: Accounting

    def feed(self, lines: Iterable[tuple[int, bytes]]) -> DecodedBatch: ...

    def finish(self) -> DecodedBatch: ...


def _looks_like_nmea(line: bytes) -> bool:
    return line.startswith((b"!", b"$", b"\\")) or b"VDM," in line or b"VDO," in line


def _first_lines(path: Path) -> list[bytes]:
    lines: list[bytes] = []
    try:
        with open_input(path) as handle:
            for line in iter_lines(handle):
                if line.strip():
                    lines.append(line.strip())
                if len(lines) >= SNIFF_LINES:
                    break
    except TruncatedInputError:
        pass
    except READ_ERRORS as exc:
        if not lines:
            raise SourceError(f"{path}: cannot read the start of the input: {exc}") from exc
    return lines


def detect_format(path: Path) -> str:
    """The format of ``path`` (one of :data:`FORMATS`) from its first non-blank lines.

    Raises
    ------
    SourceError
        When the file cannot be read or nothing in its first lines is recognisable.
    """
    lines = _first_lines(path)
    if not lines:
        return "nmea"
    archive = sniff_archive(lines[0])
    if archive is not None:
        return archive
    candidates = [line for line in lines if not line.startswith(b"#")]
    if candidates and candidates[0].startswith(b"{"):
        return "aisstream"
    if any(_looks_like_nmea(line) for line in candidates):
        return "nmea"
    sample = lines[0][:40].decode("ascii", "backslashreplace")
    raise SourceError(
        f"{path}: unknown input format (first line starts {sample!r}); "
        f"give the format explicitly ({', '.join(FORMATS)})"
    )


class DecodingSource:
    """A file being decoded: iterate it for :class:`DecodedBatch` chunks.

    Attributes
    ----------
    name : str
        The source name recorded with every row (the file name).
    format : str
        One of :data:`FORMATS`.
    accounting : Accounting
        Line accounting; final (and balanced) once iteration ends, also when it ends with
        :class:`TruncatedInputError`.
    """

    def __init__(
        self,
        path: Path,
        fmt: str,
        *,
        chunk_lines: int,
        assume_date: dt.date | None,
        dedup_window_s: float | None,
        with_messages: bool,
        workers: Workers | None = None,
    ) -> None:
        self.path = path
        self.workers = workers
        self.name = path.name
        self.format = fmt
        self.chunk_lines = chunk_lines
        self.assume_date = assume_date
        self.dedup_window_s = dedup_window_s
        self.with_messages = with_messages
        self.accounting = Accounting()

    def _decoder(self) -> _Decoder:
        window, day, messages = self.dedup_window_s, self.assume_date, self.with_messages
        if self.format == "nmea":
            return NmeaDecoder(self.name, dedup_window_s=window, assume_date=day, with_messages=messages)
        if self.format == "aisstream":
            return AisstreamDecoder(self.name, dedup_window_s=window, assume_date=day, with_messages=messages)
        return CsvArchiveDecoder(
            self.name, self.format, dedup_window_s=window, assume_date=day, with_messages=messages
        )

    def __iter__(self) -> Iterator[DecodedBatch]:
        """Decode the file chunk by chunk.

        Raises
        ------
        TruncatedInputError
            After the final batch of what was readable, when compressed data ends early.
        """
        decoder = self._decoder()
        self.accounting = decoder.accounting
        truncated: TruncatedInputError | None = None
        try:
            if isinstance(decoder, NmeaDecoder):
                yield from self._nmea(decoder)
            else:
                for chunk in read_line_chunks(self.path, self.chunk_lines):
                    yield decoder.feed(chunk)
        except TruncatedInputError as exc:
            truncated = exc
        except HeaderError as exc:
            raise SourceError(f"{self.path}: {exc}") from exc
        yield decoder.finish()
        if truncated is not None:
            raise truncated

    def _nmea(self, decoder: NmeaDecoder) -> Iterator[DecodedBatch]:
        """Feed the NMEA buffers in order, scanned ahead by the workers when there are any.

        After the first :data:`INLINE_BUFFERS` buffers, up to :data:`SCAN_AHEAD_PER_WORKER`
        buffers per worker are read ahead and scanned (:func:`mda.decode.scanned.scan_chunk`)
        while the decoder takes the oldest.  While the workers are still starting, the buffers
        read are queued unscanned; the decoder scans the oldest itself, and hands the rest of
        the queue to the workers as soon as they are up.  A lone over-long line waits for the
        buffers before it, so the decoder sees the file's order.
        """
        workers = self.workers
        chunks = read_buffer_chunks(self.path, self.chunk_lines)
        if workers is None or workers.processes == 0 or not decoder.fast:
            for whole in chunks:
                yield decoder.feed(whole) if isinstance(whole, list) else decoder.feed_buffer(*whole)
            return
        ahead = SCAN_AHEAD_PER_WORKER * workers.processes
        # (first line number, buffer, its scan by a worker or None while the workers start)
        pending: deque[tuple[int, bytes, Future[ScannedChunk] | None]] = deque()

        def oldest() -> DecodedBatch:
            first_line_no, buffer, scanned = pending.popleft()
            if scanned is not None:
                return decoder.feed_buffer(first_line_no, buffer, scanned.result())
            if not workers.starting:  # up now: they scan the queue while this one is decoded
                for k, (line_no, queued, future) in enumerate(pending):
                    if future is None:
                        pending[k] = (line_no, queued, workers.submit_large(scan_chunk, queued))
            return decoder.feed_buffer(first_line_no, buffer)

        try:
            if _stat_size(self.path) > BUFFER_BYTES:  # more than one buffer: start them now
                workers.start()
            for count, piece in enumerate(chunks):
                if count == min(1, INLINE_BUFFERS):  # a file of more than one buffer
                    workers.start()
                if count < INLINE_BUFFERS:
                    yield decoder.feed(piece) if isinstance(piece, list) else decoder.feed_buffer(*piece)
                    continue
                if isinstance(piece, list):
                    while pending:
                        yield oldest()
                    yield decoder.feed(piece)
                    continue
                scan = None if workers.starting else workers.submit_large(scan_chunk, piece[1])
                pending.append((piece[0], piece[1], scan))
                if len(pending) > ahead:
                    yield oldest()
        except TruncatedInputError:
            # the buffers read before the damage are decoded, in order, before it is reported
            while pending:
                yield oldest()
            raise
        while pending:
            yield oldest()


def _stat_size(path: Path) -> int:
    """Bytes of ``path`` on disk, 0 if unknown (a compressed file decodes to more, never much less)."""
    try:
        return path.stat().st_size
    except OSError:  # reading it reports the error
        return 0


def open_decoder(
    path: Path,
    fmt: str | None = None,
    *,
    chunk_lines: int,
    assume_date: dt.date | None = None,
    dedup_window_s: float | None = 30.0,
    with_messages: bool = False,
    workers: Workers | None = None,
) -> DecodingSource:
    """Open an AIS file of any supported format for decoding.

    Parameters
    ----------
    path : Path
        The input file (plain or compressed); never modified.
    fmt : str, optional
        One of :data:`FORMATS`; detected from the content when omitted.
    chunk_lines : int
        Most lines per decoded batch; bounds memory (NMEA input is also cut into batches of
        about :data:`mda.sources.lines.BUFFER_BYTES` bytes).
    assume_date : datetime.date, optional
        Give untimed messages 00:00:00 UTC of this date (counted in
        :attr:`Accounting.assumed_time`) instead of rejecting them with ``no_timestamp``.
    dedup_window_s : float or None
        Seconds within which an identical message counts as a duplicate reception; None keeps
        every reception.
    with_messages : bool
        Also produce one :data:`mda.decode.messages.MESSAGES` row per kept message.
    workers : Workers, optional
        Processes that scan NMEA buffers ahead (:mod:`mda.workers`); the batches are the
        same with or without them.

    Returns
    -------
    DecodingSource
        Iterate it for batches; its ``accounting`` is final after iteration.

    Raises
    ------
    SourceError
        When the file is missing or unreadable, the format is unknown or cannot be detected,
        or a CSV header lacks required columns.
    """
    if fmt is not None and fmt not in FORMATS:
        raise SourceError(f"unknown input format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if chunk_lines < 1:
        raise SourceError(f"chunk_lines must be at least 1, not {chunk_lines}")
    chosen = fmt or detect_format(path)
    if chosen in ("noaa", "dma"):
        lines = _first_lines(path)
        if not lines:
            raise SourceError(f"{path}: empty {chosen} CSV file (no header)")
        try:
            read_header(lines[0], chosen)
        except HeaderError as exc:
            raise SourceError(f"{path}: {exc}") from exc
    else:
        open_input(path).close()
    return DecodingSource(
        path,
        chosen,
        chunk_lines=chunk_lines,
        assume_date=assume_date,
        dedup_window_s=dedup_window_s,
        with_messages=with_messages,
        workers=workers,
    )
