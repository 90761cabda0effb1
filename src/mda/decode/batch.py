"""Line accounting and the Arrow batches every decoder returns, whatever the input format.

Each physical input line ends in exactly one of four outcomes, so a run can prove it read
everything: ``lines == decoded + duplicates + non_ais + rejected``.  Rows for the rejected,
non-AIS and duplicate lines go to the ``rejects`` table with a reason, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from mda import schemas
from mda.decode import arrays

#: Longest physical line accepted, in bytes (without the line terminator).  Longer lines are
#: rejected as ``line_too_long``; readers never hold more than this many bytes of one line.
MAX_LINE_BYTES = 64 * 1024

#: Characters of an over-long line kept in its reject row.
_TOO_LONG_KEPT = 1024

US_PER_S = 1_000_000

#: Arrow integer types and their NumPy types.
_INTS: dict[pa.DataType, type[np.generic]] = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.uint8(): np.uint8,
    pa.uint16(): np.uint16,
    pa.uint32(): np.uint32,
    pa.uint64(): np.uint64,
}

#: Receive times outside ``[EARLIEST_TS_US, LATEST_TS_US)`` (UTC, microseconds since the epoch)
#: are rejected as ``bad_timestamp``: AIS started in the 2000s, and later stages turn times into
#: Python datetimes, which end in year 9999.
EARLIEST_TS_US = int(dt.datetime(1990, 1, 1, tzinfo=dt.UTC).timestamp()) * US_PER_S
LATEST_TS_US = int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp()) * US_PER_S


@dataclass
class Accounting:
    """Line accounting for one source: ``lines == decoded + duplicates + non_ais + rejected``.

    Attributes
    ----------
    lines : int
        Physical lines read (for CSV archives the header line is one of them).
    decoded : int
        Lines that belong to a kept, decoded message.
    duplicates : int
        Lines of a message already decoded from another receiver within the dedup window.
    non_ais : int
        Lines that are not AIS: other NMEA sentences, ``#`` comments, CSV headers, JSON frames
        that carry no AIS message.
    rejected : Counter
        Rejected lines by reason (``not_ais`` and ``duplicate`` excluded).
    messages_by_type : Counter
        Decoded, kept messages by AIS message type (types that no table stores, such as base
        station reports, are counted here too).
    assumed_time : int
        Lines counted in ``decoded`` whose receive time is not in the data but was assumed:
        midnight (00:00:00 UTC) of the ``assume_date`` the caller gave.  Always 0 when no
        date was given.  Not part of the balance.
    truncated : str or None
        Why a compressed input ended early (the lines before the damage are counted), else
        None.
    """

    lines: int = 0
    decoded: int = 0
    duplicates: int = 0
    non_ais: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    messages_by_type: Counter[int] = field(default_factory=Counter)
    assumed_time: int = 0
    truncated: str | None = None

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
        self.assumed_time += other.assumed_time

    def summary(self) -> str:
        """One line: the balance with the reject reasons."""
        reasons = ", ".join(f"{k} {v:,}" for k, v in sorted(self.rejected.items())) or "none"
        assumed = f"; {self.assumed_time:,} with assumed time" if self.assumed_time else ""
        truncated = f"; TRUNCATED: {self.truncated}" if self.truncated else ""
        return (
            f"{self.lines:,} lines = {self.decoded:,} decoded + {self.duplicates:,} duplicates"
            f" + {self.non_ais:,} non-AIS + {self.rejected_total:,} rejected ({reasons}){assumed}{truncated}"
        )


@dataclass(frozen=True)
class DecodedBatch:
    """Arrow tables produced from one chunk of lines (schemas in :mod:`mda.schemas`).

    ``messages`` (schema :data:`mda.decode.messages.MESSAGES`) holds one row per kept message
    of any type when the decoder was asked for it (the ``mda decode`` export), else None.
    """

    positions: pa.Table
    static: pa.Table
    rejects: pa.Table
    messages: pa.Table | None = None


class Columns:
    """Column-wise row buffer for one Arrow schema."""

    def __init__(self, schema: pa.Schema) -> None:
        self.schema = schema
        self.cols: dict[str, list[Any]] = {name: [] for name in schema.names}

    def append(self, row: dict[str, Any]) -> None:
        """Add one row; keys missing from ``row`` become NULL."""
        for name, values in self.cols.items():
            values.append(row.get(name))

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0

    def take(self) -> pa.Table:
        """The buffered rows as a table (see :func:`column`); the buffer is emptied."""
        table = pa.Table.from_arrays(
            [column(values, self.schema.field(name).type) for name, values in self.cols.items()],
            schema=self.schema,
        )
        for values in self.cols.values():
            values.clear()
        return table


_NONE = type(None)
#: Arrow types :func:`column` builds itself: NumPy type and the Python type of the values.
_SIMPLE: dict[pa.DataType, tuple[type[np.generic], type]] = {
    **{t: (d, int) for t, d in _INTS.items()},
    pa.float32(): (np.float32, float),
    pa.float64(): (np.float64, float),
    pa.bool_(): (np.bool_, bool),
}


def column(values: list[Any], arrow_type: pa.DataType) -> pa.Array:  # type: ignore[type-arg]
    """``pyarrow.array(values, type=arrow_type)``, built from NumPy buffers where that is exact.

    Integers (also timestamps, as integer microseconds), floats, booleans and strings given as
    exactly that Python type (None for NULL) are converted without :func:`pyarrow.array`,
    whose first call imports pandas; anything else (other Python types, integers out of the
    type's range, text that cannot be encoded) goes to :func:`pyarrow.array`, which builds the
    same array or raises.
    """
    types = set(map(type, values))
    has_none = _NONE in types
    if pa.types.is_string(arrow_type):
        if types <= {str, _NONE}:
            try:
                built = _strings(values, has_none)
            except UnicodeEncodeError:
                built = None
            if built is not None:
                return built
        return pa.array(values, type=arrow_type)
    simple = (np.int64, int) if pa.types.is_timestamp(arrow_type) else _SIMPLE.get(arrow_type)
    if simple is None or not types <= {simple[1], _NONE}:
        return pa.array(values, type=arrow_type)
    dtype, kind = simple
    present = values
    valid = None
    if has_none:
        valid = np.array([v is not None for v in values], dtype=np.bool_)
        fill = kind()
        present = [fill if v is None else v for v in values]
    if kind is bool:
        return _bools(present, valid)
    if kind is int and present:
        info = np.iinfo(dtype)  # type: ignore[type-var]
        if min(present) < info.min or max(present) > info.max:
            return pa.array(values, type=arrow_type)
    with np.errstate(over="ignore"):  # float32 overflows to infinity, as in pyarrow
        values_np = np.array(present, dtype=dtype)
    return arrays.numeric(values_np, dtype, arrow_type, valid)


def _bools(values: list[Any], valid: npt.NDArray[np.bool_] | None) -> pa.Array:  # type: ignore[type-arg]
    bits = arrays.buffer(np.packbits(np.array(values, dtype=np.bool_), bitorder="little"))
    bitmap, nulls = arrays.validity(valid)
    return pa.Array.from_buffers(pa.bool_(), len(values), [bitmap, bits], nulls)


def _strings(values: list[Any], has_none: bool) -> pa.StringArray | None:
    """The strings as UTF-8 (None: more bytes than 32-bit offsets hold)."""
    encoded = [b"" if v is None else v.encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    if offsets[-1] >= 1 << 31:
        return None
    valid = np.array([v is not None for v in values], dtype=np.bool_) if has_none else None
    bitmap, nulls = arrays.validity(valid)
    return pa.StringArray.from_buffers(
        len(encoded), arrays.buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(encoded)), bitmap, nulls
    )


def raw_text(raw: bytes) -> str:
    """A raw line as text for the ``rejects.raw`` column (invalid UTF-8 replaced)."""
    if len(raw) > MAX_LINE_BYTES:
        raw = raw[:_TOO_LONG_KEPT]
    return raw.decode("utf-8", "replace")


def valid_ts(ts_us: int) -> bool:
    """Whether a receive time (UTC, microseconds since the epoch) is plausible for AIS."""
    return EARLIEST_TS_US <= ts_us < LATEST_TS_US


def midnight_us(day: dt.date) -> int:
    """00:00:00 UTC of ``day`` in microseconds since the epoch."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) * US_PER_S


class Rejector:
    """Records non-decoded lines in the accounting and the rejects buffer of one source."""

    def __init__(self, source: str, accounting: Accounting) -> None:
        self.source = source
        self.accounting = accounting
        self.rows = Columns(schemas.REJECTS)

    def reject(
        self, line_no: int, raw: bytes, reason: str, detail: str = "", ts_us: int | None = None
    ) -> None:
        """Count the line under ``reason`` and keep it with its raw text.

        ``not_ais`` lines count as non-AIS, ``duplicate`` lines as duplicates, everything else
        as rejected under its reason.
        """
        if reason == "not_ais":
            self.accounting.non_ais += 1
        elif reason == "duplicate":
            self.accounting.duplicates += 1
        else:
            self.accounting.rejected[reason] += 1
        self.rows.append(
            {
                "ts": ts_us,
                "source": self.source,
                "line_no": line_no,
                "reason": reason,
                "detail": detail,
                "raw": raw_text(raw),
            }
        )

    def too_long(self, line_no: int, raw: bytes) -> None:
        """Reject a line longer than :data:`MAX_LINE_BYTES` (only its start is kept)."""
        self.reject(
            line_no,
            raw,
            "line_too_long",
            f"longer than {MAX_LINE_BYTES} bytes; the first {_TOO_LONG_KEPT} are kept here",
        )
