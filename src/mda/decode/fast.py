r"""Vectorised recognition and decoding of the common AIS line: one-sentence position reports.

Scope
-----
The fast path takes only lines it recognises with certainty, byte for byte::

    \<tag body>*hh\!<tt>VD<M|O>,1,1,<seq>,<chan>,<28 payload chars>,0*hh

with a single NMEA 4.0 tag block (IEC 61162-1 Annex) whose body is ``c:<10 digits>``,
``s:<station>,c:<10 digits>`` or ``c:<10 digits>,s:<station>`` (station of 1 to 32 letters,
digits, ``_ - . /``), a correct tag-block checksum over the whole body, a correct sentence checksum,
a receive time inside :func:`mda.decode.batch.valid_ts`, talker two upper-case letters,
sequence id empty or one digit, channel empty or one letter or digit, no fill bits, a
168-bit payload of message type 1, 2, 3 (class A) or 18 (class B) and a valid position.
Every other line (multi-sentence, other types, no tag block, ``g:`` groups, USCG trailers,
Gatehouse wrappers, anything malformed or with an unavailable position) is left to the pyais
path, which decides its outcome as before.

Algorithm
---------
The chunk's lines are joined into one buffer; line ends come from ``np.flatnonzero``.  The
sentence has a fixed length of 46 to 48 bytes from the end of the line, so its start, the
payload and the checksum are found by offsets from the line end; the tag block is what
precedes the sentence.  Checksums (XOR of the bytes between the delimiter and ``*``) come
from a prefix XOR over the buffer: ``xor(a..b) = P[b] ^ P[a]``.  The 28 payload characters
are de-armoured (ITU-R M.1371-5 §8 / IEC 61162-1: ``v = c - 48``, minus 8 more above 40)
into four 42-bit words, from which every field is cut by bit offset.  Values follow
pyais 3.3.1 exactly: speed and course ``v / 10``, longitude and latitude
``((10 v + 3) // 6) / 1e6`` (pyais' integer form of ``round(v / 600000, 6)``), signed fields
in two's complement, rate of turn ``copysign(round((t / 4.733) ** 2), t)`` with 0, +-127 and
-128 passed through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mda.decode.batch import EARLIEST_TS_US, LATEST_TS_US, US_PER_S

__all__ = ["FastLines", "decode_position_fields", "scan_lines"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U8 = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

#: Characters of a one-sentence position report payload (168 bits, no fill bits).
PAYLOAD_CHARS = 28
_WORD = 42  # bits per de-armoured word: 7 characters of 6 bits
#: Longest tag block ``s:`` station the fast path takes, in characters.
MAX_STATION_CHARS = 32
_PAD = 64  # zero bytes before the buffer so look-behind offsets never go negative

#: Bit layout (offset, width, signed) of the fields the tables and the tests use.
CLASS_A_FIELDS: dict[str, tuple[int, int, bool]] = {
    "msg_type": (0, 6, False),
    "repeat": (6, 2, False),
    "mmsi": (8, 30, False),
    "status": (38, 4, False),
    "turn": (42, 8, True),
    "speed": (50, 10, False),
    "accuracy": (60, 1, False),
    "lon": (61, 28, True),
    "lat": (89, 27, True),
    "course": (116, 12, False),
    "heading": (128, 9, False),
    "second": (137, 6, False),
    "maneuver": (143, 2, False),
    "raim": (148, 1, False),
    "radio": (149, 19, False),
}
CLASS_B_FIELDS: dict[str, tuple[int, int, bool]] = {
    "msg_type": (0, 6, False),
    "repeat": (6, 2, False),
    "mmsi": (8, 30, False),
    "reserved_1": (38, 8, False),
    "speed": (46, 10, False),
    "accuracy": (56, 1, False),
    "lon": (57, 28, True),
    "lat": (85, 27, True),
    "course": (112, 12, False),
    "heading": (124, 9, False),
    "second": (133, 6, False),
    "reserved_2": (139, 2, False),
    "cs": (141, 1, False),
    "display": (142, 1, False),
    "dsc": (143, 1, False),
    "band": (144, 1, False),
    "msg22": (145, 1, False),
    "assigned": (146, 1, False),
    "raim": (147, 1, False),
    "radio": (148, 20, False),
}


def _table(chars: bytes) -> Mask:
    out = np.zeros(256, dtype=np.bool_)
    out[np.frombuffer(chars, dtype=np.uint8)] = True
    return out


_DIGIT = _table(b"0123456789")
_UPPER = _table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CHANNEL = _table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_STATION_BAD = ~_table(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./")
_ARMOUR = _table(bytes(range(48, 88)) + bytes(range(96, 120)))
_HEX = np.full(256, -1, dtype=np.int16)
for _i, _c in enumerate(b"0123456789ABCDEF"):
    _HEX[_c] = _i
for _i, _c in enumerate(b"abcdef"):
    _HEX[_c] = 10 + _i


_TABLE_FIELDS = frozenset({"msg_type", "mmsi", "status", "speed", "lon", "lat", "course", "heading"})


@dataclass(frozen=True)
class FastLines:
    """Lines of one chunk the fast path decoded (positions in the chunk, in order).

    Attributes
    ----------
    pos : ndarray of int64
        Index of each recognised line in the chunk, increasing.
    ts_us : ndarray of int64
        Receive time (tag block ``c:``), UTC microseconds since the epoch.
    msg_type, mmsi : ndarray of int64
        AIS message type (1, 2, 3 or 18) and MMSI.
    lon, lat : ndarray of float64
        Position, degrees WGS84, exactly as pyais returns it (always valid here).
    speed, course : ndarray of float64
        Speed over ground (knots) and course over ground (degrees); NaN when not available.
    heading : ndarray of int64
        True heading (degrees); -1 when not available.
    status : ndarray of int64
        Navigational status (class A); -1 for class B.
    station : pyarrow.StringArray
        Tag block ``s:`` per line, NULL when absent.
    keys : list of bytes
        The armoured payload of each line: the duplicate-detection key the pyais path uses.
    """

    pos: I64
    ts_us: I64
    msg_type: I64
    mmsi: I64
    lon: F64
    lat: F64
    speed: F64
    course: F64
    heading: I64
    status: I64
    station: pa.StringArray
    keys: list[bytes]

    def __len__(self) -> int:
        return int(self.pos.size)


def _words(six: npt.NDArray[np.int64]) -> list[I64]:
    words = []
    for k in range(PAYLOAD_CHARS // 7):
        w = np.zeros(six.shape[0], dtype=np.int64)
        for j in range(7):
            w |= six[:, 7 * k + j] << (6 * (6 - j))
        words.append(w)
    return words


def _bits(words: list[I64], offset: int, width: int, signed: bool) -> I64:
    k0, k1 = offset // _WORD, (offset + width - 1) // _WORD
    if k0 == k1:
        value = (words[k0] >> (_WORD * (k0 + 1) - offset - width)) & ((1 << width) - 1)
    else:
        high = _WORD * (k0 + 1) - offset
        low = width - high
        value = ((words[k0] & ((1 << high) - 1)) << low) | (words[k1] >> (_WORD - low))
    if signed:
        value = value - ((value >> (width - 1)) << width)
    return value


def _turn(raw: I64) -> F64:
    value = raw.astype(np.float64)
    scaled = np.copysign(np.rint((value / 4.733) ** 2), value)
    special = (raw == 0) | (np.abs(raw) == 127) | (raw == -128)
    return np.where(special, value, scaled)


def _degrees(raw: I64) -> F64:
    return np.floor_divide(10 * raw + 3, 6) / 1e6


def decode_position_fields(chars: U8, names: frozenset[str] | None = None) -> dict[str, npt.NDArray[Any]]:
    """Decode armoured 28-character payloads of types 1, 2, 3 or 18 field by field.

    Parameters
    ----------
    chars : ndarray of uint8, shape (n, 28)
        Payload characters; all must be valid armour characters.
    names : frozenset of str, optional
        Decode only these pyais field names (all when omitted).

    Returns
    -------
    dict of str to ndarray
        pyais field names and values: ``speed`` (knots), ``course`` (degrees), ``lon`` and
        ``lat`` (degrees) and ``turn`` (degrees per minute, pyais' special values kept) as
        float64, everything else as int64 (layouts :data:`CLASS_A_FIELDS` and
        :data:`CLASS_B_FIELDS`).
        Keys carry the layout: ``a_<name>`` (class A layout, types 1-3) and ``b_<name>``
        (class B layout, type 18), both decoded for every row; callers select by type.
    """
    six = chars.astype(np.int64) - 48
    six = np.where(six > 40, six - 8, six)
    words = _words(six)
    out: dict[str, npt.NDArray[Any]] = {}
    for prefix, layout in (("a_", CLASS_A_FIELDS), ("b_", CLASS_B_FIELDS)):
        for name, (offset, width, signed) in layout.items():
            if names is None or name in names:
                out[prefix + name] = _bits(words, offset, width, signed)
    for key, value in list(out.items()):
        name = key[2:]
        if name in ("speed", "course"):
            out[key] = value / 10.0
        elif name in ("lon", "lat"):
            out[key] = _degrees(value)
        elif name == "turn":
            out[key] = _turn(value)
    return out


def _xor(px: npt.NDArray[np.uint8], start: I64, stop: I64) -> I64:
    """XOR of the buffer bytes ``[start, stop)`` from the prefix XOR ``px`` (``px[i]`` = bytes < i)."""
    return (px[stop] ^ px[start]).astype(np.int64)


def _hex2(buf: U8, at: I64) -> I64:
    hi, lo = _HEX[buf[at]].astype(np.int64), _HEX[buf[at + 1]].astype(np.int64)
    return np.where((hi < 0) | (lo < 0), -1, hi * 16 + lo)


def _is(buf: U8, at: I64, char: bytes) -> Mask:
    return np.asarray(buf[at] == char[0])


def _digits10(buf: U8, at: I64) -> tuple[Mask, I64]:
    ok = np.ones(at.size, dtype=np.bool_)
    value = np.zeros(at.size, dtype=np.int64)
    for j in range(10):
        byte = buf[at + j]
        ok &= _DIGIT[byte]
        value = value * 10 + (byte.astype(np.int64) - 48)
    return ok, value


def _strings(buf: U8, start: I64, stop: I64, present: Mask) -> pa.StringArray:
    """Arrow strings of the buffer slices ``[start, stop)``, NULL where not ``present``."""
    length = np.where(present, stop - start, 0)
    offsets = np.zeros(length.size + 1, dtype=np.int32)
    np.cumsum(length, out=offsets[1:])
    total = int(offsets[-1])
    index = np.arange(total, dtype=np.int64) - np.repeat(offsets[:-1].astype(np.int64), length)
    index += np.repeat(start, length)
    data = np.ascontiguousarray(buf[index])
    validity = pa.array(present).buffers()[1]
    return pa.StringArray.from_buffers(
        int(length.size),
        pa.py_buffer(offsets.tobytes()),
        pa.py_buffer(data.tobytes()),
        validity,
        int((~present).sum()),
    )


def scan_lines(raws: list[bytes]) -> FastLines | None:
    """Recognise and decode the one-sentence position reports among a chunk's lines.

    Parameters
    ----------
    raws : list of bytes
        The chunk's physical lines without terminators.

    Returns
    -------
    FastLines or None
        The lines the fast path decodes with certainty (see the module docstring); None when
        the chunk cannot be split into lines by its newlines (a line holds a line feed).
    """
    n = len(raws)
    joined = b"\0" * _PAD + b"\n".join(raws) + b"\n"
    buf = np.frombuffer(joined, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10).astype(np.int64)
    if ends.size != n:
        return None
    starts = np.empty(n, dtype=np.int64)
    starts[:1] = _PAD
    starts[1:] = ends[:-1] + 1
    length = ends - starts
    cand = np.flatnonzero((length >= 62) & (length <= 256))
    e, s0 = ends[cand], starts[cand]
    ok = _is(buf, e - 3, b"*") & _is(buf, e - 5, b",") & _is(buf, e - 4, b"0") & _is(buf, e - 34, b",")
    ok &= _is(buf, s0, b"\\")
    given = _hex2(buf, e - 2)
    ok &= given >= 0
    # sentence start: "!" 46-48 bytes before the end, right after the tag block's closing "\"
    ss = np.full(cand.size, -1, dtype=np.int64)
    found = np.zeros(cand.size, dtype=np.int64)
    for d in (46, 47, 48):
        at = e - d
        hit = _is(buf, at, b"!") & _is(buf, at - 1, b"\\")
        found += hit
        ss = np.where(hit, at, ss)
    ok &= found == 1
    ss = np.where(ok, ss, e - 46)
    ok &= _UPPER[buf[ss + 1]] & _UPPER[buf[ss + 2]] & _is(buf, ss + 3, b"V") & _is(buf, ss + 4, b"D")
    ok &= _is(buf, ss + 5, b"M") | _is(buf, ss + 5, b"O")
    for k, char in enumerate(b",1,1,"):
        ok &= buf[ss + 6 + k] == char
    # sequence id and channel: "," | "d," | ",c" | "d,c" between ss + 11 and e - 34
    field = (e - 34) - (ss + 11)
    a, b, c = buf[ss + 11], buf[ss + 12], buf[ss + 13]
    comma = ord(",")
    ok &= (
        ((field == 1) & (a == comma))
        | ((field == 2) & _DIGIT[a] & (b == comma))
        | ((field == 2) & (a == comma) & _CHANNEL[b])
        | ((field == 3) & _DIGIT[a] & (b == comma) & _CHANNEL[c])
    )
    px = np.zeros(buf.size + 1, dtype=np.uint8)
    np.bitwise_xor.accumulate(buf, out=px[1:])
    ok &= _xor(px, ss + 1, e - 3) == given
    # tag block: "\" body "*hh" "\" with no other backslash, body one of three forms
    be = ss - 4  # end of the tag body (its "*")
    ok &= _is(buf, be, b"*")
    tag_given = _hex2(buf, be + 1)
    ok &= (tag_given >= 0) & (_xor(px, s0 + 1, be) == tag_given)
    body_len = be - (s0 + 1)
    c_first = _is(buf, s0 + 1, b"c") & _is(buf, s0 + 2, b":")
    c_only = c_first & (body_len == 12)
    c_then_s = (
        c_first
        & (body_len >= 16)
        & _is(buf, s0 + 13, b",")
        & _is(buf, s0 + 14, b"s")
        & _is(buf, s0 + 15, b":")
    )
    s_then_c = (
        _is(buf, s0 + 1, b"s")
        & _is(buf, s0 + 2, b":")
        & (body_len >= 16)
        & _is(buf, be - 13, b",")
        & _is(buf, be - 12, b"c")
        & _is(buf, be - 11, b":")
    )
    ok &= c_only | c_then_s | s_then_c
    digits_at = np.where(s_then_c, be - 10, s0 + 3)
    digits_ok, seconds = _digits10(buf, digits_at)
    ts_us = seconds * US_PER_S
    ok &= digits_ok & (ts_us >= EARLIEST_TS_US) & (ts_us < LATEST_TS_US)
    station_start = np.where(s_then_c, s0 + 3, s0 + 16)
    station_stop = np.where(s_then_c, be - 13, be)
    has_station = ~c_only
    station_len = station_stop - station_start
    inside = np.arange(MAX_STATION_CHARS) < np.clip(station_len, 0, MAX_STATION_CHARS)[:, None]
    station_chars = buf[np.clip(station_start, 0, None)[:, None] + np.arange(MAX_STATION_CHARS)]
    station_ok = (station_len > 0) & (station_len <= MAX_STATION_CHARS)
    station_ok &= ~(_STATION_BAD[station_chars] & inside).any(axis=1)
    ok &= ~has_station | station_ok
    # payload
    chars = buf[(e - 33)[:, None] + np.arange(PAYLOAD_CHARS)]
    ok &= _ARMOUR[chars].all(axis=1)
    keep = np.flatnonzero(ok)
    chars = chars[keep]
    fields = decode_position_fields(chars, _TABLE_FIELDS)
    msg_type = fields["a_msg_type"]
    is_b = msg_type == 18
    msg_type_ok = (msg_type >= 1) & (msg_type <= 3) | is_b

    def pick(name: str) -> npt.NDArray[Any]:
        return np.where(is_b, fields["b_" + name], fields["a_" + name])

    lon, lat = pick("lon"), pick("lat")
    valid = msg_type_ok & (lat >= -90.0) & (lat <= 90.0) & (lon >= -180.0) & (lon <= 180.0)
    sel = keep[valid]
    rows = np.flatnonzero(valid)
    speed = pick("speed")[rows].astype(np.float64)
    course = pick("course")[rows].astype(np.float64)
    heading = pick("heading")[rows].astype(np.int64)
    return FastLines(
        pos=cand[sel],
        ts_us=ts_us[sel],
        msg_type=msg_type[rows].astype(np.int64),
        mmsi=fields["a_mmsi"][rows].astype(np.int64),
        lon=lon[rows].astype(np.float64),
        lat=lat[rows].astype(np.float64),
        speed=np.where(speed >= 102.3 - 1e-6, np.nan, speed),
        course=np.where(course >= 360.0, np.nan, course),
        heading=np.where(heading > 359, -1, heading),
        status=np.where(is_b[rows], -1, fields["a_status"][rows]).astype(np.int64),
        station=_strings(buf, station_start[sel], station_stop[sel], has_station[sel]),
        keys=np.ascontiguousarray(chars[rows]).view(f"S{PAYLOAD_CHARS}").ravel().tolist(),
    )
