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
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyais.exceptions import UnknownMessageException
from pyais.messages import NMEAMessage

from mda import schemas
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
from mda.decode.tagblock import TagBlockError, nmea_checksum, split_tag_block

__all__ = ["MAX_OPEN_PER_KEY", "POSITION_TYPES", "STATIC_TYPES", "Accounting", "DecodedBatch", "NmeaDecoder"]

#: Open multi-sentence groups kept per assembly key before the oldest is evicted as orphan.
MAX_OPEN_PER_KEY = 8

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
        self._seen: dict[bytes, int] = {}
        self._max_ts_us = 0
        self._wrapper_ts_us: int | None = None
        self._positions = Columns(schemas.POSITIONS)
        self._static = Columns(schemas.VESSEL_STATIC)
        self._messages = Columns(MESSAGES) if with_messages else None

    # -- public ---------------------------------------------------------------------------
    def feed(self, lines: Iterable[tuple[int, bytes]]) -> DecodedBatch:
        """Decode a chunk of ``(line_no, raw_line)`` pairs and return what it completed."""
        for line_no, raw in lines:
            self.accounting.lines += 1
            self._line(line_no, raw)
            self._evict_stale(line_no)
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
        self._rejector.reject(line_no, raw, reason, detail, ts_us)

    def _line(self, line_no: int, raw: bytes) -> None:
        if len(raw) > MAX_LINE_BYTES:
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
        if self.dedup_window_us is None or len(self._seen) <= 100_000:
            return
        horizon = self._max_ts_us - 2 * self.dedup_window_us
        self._seen = {k: v for k, v in self._seen.items() if v >= horizon}

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
            self._seen[payload] = ts_us
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
            self._static.append(static_row(common, {k: getattr(message, k, None) for k in STATIC_FIELDS}))
        if self._messages is not None and data is not None:
            self._messages.append(message_row(common, station, data))

    def _take(self) -> DecodedBatch:
        return DecodedBatch(
            self._positions.take(),
            self._static.take(),
            self._rejector.rows.take(),
            None if self._messages is None else self._messages.take(),
        )
