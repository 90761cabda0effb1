r"""Decode raw NMEA 0183 AIS lines (AIVDM/AIVDO, ITU-R M.1371) into Arrow tables with pyais.

Algorithm
---------
Each physical line ends in exactly one of four outcomes (see :class:`Accounting`):

* **decoded** — the line is (a fragment of) a message that pyais decoded and that was kept;
* **duplicate** — the same payload was already decoded within ``dedup_window_s`` seconds (one
  transmission heard by two receivers);
* **non-AIS** — another NMEA sentence (``$GPGGA``, ``$PGHP`` ...) or a ``#`` comment, kept in
  ``rejects`` with reason ``not_ais``;
* **rejected** — with a reason: ``empty_line``, ``line_too_long``, ``malformed``,
  ``bad_checksum``, ``bad_tag_checksum``, ``bad_timestamp``, ``empty_payload``,
  ``orphan_fragment``, ``unknown_type``, ``decode_error``, ``invalid_position``,
  ``no_timestamp``.

Lines may carry any two-letter talker (``AI``, ``AB``, ``BS``, ``SA`` ...), a NMEA 4.0 tag block
(``\s:station,c:time,g:group*hh\``, see :mod:`mda.decode.tagblock`), and USCG fields after
the checksum; a Gatehouse ``$PGHP`` wrapper line may precede one (see
:mod:`mda.decode.receive_time`).  The sentence checksum and the tag-block checksum are verified.

Multi-sentence messages are assembled per key ``(talker, sentence type, channel, sequence id,
fragment count)``; a fragment joins the newest open group of its key that lacks its fragment
number and whose receiving station (tag block ``s:`` or USCG ``r``) and tag-block group id
(``g:``) do not differ from its own — a value missing on either side does not differ.  So
interleaved streams from different stations or groups never mix, fragments may arrive in any
order, and fragments that carry the station or group only on some lines still join.
A group is evicted as ``orphan_fragment`` (line by line) when the least recently extended open
group has not grown for ``orphan_after_lines`` lines or ``orphan_after_s`` seconds of receive
time, when a key has more than ``MAX_OPEN_PER_KEY`` open groups, or at the end of the input.

Times come only from the data: the tag block ``c:``, the USCG trailing time, or the preceding
``$PGHP`` wrapper, in that order (all UTC).  A message whose lines carry no time is rejected
with ``no_timestamp``; it is never given a guessed time.  Only when the caller passes an
explicit ``assume_date`` do such messages get 00:00:00 UTC of that date; they are counted in
:attr:`Accounting.assumed_time` and are not deduplicated (their time says nothing about when
they were heard).

Sentinels become NULL (see :mod:`mda.decode.rows`); position reports whose position is not
available (lat 91 / lon 181) or out of range are rejected with ``invalid_position``, except
type 19, whose static part is still kept.

Fast path
---------
With ``fast=True`` (the default) each chunk is first scanned by :mod:`mda.decode.fast`, which
decodes in NumPy the tag-blocked lines it recognises with certainty: one-sentence position
reports of types 1, 2, 3 and 18 (about nine lines in ten), type 24 parts A and B, and type 5
pairs whose two fragments are consecutive lines of the chunk (see that module's "Scope").
A chunk is a list of numbered lines (:meth:`NmeaDecoder.feed`) or a buffer of whole lines
(:meth:`NmeaDecoder.feed_buffer`, from :func:`mda.sources.lines.read_buffer_chunks`, where only
the lines left to pyais become Python objects).  Every other line goes through the per-line
pyais path above, in file order, and the result is the same, row for row and in the same row
order, as with ``fast=False``.  The state both paths share is kept consistent like this:

* *Gatehouse wrapper*: a fast line is an AIS line, so it consumes (clears) a pending wrapper time.
* *Latest receive time* (orphan eviction by time, dedup pruning): before each pyais-path line
  it is raised to the running maximum of the fast lines before it.
* *Orphan eviction*: after a run of fast lines, the open groups are evicted at the fast line
  where the per-line rule would have evicted them (found with ``searchsorted`` on line
  numbers and on the running maximum time; groups leave in least-recently-extended order).
* *Hand-back*: a type 5 pair goes to the pyais path (both lines, in order) when that path might
  assemble it differently: an open group has the pair's assembly key, or the first fragment's
  time is already older than the latest receive time minus ``orphan_after_s``.  A pair cut
  by a chunk boundary is never recognised, so it goes the pyais path too.
* *Duplicates*: a payload's last kept receive time is kept in a :class:`~mda.decode.seen.SeenStore`
  (``_seen``: a pending dict for the pyais path's one-by-one updates, merged into NumPy arrays
  sorted by a 64-bit payload hash for the fast path's bulk lookups; exact, a hash only
  narrows the search) and looked up in file order.  The chunk's fast rows are grouped by
  exact payload bytes: one unstable sort of the hash's high bits with each row's rank in the
  low bits (file order within a payload), checked word by word, with an exact sort of the
  payload words should two payloads ever share the high bits.  When a pyais-path message
  looks up a payload that fast rows carry, the fast rows of that payload before it are
  decided first, one by one.  All the remaining rows follow every lookup of their payload,
  so at the end of the chunk they are decided at once against the store: the first row left
  of every payload, then the second row left of the payloads that repeat, and so on (a row is
  a duplicate when within the window of its payload's last kept time, else it is kept and
  becomes that time); the store is then updated in bulk.  After each chunk, a store holding
  more than :data:`SEEN_PRUNE_ABOVE` payloads forgets those kept more than twice the window
  before the latest receive time, on both paths alike.
* *Row order*: every row gets the key ``2 * index in chunk`` of the line that produced it
  (``+ 1`` for orphans evicted after that line); tables are merged by a stable sort on it.

Chunks and ``chunk_lines``: a chunk is a decoding unit and a batch boundary, nothing more —
multi-sentence assembly, orphan eviction and duplicate state carry over between chunks.  The
readers cut at most ``chunk_lines`` lines per chunk (buffers also at about
:data:`mda.sources.lines.BUFFER_BYTES`; an over-long line comes alone as a list), so the size
bounds memory and, for the fast path, only decides which type 5 pairs it sees whole.

``with_messages=True`` (the ``messages`` export needs every pyais field) turns the fast path off.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
from pyais.exceptions import UnknownMessageException
from pyais.messages import NMEAMessage

from mda import schemas
from mda.decode import arrays
from mda.decode.batch import (
    MAX_LINE_BYTES,
    US_PER_S,
    Accounting,
    Columns,
    DecodedBatch,
    Rejector,
    midnight_us,
    valid_ts,
)
from mda.decode.fast import FastLines, FastScan, FastStatic, pad_buffer, scan_buffer, split_buffer
from mda.decode.messages import MESSAGES, message_row
from mda.decode.receive_time import GATEHOUSE_PREFIX, ReceiveTimeError, gatehouse_time_us, uscg_trailer
from mda.decode.rows import (
    POSITION_TYPES,
    STATIC_FIELDS,
    STATIC_TYPES,
    position_row,
    static_row,
    valid_position,
)
from mda.decode.scanned import RANK_BITS, PayloadGroups, ScannedChunk, group_payloads, payload_words
from mda.decode.seen import SeenStore, hash_bytes, key_words, storable
from mda.decode.tagblock import TagBlockError, nmea_checksum, split_tag_block

__all__ = ["MAX_OPEN_PER_KEY", "POSITION_TYPES", "STATIC_TYPES", "Accounting", "DecodedBatch", "NmeaDecoder"]

#: Open multi-sentence groups kept per assembly key before the oldest is evicted as orphan.
MAX_OPEN_PER_KEY = 8
#: After a chunk, when the duplicate store holds more payloads than this, those last kept more
#: than twice the dedup window before the latest receive time are forgotten.
SEEN_PRUNE_ABOVE = 100_000

_AIS_TYPES = (b"VDM", b"VDO")


@dataclass
class _Part:
    line_no: int
    raw: bytes
    msg: NMEAMessage
    ts_us: int | None
    station: str | None


@dataclass
class _Group:
    key: tuple[Any, ...]
    serial: int
    station: str | None
    group_id: str | None
    parts: dict[int, _Part]
    last_line_no: int
    last_ts_us: int | None


class NmeaDecoder:
    """Stateful decoder for one source; feed it chunks of numbered lines in file order.

    Parameters
    ----------
    source : str
        Name recorded with every row (usually the input file name).
    dedup_window_s : float or None
        Seconds within which an identical payload counts as a duplicate reception; None keeps
        every reception.
    orphan_after_lines : int
        Lines after which an incomplete multi-sentence group is rejected.
    orphan_after_s : float
        Seconds of receive time after which an incomplete multi-sentence group is rejected.
    assume_date : datetime.date, optional
        Give messages without any time 00:00:00 UTC of this date instead of rejecting them
        with ``no_timestamp``.
    with_messages : bool
        Also return one :data:`mda.decode.messages.MESSAGES` row per kept message of any type.
    fast : bool
        Decode the common one-sentence position reports with the vectorised fast path (same
        result as without; ignored when ``with_messages`` is set).
    """

    def __init__(
        self,
        source: str,
        *,
        dedup_window_s: float | None = 30.0,
        orphan_after_lines: int = 2000,
        orphan_after_s: float = 60.0,
        assume_date: dt.date | None = None,
        with_messages: bool = False,
        fast: bool = True,
    ) -> None:
        self.source = source
        self.dedup_window_us = None if dedup_window_s is None else int(dedup_window_s * US_PER_S)
        self.orphan_after_lines = orphan_after_lines
        self.orphan_after_us = int(orphan_after_s * US_PER_S)
        self.assume_ts_us = None if assume_date is None else midnight_us(assume_date)
        self.accounting = Accounting()
        self._rejector = Rejector(source, self.accounting)
        self._groups: dict[tuple[Any, ...], list[_Group]] = {}
        self._open: OrderedDict[int, _Group] = OrderedDict()
        self._serial = 0
        self._seen = SeenStore()
        self._max_ts_us = 0
        self._wrapper_ts_us: int | None = None
        self._positions = Columns(schemas.POSITIONS)
        self._static = Columns(schemas.VESSEL_STATIC)
        self._messages = Columns(MESSAGES) if with_messages else None
        self.fast = fast and not with_messages
        # Order keys of the pyais-path rows (see "Fast path" in the module docstring).
        self._key = 0
        self._position_keys: list[int] = []
        self._static_keys: list[int] = []
        self._reject_keys: list[int] = []
        self._fast: _FastChunk | None = None
        self._fast_tables: list[tuple[pa.Table, npt.NDArray[np.int64], pa.Table, npt.NDArray[np.int64]]] = []
        self._fast_static: list[tuple[pa.Table, npt.NDArray[np.int64]]] = []

    # -- public ---------------------------------------------------------------------------
    def feed(self, lines: Iterable[tuple[int, bytes]]) -> DecodedBatch:
        """Decode a chunk of ``(line_no, raw_line)`` pairs and return what it completed."""
        if self.fast:
            chunk = lines if isinstance(lines, list) else list(lines)
            if self._feed_list(chunk):
                self._prune_seen()
                return self._take()
            lines = chunk
        for index, (line_no, raw) in enumerate(lines):
            self.accounting.lines += 1
            self._key = 2 * index
            self._line(line_no, raw)
            self._key += 1
            self._evict_stale(line_no)
        self._prune_seen()
        return self._take()

    def feed_buffer(
        self, first_line_no: int, buffer: bytes, scanned: ScannedChunk | None = None
    ) -> DecodedBatch:
        """Decode a buffer of whole lines numbered from ``first_line_no``; return what it completed.

        Parameters
        ----------
        first_line_no : int
            1-based number of the buffer's first line.
        buffer : bytes
            Lines each ending in a line feed (the last one may lack it), carriage returns
            before the line feed allowed; no line longer than
            :data:`~mda.decode.batch.MAX_LINE_BYTES`.  With the fast path, only the lines it
            leaves to pyais become Python objects.
        scanned : ScannedChunk, optional
            :func:`mda.decode.scanned.scan_chunk` of ``buffer``, when it was computed ahead (in
            a worker process); the result is the same as without it.
        """
        if scanned is not None and self.fast:
            line_nos = first_line_no + np.arange(scanned.starts.size, dtype=np.int64)
            lines = _Lines(pad_buffer(buffer), scanned.starts, scanned.ends, line_nos)
            self._feed_fast(lines, scanned.scan, scanned.groups)
            self._prune_seen()
            return self._take()
        padded, buf, starts, ends = split_buffer(buffer, strip_cr=True)
        if not self.fast:
            return self.feed(
                (first_line_no + i, padded[a:b])
                for i, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True))
            )
        line_nos = first_line_no + np.arange(starts.size, dtype=np.int64)
        self._feed_fast(_Lines(padded, starts, ends, line_nos), scan_buffer(buf, starts, ends))
        self._prune_seen()
        return self._take()

    def finish(self) -> DecodedBatch:
        """Reject every incomplete multi-sentence group and return the final batch."""
        while self._open:
            self._orphan(next(iter(self._open.values())))
        return self._take()

    # -- per line -------------------------------------------------------------------------
    def _reject(
        self, line_no: int, raw: bytes, reason: str, detail: str = "", ts_us: int | None = None
    ) -> None:
        self._reject_keys.append(self._key)
        self._rejector.reject(line_no, raw, reason, detail, ts_us)

    def _line(self, line_no: int, raw: bytes) -> None:
        if len(raw) > MAX_LINE_BYTES:
            self._reject_keys.append(self._key)
            self._rejector.too_long(line_no, raw)
            return
        line = raw.strip()
        if not line:
            self._reject(line_no, raw, "empty_line")
            return
        if line.startswith(b"#"):
            self._reject(line_no, raw, "not_ais", "comment")
            return
        try:
            tag, sentence = split_tag_block(line)
        except TagBlockError as exc:
            self._reject(line_no, raw, exc.reason, str(exc))
            return
        ts_us = None if tag is None or tag.unix_s is None else round(tag.unix_s * US_PER_S)
        station = None if tag is None else tag.station
        if ts_us is not None and not valid_ts(ts_us):
            self._reject(line_no, raw, "bad_timestamp", f"tag block time {tag.unix_s if tag else ''}")
            return
        if sentence.startswith(b"#"):
            self._reject(line_no, raw, "not_ais", "comment", ts_us)
            return
        if sentence.startswith(GATEHOUSE_PREFIX):
            self._gatehouse(line_no, raw, sentence, ts_us)
            return
        is_ais = sentence.startswith(b"!") and sentence[3:6] in _AIS_TYPES
        if not is_ais:
            if sentence.startswith((b"$", b"!")):
                self._reject(line_no, raw, "not_ais", ts_us=ts_us)
            else:
                self._reject(line_no, raw, "malformed", "not an NMEA sentence", ts_us)
            return
        wrapper_ts_us, self._wrapper_ts_us = self._wrapper_ts_us, None
        star = sentence.find(b"*")
        try:
            given = int(sentence[star + 1 : star + 3], 16) if star > 0 else -1
        except ValueError:
            given = -1
        if star < 0 or given < 0:
            self._reject(line_no, raw, "malformed", "no checksum", ts_us)
            return
        if nmea_checksum(sentence[1:star]) != given:
            self._reject(line_no, raw, "bad_checksum", "", ts_us)
            return
        trailer = sentence[star + 3 :]
        if trailer:
            try:
                trailer_ts_us, trailer_station = uscg_trailer(trailer)
            except ReceiveTimeError as exc:
                self._reject(line_no, raw, exc.reason, str(exc), ts_us)
                return
            if ts_us is None and trailer_ts_us is not None:
                if not valid_ts(trailer_ts_us):
                    self._reject(line_no, raw, "bad_timestamp", "trailing time out of range")
                    return
                ts_us = trailer_ts_us
            station = station or trailer_station
        if ts_us is None:
            ts_us = wrapper_ts_us
        if ts_us is not None:
            self._max_ts_us = max(self._max_ts_us, ts_us)
        try:
            msg = NMEAMessage(sentence[: star + 3])
        except Exception as exc:
            self._reject(line_no, raw, "malformed", str(exc) or type(exc).__name__, ts_us)
            return
        if not msg.payload:
            self._reject(line_no, raw, "empty_payload", "", ts_us)
            return
        count, number = int(msg.frag_cnt), int(msg.frag_num)
        part = _Part(line_no, raw, msg, ts_us, station)
        if count == 1:
            self._complete([part])
            return
        self._add_fragment(part, count, number, None if tag is None else tag.group)

    def _gatehouse(self, line_no: int, raw: bytes, sentence: bytes, ts_us: int | None) -> None:
        try:
            wrapper_ts_us = gatehouse_time_us(sentence)
        except ReceiveTimeError as exc:
            self._wrapper_ts_us = None
            self._reject(line_no, raw, exc.reason, str(exc), ts_us)
            return
        if not valid_ts(wrapper_ts_us):
            self._wrapper_ts_us = None
            self._reject(line_no, raw, "bad_timestamp", "gatehouse time out of range")
            return
        self._wrapper_ts_us = wrapper_ts_us
        self._reject(
            line_no, raw, "not_ais", "gatehouse wrapper: time of the next AIS sentence", wrapper_ts_us
        )

    # -- multi-sentence assembly ----------------------------------------------------------
    def _add_fragment(self, part: _Part, count: int, number: int, group_id: str | None) -> None:
        msg = part.msg
        key = (msg.talker_id, msg.type, msg.channel, msg.seq_id, count)
        candidates = self._groups.setdefault(key, [])
        group = next(
            (
                g
                for g in reversed(candidates)
                if number not in g.parts
                and (part.station is None or g.station is None or g.station == part.station)
                and (group_id is None or g.group_id is None or g.group_id == group_id)
            ),
            None,
        )
        if group is None:
            if len(candidates) >= MAX_OPEN_PER_KEY:
                self._orphan(candidates[0])
                candidates = self._groups.setdefault(key, [])
            self._serial += 1
            group = _Group(key, self._serial, part.station, group_id, {}, part.line_no, part.ts_us)
            candidates.append(group)
        group.parts[number] = part
        group.station = group.station or part.station
        group.group_id = group.group_id or group_id
        group.last_line_no = part.line_no
        group.last_ts_us = part.ts_us if part.ts_us is not None else group.last_ts_us
        self._open[group.serial] = group
        self._open.move_to_end(group.serial)
        if len(group.parts) == count:
            self._close(group)
            self._complete([group.parts[k] for k in sorted(group.parts)])

    def _close(self, group: _Group) -> None:
        self._open.pop(group.serial, None)
        candidates = self._groups.get(group.key)
        if candidates is not None:
            candidates.remove(group)
            if not candidates:
                del self._groups[group.key]

    def _orphan(self, group: _Group) -> None:
        self._close(group)
        for number in sorted(group.parts):
            part = group.parts[number]
            self._reject(
                part.line_no, part.raw, "orphan_fragment", "incomplete multi-sentence message", part.ts_us
            )

    def _evict_stale(self, line_no: int) -> None:
        oldest_line = line_no - self.orphan_after_lines
        oldest_ts = self._max_ts_us - self.orphan_after_us
        while self._open:
            group = next(iter(self._open.values()))
            stale_time = group.last_ts_us is not None and group.last_ts_us < oldest_ts
            if group.last_line_no >= oldest_line and not stale_time:
                return
            self._orphan(group)

    def _prune_seen(self) -> None:
        if self.dedup_window_us is None or len(self._seen) <= SEEN_PRUNE_ABOVE:
            return
        self._seen.prune(self._max_ts_us - 2 * self.dedup_window_us)

    # -- per message ----------------------------------------------------------------------
    def _complete(self, parts: list[_Part]) -> None:
        ts_us = next((p.ts_us for p in parts if p.ts_us is not None), None)
        station = next((p.station for p in parts if p.station), None)
        assumed = False
        if ts_us is None:
            if self.assume_ts_us is None:
                for p in parts:
                    self._reject(p.line_no, p.raw, "no_timestamp", "no receive time on the line")
                return
            ts_us, assumed = self.assume_ts_us, True
        reject_ts = None if assumed else ts_us

        def reject_all(reason: str, detail: str = "") -> None:
            for p in parts:
                self._reject(p.line_no, p.raw, reason, detail, reject_ts)

        payload = b"".join(p.msg.payload for p in parts)
        if self._fast is not None and self.dedup_window_us is not None and not assumed:
            self._resolve_fast(self._fast, payload, self._key // 2)
        if self.dedup_window_us is not None and not assumed:
            previous = self._seen.get(payload)
            if previous is not None and abs(ts_us - previous) <= self.dedup_window_us:
                reject_all("duplicate", "same payload already decoded")
                return
        try:
            message = NMEAMessage.assemble_from_iterable([p.msg for p in parts]).decode()
            msg_type = int(message.msg_type)
            mmsi = int(message.mmsi)
            lat, lon = getattr(message, "lat", None), getattr(message, "lon", None)
            data = message.asdict(enum_as_int=True) if self._messages is not None else None
        except UnknownMessageException as exc:
            reject_all("unknown_type", str(exc))
            return
        except Exception as exc:
            reject_all("decode_error", str(exc) or type(exc).__name__)
            return
        position_ok = valid_position(lat, lon)
        if msg_type in POSITION_TYPES and not position_ok and msg_type not in STATIC_TYPES:
            reject_all("invalid_position", f"lat={lat} lon={lon}")
            return
        if not assumed and self.dedup_window_us is not None:
            self._seen.set(payload, ts_us)
        self.accounting.decoded += len(parts)
        if assumed:
            self.accounting.assumed_time += len(parts)
        self.accounting.messages_by_type[msg_type] += 1
        common = {
            "ts": ts_us,
            "mmsi": mmsi,
            "msg_type": msg_type,
            "source": self.source,
            "line_no": parts[0].line_no,
        }
        if msg_type in POSITION_TYPES and position_ok:
            self._position_keys.append(self._key)
            self._positions.append(
                position_row(
                    common,
                    lon=lon,
                    lat=lat,
                    speed=getattr(message, "speed", None),
                    course=getattr(message, "course", None),
                    heading=getattr(message, "heading", None),
                    status=getattr(message, "status", None),
                    station=station,
                )
            )
        if msg_type in STATIC_TYPES:
            self._static_keys.append(self._key)
            self._static.append(static_row(common, {k: getattr(message, k, None) for k in STATIC_FIELDS}))
        if self._messages is not None and data is not None:
            self._messages.append(message_row(common, station, data))

    def _take(self) -> DecodedBatch:
        positions, rejects = self._positions.take(), self._rejector.rows.take()
        position_keys = np.asarray(self._position_keys, dtype=np.int64)
        reject_keys = np.asarray(self._reject_keys, dtype=np.int64)
        self._position_keys, self._reject_keys = [], []
        for fast_positions, fast_position_keys, fast_rejects, fast_reject_keys in self._fast_tables:
            positions, position_keys = _merge(positions, position_keys, fast_positions, fast_position_keys)
            rejects, reject_keys = _merge(rejects, reject_keys, fast_rejects, fast_reject_keys)
        self._fast_tables = []
        static = self._static.take()
        static_keys = np.asarray(self._static_keys, dtype=np.int64)
        self._static_keys = []
        for fast_static, fast_static_keys in self._fast_static:
            static, static_keys = _merge(static, static_keys, fast_static, fast_static_keys)
        self._fast_static = []
        return DecodedBatch(
            positions,
            static,
            rejects,
            None if self._messages is None else self._messages.take(),
        )

    # -- fast path ------------------------------------------------------------------------
    def _feed_list(self, chunk: list[tuple[int, bytes]]) -> bool:
        """Decode ``chunk`` with the fast path and the pyais path; False when it cannot be used."""
        if not chunk:
            return True
        line_nos = np.fromiter((line_no for line_no, _ in chunk), dtype=np.int64, count=len(chunk))
        if line_nos.size > 1 and not bool(np.all(np.diff(line_nos) > 0)):
            return False
        padded, buf, starts, ends = split_buffer(b"\n".join(raw for _, raw in chunk) + b"\n", strip_cr=False)
        if ends.size != len(chunk):
            return False
        self._feed_fast(_Lines(padded, starts, ends, line_nos), scan_buffer(buf, starts, ends))
        return True

    def _feed_fast(self, lines: _Lines, scan: FastScan, groups: PayloadGroups | None = None) -> None:
        """Decode one chunk: the fast rows of ``scan`` and every other line with pyais, in order.

        ``groups``: the payload groups of ``scan``, when a worker computed them.
        """
        n = lines.size
        if not n:
            return
        self.accounting.lines += n
        state = _FastChunk(scan, groups)
        fast_ts = np.zeros(n, dtype=np.int64)
        fast_ts[scan.positions.pos] = scan.positions.ts_us
        fast_ts[scan.static.first] = scan.static.ts_us
        is_fast = np.zeros(n, dtype=np.bool_)
        is_fast[state.pos] = True
        is_fast[scan.static.first] = True
        running_max = np.maximum.accumulate(fast_ts)
        self._fast = state
        start = 0
        for index in np.flatnonzero(~is_fast).tolist():
            if index > start:
                self._fast_span(state, start, index, lines, running_max)
            self._slow_line(lines, index)
            start = index + 1
        if start < n:
            self._fast_span(state, start, n, lines, running_max)
        self._fast = None
        self._finish_fast(state, lines)

    def _slow_line(self, lines: _Lines, index: int) -> None:
        line_no = int(lines.line_nos[index])
        self._key = 2 * index
        self._line(line_no, lines.raw(index))
        self._key += 1
        self._evict_stale(line_no)

    def _pair_key(self, lines: _Lines, index: int) -> tuple[Any, ...] | None:
        """The assembly key the pyais path gives the fragment on line ``index``."""
        try:
            _, sentence = split_tag_block(lines.raw(index).strip())
            msg = NMEAMessage(sentence[: sentence.find(b"*") + 3])
        except Exception:
            return None
        return (msg.talker_id, msg.type, msg.channel, msg.seq_id, 2)

    def _fast_span(
        self, state: _FastChunk, start: int, stop: int, lines: _Lines, running_max: npt.NDArray[np.int64]
    ) -> None:
        """Apply the fast lines ``[start, stop)``, handing some type 5 pairs back to pyais.

        A pair goes to the pyais path when that path might assemble it differently: an open
        group has the pair's assembly key, or its first fragment is already stale by time.
        """
        firsts = state.pair_first
        while start < stop:
            lo, hi = np.searchsorted(firsts, [start, stop])
            if lo == hi:
                break
            chosen = firsts[lo:hi]
            rows = state.pair_row[lo:hi]
            reach = np.maximum(running_max[chosen], self._max_ts_us) - self.orphan_after_us
            bad = state.ts_us[rows] < reach
            if self._groups:
                open_keys = set(self._groups)
                for k, index in enumerate(chosen.tolist()):
                    bad[k] |= self._pair_key(lines, index) in open_keys
            hit = np.flatnonzero(bad)
            if not hit.size:
                break
            first = int(chosen[hit[0]])
            if first > start:
                self._fast_run(start, first, lines.line_nos, running_max)
            state.demoted[int(rows[hit[0]])] = True
            self._slow_line(lines, first)
            self._slow_line(lines, first + 1)
            start = first + 2
        if start < stop:
            self._fast_run(start, stop, lines.line_nos, running_max)

    def _fast_run(
        self, start: int, stop: int, line_nos: npt.NDArray[np.int64], running_max: npt.NDArray[np.int64]
    ) -> None:
        """Apply the shared-state effects of the fast lines ``[start, stop)`` of the chunk."""
        self._wrapper_ts_us = None
        before = self._max_ts_us
        self._max_ts_us = max(before, int(running_max[stop - 1]))
        if not self._open:
            return
        run_lines = line_nos[start:stop]
        run_max = np.maximum(running_max[start:stop], before)
        evicted_at = 0
        while self._open:
            group = next(iter(self._open.values()))
            at = int(np.searchsorted(run_lines, group.last_line_no + self.orphan_after_lines, "right"))
            if group.last_ts_us is not None:
                by_time = np.searchsorted(run_max, group.last_ts_us + self.orphan_after_us, "right")
                at = min(at, int(by_time))
            evicted_at = max(at, evicted_at)
            if evicted_at >= stop - start:
                return
            self._key = 2 * (start + evicted_at) + 1
            self._orphan(group)

    def _resolve_fast(self, state: _FastChunk, payload: bytes, before: int) -> None:
        """Decide, in file order, the fast rows carrying ``payload`` at chunk index < ``before``."""
        group = state.group_of(payload)
        if group is None or self.dedup_window_us is None:
            return
        window = self.dedup_window_us
        done, stop = int(state.done[group]), int(state.bounds[group + 1])
        order, pos, ts_us = state.order, state.pos, state.ts_us
        at = int(state.bounds[group]) + done
        while at < stop and pos[order[at]] < before:
            row = int(order[at])
            at += 1
            done += 1
            if state.demoted[row]:
                continue
            ts = int(ts_us[row])
            previous = self._seen.get(payload)
            if previous is not None and abs(ts - previous) <= window:
                state.duplicate[row] = True
            else:
                self._seen.set(payload, ts)
        state.done[group] = done

    def _resolve_rest(self, state: _FastChunk) -> None:
        """Decide the fast rows no pyais-path message looked at, for all payloads at once.

        Per payload, the rows left (after those :meth:`_resolve_fast` decided; demoted pairs
        skipped) follow every pyais-path lookup of it in the chunk, so they are decided against
        the store in file order: a row is a duplicate when its time is within the window of the
        payload's last kept time, else it is kept and becomes that time.  Step ``j`` decides the
        ``j``-th row left of every payload at once; only repeated payloads need ``j > 0``.  The
        payloads' last kept times are read from the store and written back in bulk.
        """
        window = self.dedup_window_us
        if window is None:
            return
        if state.done.any() or state.demoted.any():
            rank = np.arange(state.size, dtype=np.int64) - state.bounds[state.group]
            left = (rank >= state.done[state.group]) & ~state.demoted[state.order]
            at = np.flatnonzero(left)  # positions in sorted order: by payload, then file order
            if not at.size:
                return
            group = state.group[at]
            rows = state.order[at]
            first = np.flatnonzero(np.diff(group, prepend=-1) != 0)
            count = np.diff(first, append=at.size)
        else:  # every row is left
            rows = state.order
            first = state.bounds[:-1]
            count = np.diff(state.bounds)
        ts = state.ts_us[rows]
        head = rows[first]  # one row per payload
        hashes = state.hashes[head]
        parts = state.key_parts(head)
        found = np.empty(head.size, dtype=np.int64)
        for index, words in parts:
            found[index] = self._seen.find(hashes[index], words)
        missing = -(1 << 62)
        last = np.full(found.size, missing, dtype=np.int64)
        present = found >= 0
        last[present] = self._seen.ts_us[found[present]]
        initial = last.copy()
        duplicate = np.zeros(rows.size, dtype=np.bool_)
        runs = np.arange(first.size)
        for j in range(int(count.max())):
            if j:
                runs = runs[count[runs] > j]
            index = first[runs] + j
            dup = (last[runs] != missing) & (np.abs(ts[index] - last[runs]) <= window)
            duplicate[index] = dup
            kept = runs[~dup]
            last[kept] = ts[index[~dup]]
        state.duplicate[rows[duplicate]] = True
        changed = last != initial
        for index, words in parts:
            sub = np.flatnonzero(changed[index])
            rows_changed = index[sub]
            self._seen.assign(
                found[rows_changed], hashes[rows_changed], np.take(words, sub, axis=0), last[rows_changed]
            )

    def _finish_fast(self, state: _FastChunk, lines: _Lines) -> None:
        """Resolve the chunk's remaining fast rows and build their table parts."""
        if not state.size:
            return
        self._resolve_rest(state)
        scan, n_pos = state.scan, state.n_positions
        duplicate = state.duplicate
        keep = ~duplicate & ~state.demoted
        keep_p = np.flatnonzero(keep[:n_pos])
        keep_s = np.flatnonzero(keep[n_pos:])
        span = state.pos - state.first + 1  # lines per message
        self.accounting.decoded += int(span[keep].sum())
        drop = np.flatnonzero(duplicate)
        self.accounting.duplicates += int(span[drop].sum())
        by_type = np.bincount(state.msg_type[keep], minlength=1)
        for msg_type in np.flatnonzero(by_type).tolist():
            self.accounting.messages_by_type[msg_type] += int(by_type[msg_type])
        positions = _fast_positions(scan.positions, keep_p, lines.line_nos, self.source)
        static = _fast_static(scan.static, keep_s, lines.line_nos, self.source)
        # one duplicate row per line, in line order (the lines of one message are consecutive,
        # so this is also the order of the completing lines' keys)
        row_of_line = np.full(lines.size, -1, dtype=np.int64)
        row_of_line[state.first[drop]] = drop
        row_of_line[state.pos[drop]] = drop
        dup_lines = np.flatnonzero(row_of_line >= 0)
        dup_rows = row_of_line[dup_lines]
        rejects = _fast_duplicates(state.ts_us[dup_rows], dup_lines, lines, self.source)
        self._fast_tables.append(
            (positions, 2 * scan.positions.pos[keep_p], rejects, 2 * state.pos[dup_rows])
        )
        self._fast_static.append((static, 2 * scan.static.pos[keep_s]))


