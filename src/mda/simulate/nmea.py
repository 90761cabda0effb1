r"""NMEA 0183 encoding of AIS messages, NMEA 4.0 tag blocks and the noise real feeds carry.

Position reports
    Types 1, 2, 3 (class A) and 18 (class B) are 168-bit payloads (28 six-bit characters, no
    fill bits).  :func:`encode_position_payloads` packs whole arrays of reports at once with
    integer arithmetic on four 42-bit words (7 characters each) and applies exactly the value
    conversions of ``pyais.encode_dict`` (pyais 3.3.1): speed and course ``int(x * 10)``
    (truncation), longitude and latitude ``round(x * 600000)`` (half to even), rate of turn
    ``round(4.733 * sqrt(|rot|))`` with the sign of ``rot`` (0 stays 0, +-127 and +-128 pass
    through), every field masked to its width (two's complement for signed fields).  A unit
    test checks byte equality with pyais on thousands of random reports.
Static messages
    Types 5 and 24 are encoded once per ship with ``pyais.encode_dict``; :func:`vdm_sentences`
    then wraps the armoured payload into sentences for any channel and sequential message id,
    formatted as pyais does (60 payload characters per sentence, fill bits on the last one).
Sentences
    ``!AIVDM,<count>,<number>,<seq>,<A|B>,<payload>,<fill>*hh`` where ``hh`` is the XOR of all
    characters between ``!`` and ``*`` as two upper-case hex digits.
Tag blocks (NMEA 4.0)
    ``\s:<station>,c:<unix seconds>*hh\`` before the sentence: ``s`` is the receiving station,
    ``c`` the receive time (UTC unix seconds, 10 digits) and ``hh`` the XOR of the characters
    between the leading backslash and ``*``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import xor

import numpy as np
import numpy.typing as npt
import pyais

from mda.simulate.fleet import Identity

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
U8Array = npt.NDArray[np.uint8]
FieldDict = dict[str, str | int | float | bytes | bool]

#: Characters of a 28-character position-report payload.
POSITION_PAYLOAD_CHARS = 28

CLASS_A_LAYOUT: tuple[tuple[str, int], ...] = (
    ("msg_type", 6),
    ("repeat", 2),
    ("mmsi", 30),
    ("status", 4),
    ("turn", 8),
    ("speed", 10),
    ("accuracy", 1),
    ("lon", 28),
    ("lat", 27),
    ("course", 12),
    ("heading", 9),
    ("second", 6),
    ("maneuver", 2),
    ("spare", 3),
    ("raim", 1),
    ("radio", 19),
)
CLASS_B_LAYOUT: tuple[tuple[str, int], ...] = (
    ("msg_type", 6),
    ("repeat", 2),
    ("mmsi", 30),
    ("reserved_1", 8),
    ("speed", 10),
    ("accuracy", 1),
    ("lon", 28),
    ("lat", 27),
    ("course", 12),
    ("heading", 9),
    ("second", 6),
    ("reserved_2", 2),
    ("cs", 1),
    ("display", 1),
    ("dsc", 1),
    ("band", 1),
    ("msg22", 1),
    ("assigned", 1),
    ("raim", 1),
    ("radio", 20),
)

_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)


def checksum(text: str | bytes) -> int:
    """XOR of the bytes of ``text`` (the characters an NMEA checksum covers)."""
    data = text.encode("ascii") if isinstance(text, str) else text
    return reduce(xor, data, 0)


def armor(six: U8Array) -> U8Array:
    """Six-bit values (0-63) to AIS payload characters (ITU-R M.1371 / IEC 61162 armouring)."""
    six = six.astype(np.uint8)
    return np.where(six < 40, six + 48, six + 56).astype(np.uint8)


def unarmor(chars: U8Array) -> U8Array:
    """AIS payload characters back to six-bit values."""
    v = chars.astype(np.int16) - 48
    return np.where(v > 40, v - 8, v).astype(np.uint8)


@dataclass(frozen=True)
class PositionReports:
    """Field values of position reports, one element per report.

    Attributes
    ----------
    msg_type : ndarray of int64
        1, 2, 3 (class A) or 18 (class B).
    mmsi : ndarray of int64
        Source MMSI.
    status : ndarray of int64
        Navigational status (class A; ignored for type 18).
    turn : ndarray of float64
        Rate of turn as pyais takes it (degrees per minute; 0 = not turning, -128 = no
        indicator); class A only.
    speed : ndarray of float64
        Speed over ground, knots.
    accuracy : ndarray of int64
        Position accuracy flag (1 = better than 10 m).
    lon, lat : ndarray of float64
        Position, degrees.
    course : ndarray of float64
        Course over ground, degrees.
    heading : ndarray of int64
        True heading, degrees (511 = not available).
    second : ndarray of int64
        UTC second of the report (0-59).
    maneuver : ndarray of int64
        Special manoeuvre indicator (class A; 0 = not available).
    raim : ndarray of int64
        RAIM flag.
    radio : ndarray of int64
        Communication state (19 bits class A, 20 bits class B).
    cs, display, dsc, band, msg22, assigned : ndarray of int64
        Class B capability flags (ignored for types 1-3).
    """

    msg_type: IntArray
    mmsi: IntArray
    status: IntArray
    turn: FloatArray
    speed: FloatArray
    accuracy: IntArray
    lon: FloatArray
    lat: FloatArray
    course: FloatArray
    heading: IntArray
    second: IntArray
    maneuver: IntArray
    raim: IntArray
    radio: IntArray
    cs: IntArray
    display: IntArray
    dsc: IntArray
    band: IntArray
    msg22: IntArray
    assigned: IntArray

    def __len__(self) -> int:
        return int(self.mmsi.size)

    def take(self, index: IntArray) -> PositionReports:
        """The reports at ``index``."""
        return PositionReports(**{name: getattr(self, name)[index] for name in self.__dataclass_fields__})


def concat_reports(parts: Sequence[PositionReports]) -> PositionReports:
    """Concatenate batches of position reports."""
    names = PositionReports.__dataclass_fields__
    return PositionReports(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


def _turn_to_int(turn: FloatArray) -> IntArray:
    # pyais from_turn: 0 -> 0; +-127/+-128 unchanged; else copysign(round(4.733*sqrt(|t|)), t)
    special = (np.abs(turn) == 127.0) | (np.abs(turn) == 128.0)
    scaled = np.copysign(np.rint(4.733 * np.sqrt(np.abs(turn))), turn)
    out = np.where(turn == 0.0, 0.0, np.where(special, np.trunc(turn), scaled))
    return out.astype(np.int64)


def _field_values(r: PositionReports) -> dict[str, IntArray]:
    zeros = np.zeros(len(r), dtype=np.int64)
    return {
        "msg_type": r.msg_type.astype(np.int64),
        "repeat": zeros,
        "mmsi": r.mmsi.astype(np.int64),
        "status": r.status.astype(np.int64),
        "turn": _turn_to_int(r.turn.astype(np.float64)),
        "speed": (r.speed.astype(np.float64) * 10.0).astype(np.int64),
        "accuracy": r.accuracy.astype(np.int64),
        "lon": np.rint(r.lon.astype(np.float64) * 600000.0).astype(np.int64),
        "lat": np.rint(r.lat.astype(np.float64) * 600000.0).astype(np.int64),
        "course": (r.course.astype(np.float64) * 10.0).astype(np.int64),
        "heading": r.heading.astype(np.int64),
        "second": r.second.astype(np.int64),
        "maneuver": r.maneuver.astype(np.int64),
        "spare": zeros,
        "raim": r.raim.astype(np.int64),
        "radio": r.radio.astype(np.int64),
        "reserved_1": zeros,
        "reserved_2": zeros,
        "cs": r.cs.astype(np.int64),
        "display": r.display.astype(np.int64),
        "dsc": r.dsc.astype(np.int64),
        "band": r.band.astype(np.int64),
        "msg22": r.msg22.astype(np.int64),
        "assigned": r.assigned.astype(np.int64),
    }


def _pack(values: dict[str, IntArray], layout: tuple[tuple[str, int], ...], n: int) -> U8Array:
    word_bits = 42
    words = [np.zeros(n, dtype=np.int64) for _ in range(4)]
    offset = 0
    for name, width in layout:
        v = values[name] & ((1 << width) - 1)
        for k in range(4):
            ws, we = k * word_bits, (k + 1) * word_bits
            lo, hi = max(offset, ws), min(offset + width, we)
            if lo >= hi:
                continue
            part = (v >> (offset + width - hi)) & ((1 << (hi - lo)) - 1)
            words[k] |= part << (we - hi)
        offset += width
    if offset != 168:
        raise AssertionError("position report layouts are 168 bits")
    six = np.empty((n, POSITION_PAYLOAD_CHARS), dtype=np.uint8)
    for k in range(4):
        for j in range(7):
            six[:, 7 * k + j] = (words[k] >> (word_bits - 6 * (j + 1))) & 63
    return armor(six)


def encode_position_payloads(reports: PositionReports) -> U8Array:
    """Armoured payloads of position reports (types 1, 2, 3 and 18).

    Parameters
    ----------
    reports : PositionReports
        Field values (see the class for units).

    Returns
    -------
    ndarray of uint8, shape (n, 28)
        ASCII payload characters, identical to the payload field ``pyais.encode_dict`` writes.
    """
    n = len(reports)
    out = np.empty((n, POSITION_PAYLOAD_CHARS), dtype=np.uint8)
    values = _field_values(reports)
    is_b = reports.msg_type == 18
    for layout, mask in ((CLASS_A_LAYOUT, ~is_b), (CLASS_B_LAYOUT, is_b)):
        idx = np.flatnonzero(mask)
        if idx.size:
            out[idx] = _pack({k: v[idx] for k, v in values.items()}, layout, idx.size)
    return out


def _digits(values: IntArray, width: int) -> U8Array:
    out = np.empty((values.size, width), dtype=np.uint8)
    v = values.astype(np.int64).copy()
    for j in range(width - 1, -1, -1):
        out[:, j] = (v % 10) + 48
        v //= 10
    return out


def _hex2(values: IntArray) -> U8Array:
    return np.stack([_HEX[(values >> 4) & 15], _HEX[values & 15]], axis=1)


def single_sentence_lines(station: str, c: IntArray, channel: U8Array, payload: U8Array) -> U8Array:
    """Tag-blocked one-sentence VDM lines, one row per line (newline included).

    Parameters
    ----------
    station : str
        Receiving station id (the tag block ``s:`` field).
    c : ndarray of int64
        Receive times, UTC unix seconds (10 digits).
    channel : ndarray of uint8
        ``ord("A")`` or ``ord("B")``.
    payload : ndarray of uint8, shape (n, 28)
        Armoured payload characters with no fill bits.

    Returns
    -------
    ndarray of uint8, shape (n, width)
        The ASCII bytes of each line.
    """
    n = c.size
    if n and (c.min() < 1_000_000_000 or c.max() > 9_999_999_999):
        raise ValueError("receive times must have 10 digits")
    head = f"s:{station},c:".encode("ascii")
    mid = b"!AIVDM,1,1,,"
    digits = _digits(c, 10)
    tag_sum = checksum(head) ^ np.bitwise_xor.reduce(digits, axis=1).astype(np.int64)
    body_sum = (
        checksum(b"AIVDM,1,1,,")
        ^ channel.astype(np.int64)
        ^ checksum(b",")
        ^ np.bitwise_xor.reduce(payload, axis=1).astype(np.int64)
        ^ checksum(b",0")
    )
    pieces: list[U8Array] = [
        np.broadcast_to(np.frombuffer(b"\\" + head, dtype=np.uint8), (n, len(head) + 1)),
        digits,
        np.broadcast_to(np.frombuffer(b"*", dtype=np.uint8), (n, 1)),
        _hex2(tag_sum),
        np.broadcast_to(np.frombuffer(b"\\" + mid, dtype=np.uint8), (n, len(mid) + 1)),
        channel.reshape(n, 1),
        np.broadcast_to(np.frombuffer(b",", dtype=np.uint8), (n, 1)),
        payload,
        np.broadcast_to(np.frombuffer(b",0*", dtype=np.uint8), (n, 3)),
        _hex2(body_sum),
        np.broadcast_to(np.frombuffer(b"\n", dtype=np.uint8), (n, 1)),
    ]
    return np.concatenate(pieces, axis=1).astype(np.uint8)


def payload_columns(station: str) -> slice:
    """Columns of the payload characters in the rows of :func:`single_sentence_lines`."""
    start = len(f"\\s:{station},c:") + 10 + 4 + len("!AIVDM,1,1,,") + 2
    return slice(start, start + POSITION_PAYLOAD_CHARS)


def corrupt_payload_chars(rows: U8Array, station: str, rng: np.random.Generator) -> None:
    """Change one payload character of each row in place, leaving its checksum stale.

    The replacement is another valid payload character, as a bit error on the air or a
    damaged serial line produces; the sentence then fails its checksum.
    """
    if rows.shape[0] == 0:
        return
    cols = payload_columns(station)
    j = cols.start + rng.integers(0, POSITION_PAYLOAD_CHARS, rows.shape[0])
    i = np.arange(rows.shape[0])
    old = unarmor(rows[i, j])
    new = (old.astype(np.int64) + rng.integers(1, 64, rows.shape[0])) % 64
    rows[i, j] = armor(new.astype(np.uint8))


def tag_block(station: str, c: int) -> str:
    r"""``\s:<station>,c:<c>*hh\`` for a receive time ``c`` (UTC unix seconds)."""
    body = f"s:{station},c:{c}"
    return f"\\{body}*{checksum(body):02X}\\"


def vdm_sentences(payload: str, fill_bits: int, channel: str, seq_id: int | None) -> list[str]:
    """Wrap an armoured payload in ``!AIVDM`` sentences exactly as pyais does.

    Parameters
    ----------
    payload : str
        Armoured payload characters.
    fill_bits : int
        Fill bits of the payload (written on the last sentence only).
    channel : {"A", "B"}
        Radio channel.
    seq_id : int or None
        Sequential message id for multi-sentence messages (0-9); empty for single sentences.
    """
    max_len = 60
    count = -(-len(payload) // max_len)
    # pyais: "0" for multi-sentence messages without an id, never an id on single sentences
    default = "0" if count > 1 else ""
    seq = default if seq_id is None or count == 1 else str(seq_id)
    out = []
    for k in range(count):
        chunk = payload[k * max_len : (k + 1) * max_len]
        fill = fill_bits if k == count - 1 else 0
        body = f"AIVDM,{count},{k + 1},{seq},{channel},{chunk},{fill}"
        out.append(f"!{body}*{checksum(body):02X}")
    return out


def _payload_of(sentences: list[str]) -> tuple[str, int]:
    parts = [s.split(",") for s in sentences]
    payload = "".join(p[5] for p in parts)
    fill = int(parts[-1][6].split("*")[0])
    return payload, fill


def type5_fields(identity: Identity) -> FieldDict:
    """The ``pyais.encode_dict`` fields of a ship's type 5 (static and voyage related data)."""
    month, day, hour, minute = identity.eta
    return {
        "msg_type": 5,
        "repeat": 0,
        "mmsi": identity.mmsi,
        "ais_version": 0,
        "imo": identity.imo,
        "callsign": identity.callsign,
        "shipname": identity.name,
        "ship_type": identity.ship_type,
        "to_bow": identity.to_bow,
        "to_stern": identity.to_stern,
        "to_port": identity.to_port,
        "to_starboard": identity.to_starboard,
        "epfd": 1,
        "month": month,
        "day": day,
        "hour": hour,
        "minute": minute,
        "draught": identity.draught_m,
        "destination": identity.destination,
        "dte": 0,
    }


