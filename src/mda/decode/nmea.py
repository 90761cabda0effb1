"""Decode raw NMEA 0183 AIS lines (AIVDM/AIVDO, ITU-R M.1371) into Arrow tables with pyais.

Algorithm
---------
Each physical line ends in exactly one of four outcomes, so a run can prove it read everything:

* **decoded** — the line is (a fragment of) a message that pyais decoded and that was kept;
* **duplicate** — the same payload was already decoded within ``dedup_window_s`` seconds (one
  transmission heard by two receivers);
* **non-AIS** — another NMEA sentence (``$GPGGA``, ``$PGHP`` ...), kept in ``rejects`` with reason
  ``not_ais``;
* **rejected** — with a reason: ``empty_line``, ``malformed``, ``bad_checksum``,
  ``bad_tag_checksum``, ``empty_payload``, ``orphan_fragment``, ``unknown_type``,
  ``decode_error``, ``invalid_position``, ``no_timestamp``.

Multi-sentence messages are assembled per key ``(station, talker, channel, sequence id,
fragment count, tag-block group)`` so interleaved streams never mix; fragments may arrive in any
order.  A group still incomplete ``orphan_after_lines`` lines after its last fragment, or at the
end of the input, is rejected as ``orphan_fragment``, line by line.

Times come only from the data: the tag block ``c:`` field (receive time, UTC).  A message whose
lines carry no time is rejected with ``no_timestamp``; it is never given a guessed time.

Sentinels become NULL: speed 102.3 kn, course 360, heading 511; positions at lat 91 / lon 181
(not available) or out of range are rejected with ``invalid_position``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from pyais.exceptions import AISBaseException, UnknownMessageException
from pyais.messages import NMEAMessage

from mda import schemas
from mda.decode.tagblock import TagBlock, TagBlockError, nmea_checksum, split_tag_block

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
STATIC_TYPES = frozenset({5, 19, 24})
_US_PER_S = 1_000_000


@dataclass
class Accounting:
    """Line accounting for one source: ``lines == decoded + duplicates + non_ais + rejected``.

    Attributes
    ----------
    lines : int
        Physical lines read.
    decoded : int
        Lines that belong to a kept, decoded message.
    duplicates : int
        Lines of a message already decoded from another receiver within the dedup window.
    non_ais : int
        Non-AIS NMEA lines.
    rejected : Counter
        Rejected lines by reason (``not_ais`` excluded).
    messages_by_type : Counter
        Decoded, kept messages by AIS message type.
    """

    lines: int = 0
    decoded: int = 0
    duplicates: int = 0
    non_ais: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    messages_by_type: Counter[int] = field(default_factory=Counter)

    @property
    def rejected_total(self) -> int:
        """Rejected lines over all reasons."""
        return sum(self.rejected.values())

    @property
    def balanced(self) -> bool:
        """Whether every line is accounted for exactly once."""
        return self.lines == self.decoded + self.duplicates + self.non_ais + self.rejected_total

    def merge(self, other: Accounting) -> None:
        """Add ``other``'s counts to this accounting."""
        self.lines += other.lines
        self.decoded += other.decoded
        self.duplicates += other.duplicates
        self.non_ais += other.non_ais
        self.rejected.update(other.rejected)
        self.messages_by_type.update(other.messages_by_type)


@dataclass(frozen=True)
class DecodedBatch:
    """Arrow tables produced from one chunk of lines (schemas in :mod:`mda.schemas`)."""

    positions: pa.Table
    static: pa.Table
    rejects: pa.Table


@dataclass
class _Pending:
    parts: dict[int, tuple[int, bytes, NMEAMessage, TagBlock | None]]
    last_line_no: int