class _Lines:
    """A chunk's lines as offsets into one padded buffer; a line's bytes are cut only on demand."""

    def __init__(
        self,
        padded: bytes,
        starts: npt.NDArray[np.int64],
        ends: npt.NDArray[np.int64],
        line_nos: npt.NDArray[np.int64],
    ) -> None:
        self.padded = padded
        self.starts = starts
        self.ends = ends
        self.line_nos = line_nos
        self.size = int(starts.size)

    def raw(self, index: int) -> bytes:
        """The bytes of line ``index`` without its terminator."""
        return self.padded[int(self.starts[index]) : int(self.ends[index])]


class _FastChunk:
    """Duplicate-resolution state of one chunk's fast messages (position rows, then static rows).

    The rows grouped by payload (:class:`mda.decode.scanned.PayloadGroups`, computed here
    unless a worker did), and what the decoder decides of each row as it goes.
    """

    def __init__(self, scan: FastScan, groups: PayloadGroups | None = None) -> None:
        self.scan = scan
        found, static = scan.positions, scan.static
        self.n_positions = n_pos = len(found)
        self.pos = np.concatenate([found.pos, static.pos])
        self.first = np.concatenate([found.pos, static.first])
        self.ts_us = np.concatenate([found.ts_us, static.ts_us])
        self.msg_type = np.concatenate([found.msg_type, static.msg_type])
        self.size = size = int(self.pos.size)
        self.duplicate = np.zeros(size, dtype=np.bool_)
        self.demoted = np.zeros(size, dtype=np.bool_)
        is_pair = static.first < static.pos
        self.pair_first = static.first[is_pair]
        self.pair_row = n_pos + np.flatnonzero(is_pair)
        grouped = group_payloads(scan) if groups is None else groups
        self.hashes = grouped.hashes
        self.exact = grouped.exact
        self.order = grouped.order
        self.sorted_high = grouped.sorted_high
        self.group = grouped.group
        self.bounds = grouped.bounds
        self.done = np.zeros(self.bounds.size - 1, dtype=np.int64)  # rows of each group already decided

    def words_of(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
        """The payloads of ``rows`` as :data:`~mda.decode.seen.KEY_WORDS` zero-padded words."""
        return payload_words(self.scan, rows)

    def key_parts(
        self, rows: npt.NDArray[np.int64]
    ) -> list[tuple[npt.NDArray[np.intp], npt.NDArray[np.uint64]]]:
        """The payloads of ``rows``, in two parts: position rows and static rows.

        Each part is (indices into ``rows``, words): 4 words per position row,
        :data:`~mda.decode.seen.KEY_WORDS` per static row.
        """
        is_pos = rows < self.n_positions
        pos, other = np.flatnonzero(is_pos), np.flatnonzero(~is_pos)
        return [
            (pos, np.take(self.scan.positions.keys, rows[pos], axis=0)),
            (other, np.take(self.scan.static.keys, rows[other] - self.n_positions, axis=0)),
        ]

    def group_of(self, payload: bytes) -> int | None:
        """The group of the fast rows carrying ``payload``, or None."""
        if not self.size or len(payload) not in _FAST_KEY_LENGTHS or not storable(payload):
            return None
        words = key_words([payload])[0]
        if self.exact:
            hits = np.flatnonzero((self.words_of(self.order) == words).all(axis=1))
            return int(self.group[hits[0]]) if hits.size else None
        high = np.uint64(hash_bytes(payload) & ~((1 << RANK_BITS) - 1))
        at = int(np.searchsorted(self.sorted_high, high))
        if at >= self.size or self.sorted_high[at] != high:
            return None
        if not bool((self.words_of(self.order[at : at + 1])[0] == words).all()):
            return None  # the group holding these high bits is another payload's
        return int(self.group[at])


#: Lengths of the payloads the fast path decodes (types 1-3, 18 and 24: 28; type 24 with fill
#: bits: 27; type 5: 71 characters).
_FAST_KEY_LENGTHS = frozenset({27, 28, 71})


def _fast_positions(
    found: FastLines, keep: npt.NDArray[np.intp], line_nos: npt.NDArray[np.int64], source: str
) -> pa.Table:
    speed, course = found.speed[keep], found.course[keep]
    heading, status = found.heading[keep], found.status[keep]
    n = int(keep.size)
    columns: list[pa.Array[Any]] = [
        arrays.numeric(found.ts_us[keep], np.int64, schemas.TS),
        arrays.numeric(found.mmsi[keep], np.int32, pa.int32()),
        arrays.numeric(found.msg_type[keep], np.int8, pa.int8()),
        arrays.numeric(found.lon[keep], np.float64, pa.float64()),
        arrays.numeric(found.lat[keep], np.float64, pa.float64()),
        arrays.numeric(speed, np.float32, pa.float32(), ~np.isnan(speed)),
        arrays.numeric(course, np.float32, pa.float32(), ~np.isnan(course)),
        arrays.numeric(heading, np.int16, pa.int16(), heading >= 0),
        arrays.numeric(status, np.int8, pa.int8(), status >= 0),
        found.stations.take(keep),
        arrays.repeat_string(source, n),
        arrays.numeric(line_nos[found.pos[keep]], np.int64, pa.int64()),
    ]
    return pa.Table.from_arrays(columns, schema=schemas.POSITIONS)


def _fast_static(
    static: FastStatic, keep: npt.NDArray[np.intp], line_nos: npt.NDArray[np.int64], source: str
) -> pa.Table:
    take = arrays.indices(static.column_rows[keep])
    columns: dict[str, pa.Array[Any]] = {
        "ts": arrays.numeric(static.ts_us[keep], np.int64, schemas.TS),
        "mmsi": arrays.numeric(static.mmsi[keep], np.int32, pa.int32()),
        "msg_type": arrays.numeric(static.msg_type[keep], np.int8, pa.int8()),
        **{name: column.take(take) for name, column in static.columns.items()},
        "source": arrays.repeat_string(source, int(keep.size)),
        "line_no": arrays.numeric(line_nos[static.first[keep]], np.int64, pa.int64()),
    }
    return pa.Table.from_arrays(
        [columns[name] for name in schemas.VESSEL_STATIC.names], schema=schemas.VESSEL_STATIC
    )


def _fast_duplicates(
    ts_us: npt.NDArray[np.int64], index: npt.NDArray[np.int64], lines: _Lines, source: str
) -> pa.Table:
    """Duplicate rows of the fast lines ``index`` (checked ASCII, so their raw text is their bytes)."""
    n = int(index.size)
    buf = np.frombuffer(lines.padded, dtype=np.uint8)
    raw = arrays.slices(buf, lines.starts[index], lines.ends[index])
    columns: list[pa.Array[Any]] = [
        arrays.numeric(ts_us, np.int64, schemas.TS),
        arrays.repeat_string(source, n),
        arrays.numeric(lines.line_nos[index], np.int64, pa.int64()),
        arrays.repeat_string("duplicate", n),
        arrays.repeat_string("same payload already decoded", n),
        raw,
    ]
    return pa.Table.from_arrays(columns, schema=schemas.REJECTS)


def _merge(
    table: pa.Table, keys: npt.NDArray[np.int64], other: pa.Table, other_keys: npt.NDArray[np.int64]
) -> tuple[pa.Table, npt.NDArray[np.int64]]:
    """Rows of two tables in the order of their keys (stable: ``table`` first on equal keys)."""
    if other.num_rows == 0:
        return table, keys
    if table.num_rows == 0:
        return other, other_keys
    merged_keys = np.concatenate([keys, other_keys])
    order = np.argsort(merged_keys, kind="stable")
    merged = pa.concat_tables([table, other]).take(arrays.indices(order))
    return merged, merged_keys[order]