def type24_fields(identity: Identity, part: int) -> FieldDict:
    """The ``pyais.encode_dict`` fields of a ship's type 24 part A (0) or part B (1)."""
    if part == 0:
        return {"msg_type": 24, "repeat": 0, "mmsi": identity.mmsi, "partno": 0, "shipname": identity.name}
    return {
        "msg_type": 24,
        "repeat": 0,
        "mmsi": identity.mmsi,
        "partno": 1,
        "ship_type": identity.ship_type,
        "vendorid": identity.vendor_id,
        "model": 1,
        "serial": identity.serial,
        "callsign": identity.callsign,
        "to_bow": identity.to_bow,
        "to_stern": identity.to_stern,
        "to_port": identity.to_port,
        "to_starboard": identity.to_starboard,
    }


@dataclass(frozen=True)
class StaticPayloads:
    """A ship's static messages, armoured once with pyais.

    Attributes
    ----------
    payloads : tuple of (str, int)
        (payload, fill bits) of each message: one type 5 for class A, type 24 parts A and B
        for class B.
    msg_type : int
        5 or 24.
    """

    payloads: tuple[tuple[str, int], ...]
    msg_type: int

    def sentences(self, index: int, channel: str, seq_id: int) -> list[str]:
        """Sentences of message ``index`` on ``channel`` with sequential id ``seq_id``."""
        payload, fill = self.payloads[index]
        return vdm_sentences(payload, fill, channel, seq_id)