class _Columns:
    """Column-wise row buffer for one Arrow schema."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.cols: dict[str, list[Any]] = {name: [] for name in schema.names}

    def append(self, row: dict[str, Any]) -> None:
        for name, values in self.cols.items():
            values.append(row.get(name))

    def take(self) -> pa.Table:
        table = pa.table(
            {name: pa.array(values, type=self.schema.field(name).type) for name, values in self.cols.items()},
            schema=self.schema,
        )
        for values in self.cols.values():
            values.clear()
        return table


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _opt_int(value: Any, missing: int | None = None) -> int | None:
    if value is None:
        return None
    number = int(value)
    return None if missing is not None and number == missing else number


class NmeaDecoder:
    """Stateful decoder for one source; feed it chunks of numbered lines in file order.

    Parameters
    ----------
    source : str
        Name recorded with every row (usually the input file name).
    dedup_window_s : float
        Seconds within which an identical payload counts as a duplicate reception.
    orphan_after_lines : int
        Lines after which an incomplete multi-sentence group is rejected.
    """

    def __init__(self, source: str, *, dedup_window_s: float = 30.0, orphan_after_lines: int = 2000) -> None:
        self.source = source
        self.dedup_window_us = int(dedup_window_s * _US_PER_S)
        self.orphan_after_lines = orphan_after_lines
        self.accounting = Accounting()
        self._pending: dict[tuple[Any, ...], _Pending] = {}
        self._seen: dict[bytes, int] = {}
        self._max_ts_us = 0
        self._positions = _Columns(schemas.POSITIONS)
        self._static = _Columns(schemas.VESSEL_STATIC)
        self._rejects = _Columns(schemas.REJECTS)

    # -- public ---------------------------------------------------------------------------
    def feed(self, lines: Iterable[tuple[int, bytes]]) -> DecodedBatch:
        """Decode a chunk of ``(line_no, raw_line)`` pairs and return what it completed."""
        last = 0
        for line_no, raw in lines:
            self.accounting.lines += 1
            self._line(line_no, raw)
            last = line_no
        self._evict(last - self.orphan_after_lines)
        self._prune_seen()
        return self._take()

    def finish(self) -> DecodedBatch:
        """Reject every incomplete multi-sentence group and return the final batch."""
        self._evict(None)
        return self._take()

    # -- per line -------------------------------------------------------------------------
    def _reject(
        self, line_no: int, raw: bytes, reason: str, detail: str = "", ts_us: int | None = None
    ) -> None:
        if reason == "not_ais":
            self.accounting.non_ais += 1
        else:
            self.accounting.rejected[reason] += 1
        self._rejects.append(
            {
                "ts": ts_us,
                "source": self.source,
                "line_no": line_no,
                "reason": reason,
                "detail": detail,
                "raw": _text(raw),
            }
        )

    def _line(self, line_no: int, raw: bytes) -> None:
        if not raw.strip():
            self._reject(line_no, raw, "empty_line")
            return
        try:
            tag, sentence = split_tag_block(raw.strip())
        except TagBlockError as exc:
            self._reject(line_no, raw, exc.reason, str(exc))
            return
        ts_us = None if tag is None or tag.unix_s is None else round(tag.unix_s * _US_PER_S)
        if sentence.startswith(b"$") or (sentence.startswith(b"!") and sentence[3:6] not in (b"VDM", b"VDO")):
            self._reject(line_no, raw, "not_ais", ts_us=ts_us)
            return
        if not sentence.startswith(b"!"):
            self._reject(line_no, raw, "malformed", "not an NMEA sentence", ts_us)
            return
        star = sentence.rfind(b"*")
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
        try:
            msg = NMEAMessage(sentence[: star + 3])
        except AISBaseException as exc:
            self._reject(line_no, raw, "malformed", str(exc), ts_us)
            return
        if not msg.payload:
            self._reject(line_no, raw, "empty_payload", "", ts_us)
            return
        count, number = int(msg.frag_cnt), int(msg.frag_num)
        if count == 1:
            self._complete([(line_no, raw, msg, tag)])
            return
        if not 1 <= number <= count:
            self._reject(line_no, raw, "malformed", "fragment number out of range", ts_us)
            return
        key = (
            tag.station if tag else None,
            msg.talker,
            msg.channel,
            msg.seq_id,
            count,
            tag.group if tag else None,
        )
        pending = self._pending.get(key)
        if pending is not None and number in pending.parts:
            # the same fragment number again: the earlier group never completed
            self._orphan(self._pending.pop(key))
            pending = None
        if pending is None:
            pending = self._pending[key] = _Pending(parts={}, last_line_no=line_no)
        pending.parts[number] = (line_no, raw, msg, tag)
        pending.last_line_no = line_no
        if len(pending.parts) == count:
            del self._pending[key]
            self._complete([pending.parts[k] for k in sorted(pending.parts)])

    def _orphan(self, pending: _Pending) -> None:
        for line_no, raw, _msg, tag in pending.parts.values():
            ts_us = None if tag is None or tag.unix_s is None else round(tag.unix_s * _US_PER_S)
            self._reject(line_no, raw, "orphan_fragment", "incomplete multi-sentence message", ts_us)

    def _evict(self, before_line: int | None) -> None:
        stale = [k for k, p in self._pending.items() if before_line is None or p.last_line_no < before_line]
        for key in stale:
            self._orphan(self._pending.pop(key))

    def _prune_seen(self) -> None:
        horizon = self._max_ts_us - 2 * self.dedup_window_us
        if len(self._seen) > 100_000:
            self._seen = {k: v for k, v in self._seen.items() if v >= horizon}

    # -- per message ----------------------------------------------------------------------
    def _complete(self, parts: list[tuple[int, bytes, NMEAMessage, TagBlock | None]]) -> None:
        ts_values = [t.unix_s for _, _, _, t in parts if t is not None and t.unix_s is not None]
        ts_us = round(ts_values[0] * _US_PER_S) if ts_values else None
        station = next((t.station for _, _, _, t in parts if t is not None and t.station), None)

        def reject_all(reason: str, detail: str = "") -> None:
            for line_no, raw, _m, _t in parts:
                self._reject(line_no, raw, reason, detail, ts_us)

        if ts_us is None:
            reject_all("no_timestamp", "no tag-block time on the line")
            return
        msgs = [m for _, _, m, _ in parts]
        payload = b"".join(m.payload for m in msgs)
        previous = self._seen.get(payload)
        if previous is not None and abs(ts_us - previous) <= self.dedup_window_us:
            self.accounting.duplicates += len(parts)
            for line_no, raw, _m, _t in parts:
                self._rejects.append(
                    {
                        "ts": ts_us,
                        "source": self.source,
                        "line_no": line_no,
                        "reason": "duplicate",
                        "detail": "same payload already decoded",
                        "raw": _text(raw),
                    }
                )
            return
        try:
            message = NMEAMessage.assemble_from_iterable(msgs).decode()
            data: dict[str, Any] = message.asdict()
        except UnknownMessageException as exc:
            reject_all("unknown_type", str(exc))
            return
        except (AISBaseException, ValueError, IndexError, KeyError) as exc:
            reject_all("decode_error", str(exc) or type(exc).__name__)
            return
        msg_type = int(data["msg_type"])
        first_line = parts[0][0]
        if msg_type in POSITION_TYPES:
            lat, lon = data.get("lat"), data.get("lon")
            if lat is None or lon is None or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                reject_all("invalid_position", f"lat={lat} lon={lon}")
                return
        self._seen[payload] = ts_us
        self._max_ts_us = max(self._max_ts_us, ts_us)
        self.accounting.decoded += len(parts)
        self.accounting.messages_by_type[msg_type] += 1
        common = {
            "ts": ts_us,
            "mmsi": int(data["mmsi"]),
            "msg_type": msg_type,
            "source": self.source,
            "line_no": first_line,
        }
        if msg_type in POSITION_TYPES:
            self._positions.append(self._position_row(common, data, station))
        if msg_type in STATIC_TYPES:
            self._static.append(self._static_row(common, data))

    @staticmethod
    def _position_row(common: dict[str, Any], data: dict[str, Any], station: str | None) -> dict[str, Any]:
        speed = data.get("speed")
        course = data.get("course")
        status = data.get("status")
        return {
            **common,
            "lon": float(data["lon"]),
            "lat": float(data["lat"]),
            "speed": None if speed is None or speed >= 102.3 else float(speed),
            "course": None if course is None or course >= 360.0 else float(course),
            "heading": _opt_int(data.get("heading"), 511),
            "status": None if status is None else int(status),
            "station": station,
        }

    @staticmethod
    def _static_row(common: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
        def text(key: str) -> str | None:
            value = data.get(key)
            if value is None:
                return None
            value = str(value).strip()
            return value or None

        draught = data.get("draught")
        return {
            **common,
            "part": _opt_int(data.get("partno")),
            "imo": _opt_int(data.get("imo"), 0),
            "callsign": text("callsign"),
            "shipname": text("shipname"),
            "ship_type": _opt_int(data.get("ship_type"), 0),
            "to_bow": _opt_int(data.get("to_bow")),
            "to_stern": _opt_int(data.get("to_stern")),
            "to_port": _opt_int(data.get("to_port")),
            "to_starboard": _opt_int(data.get("to_starboard")),
            "draught": None if not draught else float(draught),
            "destination": text("destination"),
        }

    def _take(self) -> DecodedBatch:
        return DecodedBatch(self._positions.take(), self._static.take(), self._rejects.take())
