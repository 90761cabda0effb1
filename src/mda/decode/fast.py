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
Each decoded message carries its armoured payload as zero-padded 64-bit words: the key the
decoder's duplicate detection compares exactly (layout of :mod:`mda.decode.seen`).

Algorithm
---------
The chunk's lines are one buffer (zero-padded to whole 64-bit words); line ends come from
``np.flatnonzero``.  The sentence starts after the tag block's closing backslash (found with
``searchsorted`` on all backslashes).  Every fixed-position field is read from a few
fixed-width windows gathered once per line (``sliding_window_view`` rows): the sentence's
first 15 bytes, its last 5 (fill bits and checksum), the tag block's first 16 and last 16
bytes, and the station.  Short per-line reductions (10 time digits, station characters) run
on transposed ``(width, n)`` arrays, where NumPy reduces fast.  Checksums (XOR of the bytes
between the delimiter and ``*``) come from a prefix XOR over the buffer's 64-bit words:
``xor(a..b) = P[b // 8] ^ P[a // 8]``, corrected by the bytes of the two boundary words and
folded to one byte.  The message type is read from the payload's first character before any
decoding, so each kind of message is decoded only on its own lines.

Position payloads (28 characters) are de-armoured (ITU-R M.1371-5 §8 / IEC 61162-1:
``v = c - 48``, minus 8 more above 40) column by column in uint8; each table field is cut
from the characters spanning it in both the class A and the class B layout (class B fields
from speed on sit 4 bits earlier), shifted right per row.  Static payloads are cut from their
6-bit values, text through the Table 47 alphabet with trailing ``@`` and spaces and leading
spaces removed (as pyais and :func:`mda.decode.rows.text` do).  Values follow pyais 3.3.1
exactly: speed and course ``v / 10``, longitude and latitude ``((10 v + 3) // 6) / 1e6``
(pyais' integer form of ``round(v / 600000, 6)``), signed fields in two's complement, rate of
turn ``copysign(round((t / 4.733) ** 2), t)`` with 0, +-127 and -128 passed through.
Arrow columns are built from the NumPy buffers (:mod:`mda.decode.arrays`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mda.decode import arrays
from mda.decode.batch import EARLIEST_TS_US, LATEST_TS_US, US_PER_S
from mda.decode.seen import KEY_BYTES

__all__ = [
    "FastLines",
    "FastScan",
    "FastStatic",
    "Stations",
    "dearmour",
    "decode_position_fields",
    "decode_static_fields",
    "pad_buffer",
    "scan_buffer",
    "scan_lines",
    "split_buffer",
    "station_char",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U8 = npt.NDArray[np.uint8]
U64 = npt.NDArray[np.uint64]
Mask = npt.NDArray[np.bool_]

#: Characters of a one-sentence position report payload (168 bits, no fill bits).
PAYLOAD_CHARS = 28
_WORD = 42  # bits per de-armoured word: 7 characters of 6 bits
#: Longest tag block ``s:`` station the fast path takes, in characters.
MAX_STATION_CHARS = 32
_PAD = 64  # zero bytes before the buffer so look-behind offsets never go negative
_ZEROS = bytes(2 * _PAD + 8)  # the longest run of zero bytes pad_buffer puts around a buffer

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
_ARMOUR = _table(bytes(range(48, 88)) + bytes(range(96, 120)))
_HEX = np.full(256, -1, dtype=np.int16)
for _i, _c in enumerate(b"0123456789ABCDEF"):
    _HEX[_c] = _i
for _i, _c in enumerate(b"abcdef"):
    _HEX[_c] = 10 + _i


_TABLE_FIELDS = frozenset({"msg_type", "mmsi", "status", "speed", "lon", "lat", "course", "heading"})


@dataclass(frozen=True)
class Stations:
    """The tag block ``s:`` of each row, as fixed-width characters; strings are built on demand.

    Attributes
    ----------
    chars : ndarray of uint8, shape (n, width)
        Each row's station characters, then zero bytes (a station never holds a zero byte).
    length : ndarray of int64
        Characters of each row's station; 0 where the line has none (NULL).
    """

    chars: U8
    length: I64

    def take(self, rows: npt.NDArray[np.intp] | None = None) -> pa.StringArray:
        """Stations of ``rows`` (all rows when omitted) as Arrow strings, NULL where absent."""
        chars, length = (
            (self.chars, self.length)
            if rows is None
            else (np.take(self.chars, rows, axis=0), self.length[rows])
        )
        offsets = np.zeros(length.size + 1, dtype=np.int32)
        np.cumsum(length, out=offsets[1:])
        data = np.ascontiguousarray(chars[chars != 0])
        bitmap, nulls = arrays.validity(length > 0)
        return pa.StringArray.from_buffers(
            int(length.size), arrays.buffer(offsets), arrays.buffer(data), bitmap, nulls
        )


@dataclass(frozen=True)
class FastLines:
    """Lines of one chunk the fast path decoded (positions in the chunk, in order).

    Attributes
    ----------
    pos : ndarray of int64
        Index of each recognised line in the chunk, increasing.
    ts_us : ndarray of int64
        Receive time (tag block ``c:``), UTC microseconds since the epoch.
    msg_type : ndarray of int8
        AIS message type (1, 2, 3 or 18).
    mmsi : ndarray of int32
        MMSI.
    lon, lat : ndarray of float64
        Position, degrees WGS84, exactly as pyais returns it (always valid here).
    speed, course : ndarray of float32
        Speed over ground (knots) and course over ground (degrees), pyais' float64 value
        rounded to float32; NaN when not available.
    heading : ndarray of int16
        True heading (degrees); -1 when not available.
    status : ndarray of int8
        Navigational status (class A); -1 for class B.
    stations : Stations
        Tag block ``s:`` per line (NULL when absent); :attr:`station` as Arrow strings.
    keys : ndarray of uint64, shape (n, 4)
        The armoured payload of each line (the duplicate-detection key the pyais path uses),
        zero-padded to 32 bytes and read as little-endian 64-bit words (the layout of
        :mod:`mda.decode.seen`).
    """

    pos: I64
    ts_us: I64
    msg_type: npt.NDArray[np.int8]
    mmsi: npt.NDArray[np.int32]
    lon: F64
    lat: F64
    speed: npt.NDArray[np.float32]
    course: npt.NDArray[np.float32]
    heading: npt.NDArray[np.int16]
    status: npt.NDArray[np.int8]
    stations: Stations
    keys: npt.NDArray[np.uint64]

    def __len__(self) -> int:
        return int(self.pos.size)

    @property
    def station(self) -> pa.StringArray:
        """Tag block ``s:`` per line as Arrow strings, NULL when absent."""
        return self.stations.take()


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


def _xor_prefix(buf: U8) -> tuple[U64, U64]:
    """The buffer as little-endian 64-bit words and their prefix XOR (``prefix[k]`` = words < k)."""
    words = buf.view("<u8")
    prefix = np.zeros(words.size + 1, dtype=np.uint64)
    np.bitwise_xor.accumulate(words, out=prefix[1:])
    return words.astype(np.uint64, copy=False), prefix


#: ``_LOW_BYTES[k]``: mask of the low ``k`` bytes of a 64-bit word.
_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(8)], dtype=np.uint64)


def _xor(words: U64, prefix: U64, start: I64, stop: I64) -> U8:
    """XOR of the buffer bytes ``[start, stop)`` of every row, from the word prefix XOR.

    The whole words ``[start // 8, stop // 8)`` come from the prefix; the bytes of the first
    word before ``start`` are XORed out and those of the last word before ``stop`` in
    (little-endian: the byte at the lowest address is the lowest), then the eight byte lanes
    are folded into one.
    """
    a, b = start >> 3, stop >> 3
    x = prefix[b] ^ prefix[a] ^ (words[a] & _LOW_BYTES[start & 7]) ^ (words[b] & _LOW_BYTES[stop & 7])
    x ^= x >> np.uint64(32)
    x ^= x >> np.uint64(16)
    x ^= x >> np.uint64(8)
    out: U8 = (x & np.uint64(0xFF)).astype(np.uint8)
    return out


def _hex2(hi: U8, lo: U8) -> npt.NDArray[np.int16]:
    """Value of two hexadecimal digit characters; -1 when either is not one."""
    h, l_ = _HEX[hi], _HEX[lo]
    return np.where((h < 0) | (l_ < 0), np.int16(-1), h * np.int16(16) + l_)


def _windows(buf: U8, width: int) -> U8:
    """Every run of ``width`` bytes of ``buf``: row ``i`` is ``buf[i:i + width]`` (a view)."""
    return np.lib.stride_tricks.sliding_window_view(buf, width)


def _strings(buf: U8, start: I64, stop: I64, present: Mask) -> pa.StringArray:
    """Arrow strings of the buffer slices ``[start, stop)``, NULL where not ``present``."""
    return arrays.slices(buf, start, stop, present)


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
    msg_type : ndarray of int8
        AIS message type (5 or 24).
    mmsi : ndarray of int32
        MMSI.
    columns : dict of str to pyarrow.Array
        The :data:`mda.schemas.VESSEL_STATIC` value columns (``part`` to ``destination``),
        sentinels already NULL; dimensions in metres, draught in metres.  Their rows are in
        decoding order: message ``i`` is row ``column_rows[i]``.
    column_rows : ndarray of int64
        Row of each message in ``columns``.
    station : pyarrow.StringArray
        Tag block ``s:`` per message, NULL when absent.
    keys : ndarray of uint64, shape (n, 9)
        The concatenated armoured payload of the message's lines (the duplicate key), zero-padded
        to 72 bytes and read as little-endian 64-bit words (the layout of :mod:`mda.decode.seen`;
        armour characters are never zero bytes, so the padding cannot make keys equal).
    """

    pos: I64
    first: I64
    ts_us: I64
    msg_type: npt.NDArray[np.int8]
    mmsi: npt.NDArray[np.int32]
    columns: dict[str, pa.Array]  # type: ignore[type-arg]
    column_rows: I64
    station: pa.StringArray
    keys: npt.NDArray[np.uint64]

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
    c0, r = divmod(offset, 6)
    k = width // 6
    # off the character grid, each code is the low 6 - r bits of one character, the high r of the next
    codes = (
        ((six[:, c0 : c0 + k] << r) | (six[:, c0 + 1 : c0 + k + 1] >> (6 - r))) & 63
        if r
        else six[:, c0 : c0 + k]
    )
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
        arrays.buffer(offsets),
        arrays.buffer(data),
        *arrays.validity(valid),
    )


def _int_column(values: I64, valid: Mask, dtype: type[np.generic], arrow_type: pa.DataType) -> pa.Array:  # type: ignore[type-arg]
    return arrays.numeric(values, dtype, arrow_type, valid)


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
        "draught": arrays.numeric((draught / 10.0).astype(np.float32), np.float32, pa.float32(), draught > 0),
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
        "part": arrays.numeric(part, np.int8, pa.int8()),
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
        The padded bytes (zero bytes before and after, a whole number of 64-bit words), the
        same as a uint8 array, and the start and end offsets (int64) of every line's content
        in it.
    """
    padded = pad_buffer(data)
    buf = np.frombuffer(padded, dtype=np.uint8)
    newlines = np.flatnonzero(buf == 10)
    starts = np.empty(newlines.size, dtype=np.int64)
    starts[:1] = _PAD
    starts[1:] = newlines[:-1] + 1
    ends = newlines.astype(np.int64)
    if strip_cr:
        while True:
            cr = np.flatnonzero((ends > starts) & (buf[ends - 1] == 13))
            if not cr.size:
                break
            ends[cr] -= 1
    return padded, buf, starts, ends


def pad_buffer(data: bytes) -> bytes:
    """The bytes :func:`split_buffer` works on: ``data`` ending in a line feed, zero-padded."""
    end = b"\n" if data and not data.endswith(b"\n") else b""
    tail = 2 * _PAD + (-len(data) - len(end)) % 8  # look-ahead past a short last line stays inside
    # one join, one copy (each "+" would copy the whole buffer into a fresh allocation)
    return b"".join((_ZEROS[:_PAD], data, end, _ZEROS[:tail]))


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


#: First payload character of the message types the fast path decodes (6-bit value + 48).
_FIRST_POSITION = _table(b"123B")  # types 1, 2, 3 and 18
_FIRST_TYPE24 = ord("H")
_FIRST_TYPE5 = ord("5")


def scan_buffer(buf: U8, starts: I64, ends: I64) -> FastScan:
    """Recognise and decode the lines the fast path takes with certainty.

    Parameters
    ----------
    buf : ndarray of uint8
        The chunk's bytes, preceded by at least 64 and followed by at least 128 zero bytes
        (see :func:`split_buffer`).
    starts, ends : ndarray of int64
        Offsets of each line's content ``[start, end)`` in ``buf``, in file order.

    Returns
    -------
    FastScan
        One-sentence position reports (types 1, 2, 3, 18), single-sentence type 24 parts A
        and B and two-sentence type 5 messages on consecutive lines (see the module docstring).
    """
    if buf.size % 8:
        buf = np.concatenate([buf, np.zeros(-buf.size % 8, dtype=np.uint8)])
    length = ends - starts
    cand = np.flatnonzero((length >= 40) & (length <= 400) & (buf[starts] == 92))
    e, s0 = ends[cand], starts[cand]
    backslashes = np.append(np.flatnonzero(buf == 92), buf.size)
    closing = backslashes[np.searchsorted(backslashes, s0, "right")]
    ok = closing < e - 24
    ss = np.where(ok, closing + 1, e - 24)
    # the sentence's first 15 bytes: "!ttVDM,c,n," then sequence id and channel
    head = _windows(buf, 15)[ss]
    # its last 5: "," fill "*" hh
    tail = _windows(buf, 5)[e - 5]
    ok &= (tail[:, 0] == 44) & (tail[:, 2] == 42) & (head[:, 0] == 33)
    fill = tail[:, 1] - np.uint8(48)  # wraps above 5 for any non-digit
    ok &= fill <= 5
    given = _hex2(tail[:, 3], tail[:, 4])
    ok &= given >= 0
    ok &= _UPPER[head[:, 1]] & _UPPER[head[:, 2]] & (head[:, 3] == 86) & (head[:, 4] == 68)
    ok &= (head[:, 5] == 77) | (head[:, 5] == 79)
    count = head[:, 7] - np.uint8(48)
    number = head[:, 9] - np.uint8(48)
    ok &= (head[:, 6] == 44) & (head[:, 8] == 44) & (head[:, 10] == 44)
    ok &= ((count == 1) & (number == 1)) | ((count == 2) & ((number == 1) | (number == 2)))
    # sequence id and channel: "," | "d," | ",c" | "d,c", then "," and the payload
    a, b, c, d = head[:, 11], head[:, 12], head[:, 13], head[:, 14]
    comma = 44
    f_none = (a == comma) & (b == comma)
    f_seq = _DIGIT[a] & (b == comma) & (c == comma)
    f_chan = (a == comma) & _CHANNEL[b] & (c == comma)
    f_both = _DIGIT[a] & (b == comma) & _CHANNEL[c] & (d == comma)
    ok &= f_none | f_seq | f_chan | f_both
    pstart = ss + 13 + (f_seq | f_chan) + 2 * f_both
    seq = np.where(f_seq | f_both, a, 0)
    chan = np.where(f_chan, b, np.where(f_both, c, 0))
    plen = (e - 5) - pstart
    ok &= (plen >= 1) & (plen <= 80)
    words, prefix = _xor_prefix(buf)
    ok &= _xor(words, prefix, ss + 1, e - 3) == given
    # tag block: "\" body "*hh" "\" (no other backslash), body one of three forms
    be = ss - 4
    tag_head = _windows(buf, 16)[s0]  # "\c:dddddddddd,s:" or "\s:..."
    tag_tail = _windows(buf, 16)[be - 13]  # ",c:dddddddddd*hh" at the end of "s:...,c:..."
    ok &= tag_tail[:, 13] == 42
    tag_given = _hex2(tag_tail[:, 14], tag_tail[:, 15])
    ok &= (tag_given >= 0) & (_xor(words, prefix, s0 + 1, be) == tag_given)
    del words, prefix
    body_len = be - (s0 + 1)
    c_first = (tag_head[:, 1] == 99) & (tag_head[:, 2] == 58)
    c_only = c_first & (body_len == 12)
    long_body = body_len >= 16
    c_then_s = (
        c_first & long_body & (tag_head[:, 13] == 44) & (tag_head[:, 14] == 115) & (tag_head[:, 15] == 58)
    )
    s_then_c = (tag_head[:, 1] == 115) & (tag_head[:, 2] == 58) & long_body
    s_then_c &= (tag_tail[:, 0] == 44) & (tag_tail[:, 1] == 99) & (tag_tail[:, 2] == 58)
    ok &= c_only | c_then_s | s_then_c
    # the 10 digits as rows (10, n): reductions over rows of a few bytes are slow in NumPy
    digits = np.empty((10, cand.size), dtype=np.uint8)
    np.copyto(digits, tag_head[:, 3:13].T)
    np.copyto(digits, tag_tail[:, 3:13].T, where=s_then_c)
    digits -= np.uint8(48)
    ok &= (digits <= 9).all(axis=0)
    seconds = digits[0].astype(np.int64)
    for k in range(1, 10):
        seconds *= 10
        seconds += digits[k]
    ts_all = seconds * US_PER_S
    ok &= (ts_all >= EARLIEST_TS_US) & (ts_all < LATEST_TS_US)
    station_start = np.where(s_then_c, s0 + 3, s0 + 16)
    station_stop = np.where(s_then_c, be - 13, be)
    has_station = ~c_only
    station_len = np.where(has_station, station_stop - station_start, 0)
    station_ok = (station_len > 0) & (station_len <= MAX_STATION_CHARS)
    width = max(1, int(station_len[ok & has_station & station_ok].max(initial=0)))
    station_ok &= station_len <= width
    # checked as rows (width, n), then kept as (n, width) with zero bytes after each station
    inside = np.arange(width)[:, None] < np.clip(station_len, 0, width)
    chars_t = np.ascontiguousarray(_windows(buf, width)[station_start].T)
    station_ok &= ~(inside & ~station_char(chars_t)).any(axis=0)
    chars_t *= inside
    station_chars = np.ascontiguousarray(chars_t.T)
    ok &= ~has_station | station_ok
    first_char = buf[pstart]
    ok &= _ARMOUR[first_char]
    stations = Stations(station_chars, station_len)

    single = ok & (count == 1)
    position_rows = np.flatnonzero(single & (plen == 28) & (fill == 0) & _FIRST_POSITION[first_char])
    positions = _positions(buf, cand, pstart, ts_all, stations, position_rows)
    static = _static(
        buf,
        cand,
        pstart,
        plen,
        fill,
        ts_all,
        stations,
        single & (first_char == _FIRST_TYPE24),
        ok & (count == 2),
        first_char,
        number,
        seq,
        chan,
        ss,
        station_len,
        station_chars,
    )
    return FastScan(positions, static)


def station_char(chars: U8) -> Mask:
    """Whether each byte may stand in a tag block station: letters, digits, ``_ - . /``."""
    # "-./0-9" are 45-57; letters of either case are 97-122 once bit 5 is set; "_" is 95
    good: Mask = (chars - np.uint8(45) <= 12) | ((chars | np.uint8(32)) - np.uint8(97) <= 25)
    good |= chars == 95
    return good


def dearmour(chars: U8) -> tuple[U8, Mask]:
    """6-bit values of armoured payload characters, and whether each is an armour character.

    Armour (ITU-R M.1371-5 §8) is bytes 48-87 and 96-119: ``v = c - 48``, minus 8 more above
    40.  Computed in uint8 arithmetic (a byte below 48 wraps above 72); the value of a byte
    that is not armour is meaningless.
    """
    six = chars - np.uint8(48)
    high = six >= 48
    valid: Mask = ((six < 40) | high) & (six < 72)
    six -= high.view(np.uint8) << 3
    return six, valid


def _gather(buf: U8, at: I64, width: int) -> U8:
    """Rows ``buf[at[i]:at[i] + width]`` (a copy)."""
    return _windows(buf, width)[at]


#: Characters (first, last) whose bits cover a field in both layouts (class A and class B, the
#: latter 4 bits earlier from speed on): type, MMSI, status, speed, lon, lat, course, heading.
_POSITION_SPANS = ((0, 0), (1, 6), (6, 6), (7, 9), (9, 14), (14, 19), (18, 21), (20, 22))


def _positions(
    buf: U8, cand: I64, pstart: I64, ts_all: I64, stations: Stations, rows: npt.NDArray[np.intp]
) -> FastLines:
    """Decode the one-sentence position reports of ``rows`` (types 1, 2, 3 and 18).

    Each field is cut from the characters spanning it in both layouts (:data:`_POSITION_SPANS`),
    shifted right by its distance from the span's end, 4 bits more for class B.
    """
    chars = _gather(buf, pstart[rows], 32)
    chars[:, PAYLOAD_CHARS:] = 0  # the duplicate key: the payload zero-padded to 32 bytes
    columns, valid = dearmour(np.ascontiguousarray(chars.T[:PAYLOAD_CHARS]))  # (28, n)
    armour = valid.all(axis=0)
    if not armour.all():
        rows, chars, columns = rows[armour], chars[armour], np.ascontiguousarray(columns[:, armour])
    acc = np.empty((len(_POSITION_SPANS), rows.size), dtype=np.int64)
    for k, (first, last) in enumerate(_POSITION_SPANS):
        acc[k] = columns[first]
        for c in range(first + 1, last + 1):
            acc[k] <<= 6
            acc[k] |= columns[c]
    msg_type = acc[0]
    is_b = msg_type == 18
    sb = is_b.astype(np.int64) << 2

    def cut(k: int, shift: int | I64, width: int) -> I64:
        value: I64 = (acc[k] >> shift) & ((1 << width) - 1)
        return value

    def signed(value: I64, width: int) -> I64:
        return value - ((value >> (width - 1)) << width)

    lon = _degrees(signed(cut(4, 1 + sb, 28), 28))
    lat = _degrees(signed(cut(5, 4 + sb, 27), 27))
    valid = (lat >= -90.0) & (lat <= 90.0) & (lon >= -180.0) & (lon <= 180.0)
    if not valid.all():
        keep = np.flatnonzero(valid)
        rows, chars, acc, is_b, sb, lon, lat = (
            rows[keep],
            chars[keep],
            acc[:, keep],
            is_b[keep],
            sb[keep],
            lon[keep],
            lat[keep],
        )
    speed = cut(3, sb, 10)
    course = cut(6, 4 + sb, 12)
    heading = cut(7, 1 + sb, 9)
    return FastLines(
        pos=cand[rows],
        ts_us=ts_all[rows],
        msg_type=acc[0].astype(np.int8),
        mmsi=cut(1, 4, 30).astype(np.int32),
        lon=lon,
        lat=lat,
        speed=np.where(speed == 1023, np.nan, speed / 10.0).astype(np.float32),
        course=np.where(course >= 3600, np.nan, course / 10.0).astype(np.float32),
        heading=np.where(heading > 359, -1, heading).astype(np.int16),
        status=np.where(is_b, -1, acc[2] & 15).astype(np.int8),
        stations=Stations(np.take(stations.chars, rows, axis=0), stations.length[rows]),
        keys=chars.view("<u8").astype(np.uint64, copy=False),
    )


def _static(
    buf: U8,
    cand: I64,
    pstart: I64,
    plen: I64,
    fill: U8,
    ts_all: I64,
    stations: Stations,
    single24: Mask,
    double: Mask,
    first_char: U8,
    number: U8,
    seq: npt.NDArray[Any],
    chan: npt.NDArray[Any],
    ss: I64,
    station_len: I64,
    station_chars: U8,
) -> FastStatic:
    # type 24: one sentence, 28 characters without fill bits or 27 with 2, part A or B
    t24 = np.flatnonzero(single24 & (((plen == 28) & (fill == 0)) | ((plen == 27) & (fill == 2))))
    chars24 = _gather(buf, pstart[t24], 28)
    chars24 = np.where(np.arange(28) < plen[t24][:, None], chars24, ord("0"))
    armour = _ARMOUR[chars24].all(axis=1)
    six24 = _six(chars24)
    part = _field(six24, 38, 2)
    good = armour & (_field(six24, 0, 6) == 24) & (part <= 1)
    t24, chars24, six24 = t24[good], chars24[good], six24[good]
    # type 5: fragment 1 (no fill bits) directly followed by fragment 2 (2 fill bits) of the
    # same talker, sentence type, sequence id, channel and station; 71 characters together
    first = np.flatnonzero(double & (number == 1) & (fill == 0) & (first_char == _FIRST_TYPE5))
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
    keys = np.zeros((first.size + t24.size, KEY_BYTES), dtype=np.uint8)
    keys[: first.size, :TYPE5_CHARS] = chars5
    keys[first.size :, :28] = np.where(np.arange(28) < plen[t24][:, None], chars24, 0)
    pos = np.concatenate([cand[second], cand[t24]])
    order = np.argsort(pos, kind="stable")
    columns = {name: pa.concat_arrays([columns5[name], columns24[name]]) for name in columns5}
    line_first = np.concatenate([first, t24])[order]
    return FastStatic(
        pos=pos[order],
        first=cand[line_first],
        ts_us=ts_all[line_first],
        msg_type=np.concatenate([np.full(first.size, 5), np.full(t24.size, 24)]).astype(np.int8)[order],
        mmsi=np.concatenate([_field(six5, 8, 30), _field(six24, 8, 30)]).astype(np.int32)[order],
        columns=columns,
        column_rows=order,
        station=stations.take(line_first),
        keys=keys[order].view("<u8").astype(np.uint64, copy=False),
    )
