r"""Vectorised recognition and decoding of the common AIS lines: position reports and static data.

Scope
-----
The fast path takes only lines it recognises with certainty, byte for byte.  Every such line
has a single NMEA 4.0 tag block (IEC 61162-1 Annex) whose body is ``c:<10 digits>``,
``s:<station>,c:<10 digits>`` or ``c:<10 digits>,s:<station>`` (station of 1 to 32 letters,
digits, ``_ - . /``), a correct tag-block checksum over the whole body, a receive time inside
:func:`mda.decode.batch.valid_ts`, then ``!<tt>VD<M|O>,<count>,<number>,<seq>,<chan>,<payload>,<fill>*hh``
with talker two upper-case letters, sequence id empty or one digit, channel empty or one
letter or digit, a correct sentence checksum and nothing after it.  Of those lines it decodes:

* **types 1, 2, 3 and 18** (ITU-R M.1371-5 §3.1, §3.17): one sentence, 28 payload characters
  (168 bits), no fill bits, a valid position;
* **type 24 parts A and B** (§3.23): one sentence, 28 characters without fill bits or 27
  with 2, part number 0 or 1 (part B of an auxiliary craft, MMSI ``98MIDxxxx``, has no
  dimensions, as in pyais);
* **type 5** (§3.4): fragment 1 of 2 (no fill bits) *directly followed on the next line of the
  same chunk* by fragment 2 of 2 (2 fill bits) with the same talker, sentence type, sequence
  id, channel and tag-block station (or both without one), 71 characters together; its time
  and station are those of the first line.

Every other line (other types, longer messages, fragments not on consecutive lines, no tag
block, ``g:`` groups, USCG trailers, Gatehouse wrappers, anything malformed, positions not
available) is left to the pyais path, which decides its outcome as before.  The decoder
(:mod:`mda.decode.nmea`) may still hand a recognised type 5 pair back to pyais.

Lines come either as a list (:func:`scan_lines`) or as one buffer of whole lines
(:func:`split_buffer` then :func:`scan_buffer`), where each line is only a pair of offsets.
Each decoded message carries its armoured payload as a fixed-width byte string: the key the
decoder's duplicate detection compares exactly.

Algorithm
---------
The chunk's lines are one buffer; line ends come from ``np.flatnonzero``.  The sentence
starts after the tag block's closing backslash (found with ``searchsorted`` on all
backslashes); the fields are found by fixed offsets from its start and from the line end.
Checksums (XOR of the bytes between the delimiter and ``*``) come from a prefix XOR over
the buffer: ``xor(a..b) = P[b] ^ P[a]``.  The 28 payload characters are de-armoured
(ITU-R M.1371-5 §8 / IEC 61162-1: ``v = c - 48``, minus 8 more above 40) into four 42-bit
words, from which every field is cut by bit offset; static payloads are cut from their 6-bit
values, text through the Table 47 alphabet with trailing ``@`` and spaces and leading spaces
removed (as pyais and :func:`mda.decode.rows.text` do).  Values follow pyais 3.3.1 exactly:
speed and course ``v / 10``, longitude and latitude ``((10 v + 3) // 6) / 1e6`` (pyais'
integer form of ``round(v / 600000, 6)``), signed fields in two's complement, rate of turn
``copysign(round((t / 4.733) ** 2), t)`` with 0, +-127 and -128 passed through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mda.decode.batch import EARLIEST_TS_US, LATEST_TS_US, US_PER_S

__all__ = [
    "FastLines",
    "FastScan",
    "FastStatic",
    "decode_position_fields",
    "decode_static_fields",
    "scan_buffer",
    "scan_lines",
    "split_buffer",
]

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
    keys : ndarray of bytes (``S28``)
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
    keys: npt.NDArray[np.bytes_]

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


#: pyais' 6-bit text alphabet (ITU-R M.1371-5 Table 47) as ASCII codes.
_SIXBIT_ASCII = np.frombuffer(
    b"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?", dtype=np.uint8
)
#: Armoured characters of a two-sentence type 5 message (424 bits and 2 fill bits).
TYPE5_CHARS = 71
_AUX_LOW, _AUX_HIGH = 980_000_000, 989_999_999  # pyais: auxiliary craft MMSI 98XXXYYYY


@dataclass(frozen=True)
class FastStatic:
    """Static messages (type 5 over two lines, type 24 parts A and B) the fast path decoded.

    Attributes
    ----------
    pos : ndarray of int64
        Index in the chunk of the line that completes the message (the last fragment).
    first : ndarray of int64
        Index in the chunk of the message's first line (``pos - 1`` for type 5, else ``pos``).
    ts_us : ndarray of int64
        Receive time of the first line, UTC microseconds since the epoch.
    msg_type, mmsi : ndarray of int64
        AIS message type (5 or 24) and MMSI.
    columns : dict of str to pyarrow.Array
        The :data:`mda.schemas.VESSEL_STATIC` value columns (``part`` to ``destination``),
        sentinels already NULL; dimensions in metres, draught in metres.
    station : pyarrow.StringArray
        Tag block ``s:`` per message, NULL when absent.
    keys : ndarray of bytes (``S71``)
        The concatenated armoured payload of the message's lines (the duplicate key; armour
        characters are never zero bytes, so the fixed-width padding cannot make keys equal).
    """

    pos: I64
    first: I64
    ts_us: I64
    msg_type: I64
    mmsi: I64
    columns: dict[str, pa.Array]  # type: ignore[type-arg]
    station: pa.StringArray
    keys: npt.NDArray[np.bytes_]

    def __len__(self) -> int:
        return int(self.pos.size)


@dataclass(frozen=True)
class FastScan:
    """What the fast path decoded from one chunk: position reports and static messages."""

    positions: FastLines
    static: FastStatic


def _six(chars: U8) -> I64:
    six = chars.astype(np.int64) - 48
    return np.where(six > 40, six - 8, six)


def _field(six: I64, offset: int, width: int) -> I64:
    """Unsigned ``width``-bit field at bit ``offset`` of de-armoured payloads ``six`` (n, k)."""
    c0, c1 = offset // 6, (offset + width - 1) // 6
    acc = np.zeros(six.shape[0], dtype=np.int64)
    for c in range(c0, c1 + 1):
        acc = (acc << 6) | six[:, c]
    shift = 6 * (c1 - c0 + 1) - (offset - 6 * c0) - width
    return (acc >> shift) & ((1 << width) - 1)


def _text(six: I64, offset: int, width: int, present: Mask) -> pa.StringArray:
    """Decode 6-bit text as pyais does (``rstrip('@')``, ``strip()``), then as ``rows.text``.

    Trailing ``@`` and spaces and leading spaces are removed; empty text is NULL, as is every
    row where ``present`` is False.
    """
    c0 = offset // 6
    k = width // 6
    if offset % 6:
        codes = np.stack([_field(six, offset + 6 * j, 6) for j in range(k)], axis=1)
    else:
        codes = six[:, c0 : c0 + k]
    chars = _SIXBIT_ASCII[codes]
    n = chars.shape[0]
    cols = np.arange(k)
    tail = (chars == ord("@")) | (chars == ord(" "))
    keep_upto = np.where(~tail, cols + 1, 0).max(axis=1, initial=0)
    lead = np.where(chars != ord(" "), cols, k).min(axis=1, initial=k)
    stop = keep_upto
    start = np.minimum(lead, stop)
    valid = present & (stop > start)
    length = np.where(valid, stop - start, 0)
    inside = (cols >= start[:, None]) & (cols < stop[:, None]) & valid[:, None]
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(length, out=offsets[1:])
    data = np.ascontiguousarray(chars[inside])
    return pa.StringArray.from_buffers(
        n,
        pa.py_buffer(offsets.tobytes()),
        pa.py_buffer(data.tobytes()),
        pa.array(valid).buffers()[1],
        int((~valid).sum()),
    )


def _int_column(values: I64, valid: Mask, dtype: type[np.generic], arrow_type: pa.DataType) -> pa.Array:  # type: ignore[type-arg]
    return pa.array(values.astype(dtype), type=arrow_type, mask=~valid)


def decode_static_fields(six5: I64, six24: I64) -> tuple[dict[str, pa.Array], dict[str, pa.Array]]:  # type: ignore[type-arg]
    """Static-table columns of type 5 (424-bit) and type 24 (160/168-bit) payloads, as pyais.

    Parameters
    ----------
    six5 : ndarray of int64, shape (n5, 71)
        De-armoured 6-bit values of complete type 5 payloads.
    six24 : ndarray of int64, shape (n24, 27 or more)
        De-armoured 6-bit values of type 24 payloads (part number 0 or 1 only).

    Returns
    -------
    tuple of dict
        For type 5 and for type 24: :data:`mda.schemas.VESSEL_STATIC` columns ``part`` to
        ``destination`` with the rules of :func:`mda.decode.rows.static_row` (IMO 0, ship type
        0 and draught 0 NULL; dimensions in metres; draught in metres, tenths decoded).
    """
    n5 = six5.shape[0]
    yes5 = np.ones(n5, dtype=np.bool_)
    imo = _field(six5, 40, 30)
    ship_type = _field(six5, 232, 8)
    draught = _field(six5, 294, 8)
    t5: dict[str, pa.Array] = {  # type: ignore[type-arg]
        "part": pa.nulls(n5, pa.int8()),
        "imo": _int_column(imo, (imo >= 1) & (imo <= 999_999_999), np.int32, pa.int32()),
        "callsign": _text(six5, 70, 42, yes5),
        "shipname": _text(six5, 112, 120, yes5),
        "ship_type": _int_column(ship_type, ship_type >= 1, np.int16, pa.int16()),
        "to_bow": _int_column(_field(six5, 240, 9), yes5, np.int16, pa.int16()),
        "to_stern": _int_column(_field(six5, 249, 9), yes5, np.int16, pa.int16()),
        "to_port": _int_column(_field(six5, 258, 6), yes5, np.int16, pa.int16()),
        "to_starboard": _int_column(_field(six5, 264, 6), yes5, np.int16, pa.int16()),
        "draught": pa.array((draught / 10.0).astype(np.float32), mask=draught <= 0),
        "destination": _text(six5, 302, 120, yes5),
    }
    n24 = six24.shape[0]
    part = _field(six24, 38, 2) if n24 else np.zeros(0, dtype=np.int64)
    is_a, is_b = part == 0, part == 1
    mmsi = _field(six24, 8, 30) if n24 else part
    dims = is_b & ~((mmsi >= _AUX_LOW) & (mmsi <= _AUX_HIGH))
    if n24:
        b_type = _field(six24, 40, 8)
        bow, stern = _field(six24, 132, 9), _field(six24, 141, 9)
        port, starboard = _field(six24, 150, 6), _field(six24, 156, 6)
    else:
        b_type = bow = stern = port = starboard = part
    t24: dict[str, pa.Array] = {  # type: ignore[type-arg]
        "part": pa.array(part.astype(np.int8), type=pa.int8()),
        "imo": pa.nulls(n24, pa.int32()),
        "callsign": _text(six24, 90, 42, is_b),
        "shipname": _text(six24, 40, 120, is_a),
        "ship_type": _int_column(b_type, is_b & (b_type >= 1), np.int16, pa.int16()),
        "to_bow": _int_column(bow, dims, np.int16, pa.int16()),
        "to_stern": _int_column(stern, dims, np.int16, pa.int16()),
        "to_port": _int_column(port, dims, np.int16, pa.int16()),
        "to_starboard": _int_column(starboard, dims, np.int16, pa.int16()),
        "draught": pa.nulls(n24, pa.float32()),
        "destination": pa.nulls(n24, pa.string()),
    }
    return t5, t24


def split_buffer(data: bytes, strip_cr: bool) -> tuple[bytes, U8, I64, I64]:
    """Pad a buffer of whole lines and find each line's content ``[start, end)``.

    Parameters
    ----------
    data : bytes
        Lines each ending in a line feed (the last one may lack it).
    strip_cr : bool
        Leave trailing carriage returns out of the content, as the line reader does.

    Returns
    -------
    tuple
        The padded bytes, the same as a uint8 array, and the start and end offsets (int64)
        of every line's content in it.
    """
    if data and not data.endswith(b"\n"):
        data += b"\n"
    padded = b"\0" * _PAD + data + b"\0" * (2 * _PAD)  # look-ahead past a short last line stays inside
    buf = np.frombuffer(padded, dtype=np.uint8)
    newlines = np.flatnonzero(buf == 10).astype(np.int64)
    starts = np.empty(newlines.size, dtype=np.int64)
    starts[:1] = _PAD
    starts[1:] = newlines[:-1] + 1
    ends = newlines.copy()
    if strip_cr:
        while True:
            cr = np.flatnonzero((ends > starts) & (buf[ends - 1] == 13))
            if not cr.size:
                break
            ends[cr] -= 1
    return padded, buf, starts, ends


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
    _, buf, starts, ends = split_buffer(b"\n".join(raws) + b"\n", strip_cr=False)
    if ends.size != len(raws):
        return None
    return scan_buffer(buf, starts, ends).positions


def scan_buffer(buf: U8, starts: I64, ends: I64) -> FastScan:
    """Recognise and decode the lines the fast path takes with certainty.

    Parameters
    ----------
    buf : ndarray of uint8
        The chunk's bytes, preceded by at least 64 zero bytes (see :func:`split_buffer`).
    starts, ends : ndarray of int64
        Offsets of each line's content ``[start, end)`` in ``buf``, in file order.

    Returns
    -------
    FastScan
        One-sentence position reports (types 1, 2, 3, 18), single-sentence type 24 parts A
        and B and two-sentence type 5 messages on consecutive lines (see the module docstring).
    """
    length = ends - starts
    cand = np.flatnonzero((length >= 40) & (length <= 400) & (buf[starts] == 92))
    e, s0 = ends[cand], starts[cand]
    backslashes = np.append(np.flatnonzero(buf == 92).astype(np.int64), buf.size)
    closing = backslashes[np.searchsorted(backslashes, s0, "right")]
    ok = closing < e - 24
    ss = np.where(ok, closing + 1, e - 24)
    ok &= _is(buf, e - 3, b"*") & _is(buf, e - 5, b",") & _is(buf, ss, b"!")
    fill = buf[e - 4].astype(np.int64) - 48
    ok &= (fill >= 0) & (fill <= 5)
    given = _hex2(buf, e - 2)
    ok &= given >= 0
    ok &= _UPPER[buf[ss + 1]] & _UPPER[buf[ss + 2]] & _is(buf, ss + 3, b"V") & _is(buf, ss + 4, b"D")
    ok &= _is(buf, ss + 5, b"M") | _is(buf, ss + 5, b"O")
    count = buf[ss + 7].astype(np.int64) - 48
    number = buf[ss + 9].astype(np.int64) - 48
    ok &= _is(buf, ss + 6, b",") & _is(buf, ss + 8, b",") & _is(buf, ss + 10, b",")
    ok &= ((count == 1) & (number == 1)) | ((count == 2) & ((number == 1) | (number == 2)))
    # sequence id and channel: "," | "d," | ",c" | "d,c", then "," and the payload
    a, b, c, d = buf[ss + 11], buf[ss + 12], buf[ss + 13], buf[ss + 14]
    comma = ord(",")
    f_none = (a == comma) & (b == comma)
    f_seq = _DIGIT[a] & (b == comma) & (c == comma)
    f_chan = (a == comma) & _CHANNEL[b] & (c == comma)
    f_both = _DIGIT[a] & (b == comma) & _CHANNEL[c] & (d == comma)
    ok &= f_none | f_seq | f_chan | f_both
    pstart = ss + np.where(f_none, 13, np.where(f_seq | f_chan, 14, 15))
    seq = np.where(f_seq | f_both, a, 0)
    chan = np.where(f_chan, b, np.where(f_both, c, 0))
    plen = (e - 5) - pstart
    ok &= (plen >= 1) & (plen <= 80)
    px = np.zeros(buf.size + 1, dtype=np.uint8)
    np.bitwise_xor.accumulate(buf, out=px[1:])
    ok &= _xor(px, ss + 1, e - 3) == given
    # tag block: "\" body "*hh" "\" (no other backslash), body one of three forms
    be = ss - 4
    ok &= _is(buf, be, b"*")
    tag_given = _hex2(buf, be + 1)
    ok &= (tag_given >= 0) & (_xor(px, s0 + 1, be) == tag_given)
    del px
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
    ts_all = seconds * US_PER_S
    ok &= digits_ok & (ts_all >= EARLIEST_TS_US) & (ts_all < LATEST_TS_US)
    station_start = np.where(s_then_c, s0 + 3, s0 + 16)
    station_stop = np.where(s_then_c, be - 13, be)
    has_station = ~c_only
    station_len = np.where(has_station, station_stop - station_start, 0)
    inside = np.arange(MAX_STATION_CHARS) < np.clip(station_len, 0, MAX_STATION_CHARS)[:, None]
    station_chars = buf[np.clip(station_start, 0, None)[:, None] + np.arange(MAX_STATION_CHARS)]
    station_chars = np.where(inside, station_chars, 0)
    station_ok = (station_len > 0) & (station_len <= MAX_STATION_CHARS)
    station_ok &= ~(_STATION_BAD[station_chars] & inside).any(axis=1)
    ok &= ~has_station | station_ok
    first_char = buf[np.where(ok, pstart, 0)]
    ok &= _ARMOUR[first_char]

    def station_of(rows: npt.NDArray[np.intp]) -> pa.StringArray:
        return _strings(buf, station_start[rows], station_stop[rows], has_station[rows])

    single = ok & (count == 1)
    positions = _positions(
        buf, cand, pstart, ts_all, station_of, np.flatnonzero(single & (plen == 28) & (fill == 0))
    )
    static = _static(
        buf,
        cand,
        pstart,
        plen,
        fill,
        ts_all,
        station_of,
        single,
        ok & (count == 2),
        number,
        seq,
        chan,
        ss,
        station_len,
        station_chars,
    )
    return FastScan(positions, static)


def _gather(buf: U8, at: I64, width: int) -> U8:
    return buf[at[:, None] + np.arange(width)]


def _positions(
    buf: U8, cand: I64, pstart: I64, ts_all: I64, station_of: Any, rows: npt.NDArray[np.intp]
) -> FastLines:
    chars = _gather(buf, pstart[rows], PAYLOAD_CHARS)
    armour = _ARMOUR[chars].all(axis=1)
    rows, chars = rows[armour], chars[armour]
    fields = decode_position_fields(chars, _TABLE_FIELDS)
    msg_type = fields["a_msg_type"]
    is_b = msg_type == 18
    msg_type_ok = (msg_type >= 1) & (msg_type <= 3) | is_b

    def pick(name: str) -> npt.NDArray[Any]:
        return np.where(is_b, fields["b_" + name], fields["a_" + name])

    lon, lat = pick("lon"), pick("lat")
    valid = msg_type_ok & (lat >= -90.0) & (lat <= 90.0) & (lon >= -180.0) & (lon <= 180.0)
    sel = rows[valid]
    keep = np.flatnonzero(valid)
    speed = pick("speed")[keep].astype(np.float64)
    course = pick("course")[keep].astype(np.float64)
    heading = pick("heading")[keep].astype(np.int64)
    return FastLines(
        pos=cand[sel],
        ts_us=ts_all[sel],
        msg_type=msg_type[keep].astype(np.int64),
        mmsi=fields["a_mmsi"][keep].astype(np.int64),
        lon=lon[keep].astype(np.float64),
        lat=lat[keep].astype(np.float64),
        speed=np.where(speed >= 102.3 - 1e-6, np.nan, speed),
        course=np.where(course >= 360.0, np.nan, course),
        heading=np.where(heading > 359, -1, heading),
        status=np.where(is_b[keep], -1, fields["a_status"][keep]).astype(np.int64),
        station=station_of(sel),
        keys=np.ascontiguousarray(chars[keep]).view(f"S{PAYLOAD_CHARS}").ravel(),
    )


def _static(
    buf: U8,
    cand: I64,
    pstart: I64,
    plen: I64,
    fill: I64,
    ts_all: I64,
    station_of: Any,
    single: Mask,
    double: Mask,
    number: I64,
    seq: npt.NDArray[Any],
    chan: npt.NDArray[Any],
    ss: I64,
    station_len: I64,
    station_chars: U8,
) -> FastStatic:
    # type 24: one sentence, 28 characters without fill bits or 27 with 2, part A or B
    t24 = np.flatnonzero(single & (((plen == 28) & (fill == 0)) | ((plen == 27) & (fill == 2))))
    chars24 = _gather(buf, pstart[t24], 28)
    chars24 = np.where(np.arange(28) < plen[t24][:, None], chars24, ord("0"))
    armour = _ARMOUR[chars24].all(axis=1)
    six24 = _six(chars24)
    part = _field(six24, 38, 2)
    good = armour & (_field(six24, 0, 6) == 24) & (part <= 1)
    t24, chars24, six24 = t24[good], chars24[good], six24[good]
    # type 5: fragment 1 (no fill bits) directly followed by fragment 2 (2 fill bits) of the
    # same talker, sentence type, sequence id, channel and station; 71 characters together
    first = np.flatnonzero(double & (number == 1) & (fill == 0))
    first = first[first + 1 < cand.size]
    second = first + 1
    pair = (
        double[second]
        & (number[second] == 2)
        & (cand[second] == cand[first] + 1)
        & (fill[second] == 2)
        & (plen[first] + plen[second] == TYPE5_CHARS)
        & (seq[first] == seq[second])
        & (chan[first] == chan[second])
        & (station_len[first] == station_len[second])
        & (station_chars[first] == station_chars[second]).all(axis=1)
    )
    for j in range(1, 6):
        pair &= buf[ss[first] + j] == buf[ss[second] + j]
    first, second = first[pair], second[pair]
    k = np.arange(TYPE5_CHARS)
    split = plen[first][:, None]
    at = np.where(k < split, pstart[first][:, None] + k, pstart[second][:, None] + k - split)
    chars5 = buf[at] if first.size else np.zeros((0, TYPE5_CHARS), dtype=np.uint8)
    six5 = _six(chars5)
    good5 = _ARMOUR[chars5].all(axis=1) & (_field(six5, 0, 6) == 5)
    first, second, chars5, six5 = first[good5], second[good5], chars5[good5], six5[good5]
    columns5, columns24 = decode_static_fields(six5, six24)
    keys24 = np.where(np.arange(28) < plen[t24][:, None], chars24, 0).astype(np.uint8)
    keys24 = np.ascontiguousarray(keys24).view("S28").ravel()
    pos = np.concatenate([cand[second], cand[t24]])
    order = np.argsort(pos, kind="stable")
    columns = {name: pa.concat_arrays([columns5[name], columns24[name]]).take(order) for name in columns5}
    keys = np.concatenate([np.ascontiguousarray(chars5).view(f"S{TYPE5_CHARS}").ravel(), keys24])
    line_first = np.concatenate([first, t24])
    return FastStatic(
        pos=pos[order],
        first=cand[line_first][order],
        ts_us=ts_all[line_first][order],
        msg_type=np.concatenate([np.full(first.size, 5), np.full(t24.size, 24)]).astype(np.int64)[order],
        mmsi=np.concatenate([_field(six5, 8, 30), _field(six24, 8, 30)]).astype(np.int64)[order],
        columns=columns,
        station=station_of(line_first[order]),
        keys=keys[order].astype(f"S{TYPE5_CHARS}"),
    )