def static_payloads(identity: Identity) -> StaticPayloads:
    """Encode a ship's static messages with ``pyais.encode_dict``."""
    if identity.ais_class == "A":
        sentences = pyais.encode_dict(type5_fields(identity), talker_id="AI", sentence_type="VDM", seq_id=0)
        return StaticPayloads((_payload_of(sentences),), 5)
    parts = tuple(
        _payload_of(pyais.encode_dict(type24_fields(identity, part), talker_id="AI", sentence_type="VDM"))
        for part in (0, 1)
    )
    return StaticPayloads(parts, 24)


def empty_payload_line(station: str, c: int) -> str:
    """A tag-blocked VDM sentence with an empty payload, as some receivers emit."""
    return tag_block(station, c) + "!AIVDM,1,1,,B,,0*25"


def gpgga_line(rng: np.random.Generator, t: float, lon: float, lat: float) -> str:
    """A receiver's own GNSS fix sentence (``$GPGGA``) at time ``t`` (UTC unix seconds)."""
    sec = t % 86400.0
    hh, mm, ss = int(sec // 3600), int(sec % 3600 // 60), sec % 60
    lat_d, lon_d = int(lat), int(lon)
    body = (
        f"GPGGA,{hh:02d}{mm:02d}{ss:05.2f},{lat_d:02d}{(lat - lat_d) * 60:06.3f},N,"
        f"{lon_d:03d}{(lon - lon_d) * 60:06.3f},E,1,{int(rng.integers(6, 12)):02d},"
        f"{float(rng.uniform(0.7, 1.6)):.1f},{float(rng.uniform(20, 80)):.1f},M,"
        f"{float(rng.uniform(8, 12)):.1f},M,,0000"
    )
    return f"${body}*{checksum(body):02X}"


def pghp_line(rng: np.random.Generator, t: float, mmsi: int) -> str:
    """A Gatehouse proprietary timestamp sentence (``$PGHP``) at time ``t`` (UTC unix seconds)."""
    ts = dt.datetime.fromtimestamp(int(t), tz=dt.UTC)
    ms = int((t % 1) * 1000)
    body = (
        f"PGHP,1,{ts.year},{ts.month},{ts.day},{ts.hour},{ts.minute},{ts.second},{ms},"
        f"{mmsi // 1_000_000},{int(rng.integers(1, 9))},,1,{int(rng.integers(0, 99)):02d}"
    )
    return f"${body}*{checksum(body):02X}"
