"""Decode bulk AIS CSV archives (NOAA MarineCadastre, Danish Maritime Authority) into Arrow tables.

Columns are found by header name, never by position, so every column order MarineCadastre
used (2015–2024, ``MMSI,BaseDateTime,LAT,...`` and ``mmsi,base_date_time,latitude,...``) and
the DMA daily files (``# Timestamp,Type of mobile,MMSI,...``) read alike.  Names are compared
lower-case without spaces, underscores and ``#``.  Required: MMSI, time, latitude, longitude;
a header without them is a :class:`HeaderError` naming the missing columns.

Times are UTC: MarineCadastre ``BaseDateTime`` is ISO 8601 (``2023-01-11T00:00:00``), DMA
``# Timestamp`` is day first (``13/11/2026 00:05:12``).  A row carries position and static
fields at once, so it yields a positions row (when the position is valid) and a vessel_static
row (when any static field is present); its message types are the representative types of its
station class (see :mod:`mda.decode.archive_codes`), and it counts once in ``messages_by_type``
(under the position type when a position was kept, else the static type).  Length, width,
cargo, rate of turn, ETA and the other columns the tables do not take are kept only in the
``extra`` column of the ``mda decode`` export; the raw file keeps everything.

Line accounting: the header line is non-AIS; blank lines ``empty_line``; rows with the wrong
number of columns or broken quoting ``bad_csv_row``; unparsable numbers ``bad_value``; an
empty time ``no_timestamp`` (unless ``assume_date``), an unparsable or implausible time
``bad_timestamp``; rows without a valid position and without static fields
``invalid_position``; identical rows within ``dedup_window_s`` seconds are duplicates.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from typing import Any

from mda.decode import archive_codes
from mda.decode.batch import (
    MAX_LINE_BYTES,
    US_PER_S,
    valid_ts,
)
from mda.decode.messages import row_from_tables
from mda.decode.row_decoder import RowDecoder
from mda.decode.rows import has_static_values, position_row, static_row, valid_position

FORMATS = ("noaa", "dma")
REQUIRED = ("mmsi", "time", "lat", "lon")

#: Canonical field → header names (normalised) that carry it.
_ALIASES: dict[str, tuple[str, ...]] = {
    "mmsi": ("mmsi",),
    "time": ("basedatetime", "timestamp", "time", "datetime"),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "long", "longitude"),
    "sog": ("sog", "speedoverground"),
    "cog": ("cog", "courseoverground"),
    "heading": ("heading", "trueheading"),
    "status": ("status", "navigationalstatus", "navstatus"),
    "shipname": ("vesselname", "name", "shipname"),
    "imo": ("imo", "imonumber"),
    "callsign": ("callsign",),
    "ship_type": ("vesseltype", "shiptype"),
    "station_class": ("transceiverclass", "transceiver", "typeofmobile"),
    "draught": ("draft", "draught"),
    "destination": ("destination",),
    "to_bow": ("a", "tobow", "dimensiona"),
    "to_stern": ("b", "tostern", "dimensionb"),
    "to_port": ("c", "toport", "dimensionc"),
    "to_starboard": ("d", "tostarboard", "dimensiond"),
}

_DATE_CACHE_MAX = 200_000


class HeaderError(ValueError):
    """The CSV header lacks required columns or is not a CSV header of the expected archive."""


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


@dataclass(frozen=True)
class CsvLayout:
    """Where each canonical field is in the rows of one archive file.

    Attributes
    ----------
    fmt : str
        ``noaa`` or ``dma``.
    names : tuple of str
        Header names as written.
    index : dict of str to int
        Canonical field → column index.
    """

    fmt: str
    names: tuple[str, ...]
    index: dict[str, int]


def split_row(line: str) -> list[str]:
    """Fields of one CSV line (RFC 4180 quoting); raises :class:`csv.Error` on broken quoting."""
    if '"' not in line:
        return line.split(",")
    return next(csv.reader([line], strict=True), [])


def read_header(line: bytes, fmt: str) -> CsvLayout:
    """The layout of an archive from its header line.

    Raises
    ------
    HeaderError
        When the header is not text, or lacks a required column (the message names them).
    """
    if fmt not in FORMATS:
        raise HeaderError(f"unknown CSV archive format {fmt!r}; expected one of {', '.join(FORMATS)}")
    try:
        names = tuple(name.strip() for name in split_row(line.decode("utf-8-sig")))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise HeaderError(f"the first line is not a CSV header: {exc}") from exc
    positions = {_norm(name): i for i, name in reversed(list(enumerate(names)))}
    index: dict[str, int] = {}
    for field_name, aliases in _ALIASES.items():
        found = next((positions[a] for a in aliases if a in positions), None)
        if found is not None:
            index[field_name] = found
    missing = [f for f in REQUIRED if f not in index]
    if missing:
        wanted = {"mmsi": "MMSI", "time": "BaseDateTime/# Timestamp", "lat": "LAT", "lon": "LON"}
        raise HeaderError(
            f"{fmt} CSV header lacks required column(s): {', '.join(wanted[m] for m in missing)}"
            f" (header: {','.join(names)[:200]})"
        )
    return CsvLayout(fmt, names, index)


def sniff_archive(line: bytes) -> str | None:
    """``dma`` or ``noaa`` when ``line`` looks like the header of that archive, else None."""
    text = line.decode("utf-8-sig", "replace").strip().lower()
    if text.startswith("# timestamp") or ("type of mobile" in text and "mmsi" in text):
        return "dma"
    normalised = {_norm(n) for n in text.split(",")}
    if "mmsi" in normalised and ("basedatetime" in normalised or ({"lat", "latitude"} & normalised)):
        return "noaa"
    return None


class _BadValueError(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def _number(cell: str, column: str) -> float | None:
    value = cell.strip()
    if archive_codes.normalize(value) in archive_codes.MISSING:
        return None
    try:
        return float(value)
    except ValueError:
        raise _BadValueError("bad_value", f"{column}: not a number: {value[:40]!r}") from None


class CsvArchiveDecoder(RowDecoder):
    """Stateful decoder for one CSV archive file; feed it chunks of numbered lines in order.

    The first non-blank line is the header (:func:`read_header`).

    Parameters
    ----------
    source : str
        Name recorded with every row (usually the input file name).
    fmt : str
        ``noaa`` or ``dma``.
    dedup_window_s : float or None
        Seconds within which an identical row counts as a duplicate; None keeps all.
    assume_date : datetime.date, optional
        Give rows with an empty time 00:00:00 UTC of this date instead of rejecting them.
    with_messages : bool
        Also return one :data:`mda.decode.messages.MESSAGES` row per kept row.

    Raises
    ------
    HeaderError
        From :meth:`feed`, when the header lacks required columns.
    """

    def __init__(
        self,
        source: str,
        fmt: str,
        *,
        dedup_window_s: float | None = 30.0,
        assume_date: dt.date | None = None,
        with_messages: bool = False,
    ) -> None:
        if fmt not in FORMATS:
            raise HeaderError(f"unknown CSV archive format {fmt!r}")
        super().__init__(
            source, dedup_window_s=dedup_window_s, assume_date=assume_date, with_messages=with_messages
        )
        self.fmt = fmt
        self.layout: CsvLayout | None = None
        self._times: dict[str, int | None] = {}

    # -- per line -------------------------------------------------------------------------
    def _line(self, line_no: int, raw: bytes) -> None:
        reject = self._rejector.reject
        if len(raw) > MAX_LINE_BYTES:
            self._rejector.too_long(line_no, raw)
            return
        if not raw.strip():
            reject(line_no, raw, "empty_line")
            return
        if self.layout is None:
            self.layout = read_header(raw, self.fmt)
            reject(line_no, raw, "not_ais", "CSV header")
            return
        try:
            text = raw.decode("utf-8")
            cells = split_row(text)
        except (UnicodeDecodeError, csv.Error) as exc:
            reject(line_no, raw, "bad_csv_row", str(exc)[:200])
            return
        if len(cells) != len(self.layout.names):
            reject(line_no, raw, "bad_csv_row", f"{len(cells)} columns, header has {len(self.layout.names)}")
            return
        try:
            self._row(line_no, raw, cells)
        except _BadValueError as exc:
            reject(line_no, raw, exc.reason, str(exc))

    def _cell(self, cells: list[str], field_name: str) -> str | None:
        assert self.layout is not None  # noqa: S101 - set before any row is read
        i = self.layout.index.get(field_name)
        return None if i is None else cells[i]

    def _text(self, cells: list[str], field_name: str) -> str | None:
        value = self._cell(cells, field_name)
        if value is None or archive_codes.normalize(value) in archive_codes.MISSING:
            return None
        return value.strip() or None

    def _num(self, cells: list[str], field_name: str) -> float | None:
        value = self._cell(cells, field_name)
        return None if value is None else _number(value, field_name)

    def _time_us(self, cell: str) -> int | None:
        value = cell.strip()
        if not value:
            return None
        cached = self._times.get(value, -1)
        if cached != -1:
            if cached is None:
                raise _BadValueError("bad_timestamp", f"time: {value[:40]!r}")
            return cached
        ts_us = self._parse_time(value)
        if ts_us is not None and not valid_ts(ts_us):
            ts_us = None
        if len(self._times) >= _DATE_CACHE_MAX:
            self._times.clear()
        self._times[value] = ts_us
        if ts_us is None:
            raise _BadValueError("bad_timestamp", f"time: {value[:40]!r}")
        return ts_us

    def _parse_time(self, value: str) -> int | None:
        try:
            if self.fmt == "dma":
                day, month, rest = value.split("/", 2)
                year, _sep, clock = rest.partition(" ")
                hour, minute, second = (clock.strip() or "00:00:00").split(":")
                whole, _dot, fraction = second.partition(".")
                when = dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(whole), tzinfo=dt.UTC
                )
                micros = int(fraction.ljust(6, "0")[:6]) if fraction else 0
            else:
                when = dt.datetime.fromisoformat(value)
                when = when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)
                micros = when.microsecond
        except ValueError:
            return None
        return int(when.replace(microsecond=0).timestamp()) * US_PER_S + micros

    def _row(self, line_no: int, raw: bytes, cells: list[str]) -> None:
        reject = self._rejector.reject
        mmsi_value = self._num(cells, "mmsi")
        if mmsi_value is None or not mmsi_value.is_integer() or not 0 <= mmsi_value <= 999_999_999:
            raise _BadValueError("bad_value", f"mmsi: {self._cell(cells, 'mmsi')!r:.40}")
        mmsi = int(mmsi_value)
        time_cell = self._cell(cells, "time") or ""
        ts_us = self._time_us(time_cell)
        assumed = False
        if ts_us is None:
            if self.assume_ts_us is None:
                reject(line_no, raw, "no_timestamp", "empty time")
                return
            ts_us, assumed = self.assume_ts_us, True
        reject_ts = None if assumed else ts_us
        label = archive_codes.normalize(self._cell(cells, "station_class") or "")
        position_type, static_type = archive_codes.STATION_CLASS.get(label, (1, 5))
        lat, lon = self._num(cells, "lat"), self._num(cells, "lon")
        values = {
            "speed": self._num(cells, "sog"),
            "course": self._num(cells, "cog"),
            "heading": self._num(cells, "heading"),
            "status": self._status(cells),
        }
        static_values = {
            "imo": self._imo(cells),
            "callsign": self._text(cells, "callsign"),
            "shipname": self._text(cells, "shipname"),
            "ship_type": self._ship_type(cells),
            "draught": self._num(cells, "draught"),
            "destination": self._text(cells, "destination"),
            "to_bow": self._num(cells, "to_bow"),
            "to_stern": self._num(cells, "to_stern"),
            "to_port": self._num(cells, "to_port"),
            "to_starboard": self._num(cells, "to_starboard"),
        }
        stored_class = position_type in (1, 18)
        position_ok = stored_class and valid_position(lat, lon)
        common = {"ts": ts_us, "mmsi": mmsi, "source": self.source, "line_no": line_no}
        static = static_row({**common, "msg_type": static_type}, static_values) if stored_class else None
        if static is not None and not has_static_values(static):
            static = None
        if stored_class and not position_ok and static is None:
            reject(line_no, raw, "invalid_position", f"lat={lat} lon={lon}", reject_ts)
            return
        if not assumed and self._is_duplicate(raw, ts_us):
            reject(line_no, raw, "duplicate", "identical row already decoded", ts_us)
            return
        self.accounting.decoded += 1
        self.accounting.assumed_time += int(assumed)
        position = None
        if position_ok:
            position = position_row(
                {**common, "msg_type": position_type}, lon=lon, lat=lat, station=None, **values
            )
            self._positions.append(position)
        if static is not None:
            self._static.append(static)
        self.accounting.messages_by_type[position_type if position or not stored_class else static_type] += 1
        if self._messages is not None:
            self._messages.append(
                row_from_tables(
                    {
                        **common,
                        "msg_type": position_type if position or not stored_class else static_type,
                        "extra": self._extra(cells),
                    },
                    position,
                    static,
                )
            )

    def _status(self, cells: list[str]) -> float | None:
        value = self._cell(cells, "status")
        if value is None:
            return None
        if self.fmt == "dma":
            return archive_codes.NAV_STATUS.get(archive_codes.normalize(value))
        return _number(value, "status")

    def _ship_type(self, cells: list[str]) -> float | None:
        value = self._cell(cells, "ship_type")
        if value is None:
            return None
        label = archive_codes.normalize(value)
        if label in archive_codes.SHIP_TYPE:
            return archive_codes.SHIP_TYPE[label]
        if self.fmt == "dma" and not label.isdigit():
            return None
        return _number(value, "ship_type")

    def _imo(self, cells: list[str]) -> float | None:
        value = self._cell(cells, "imo")
        if value is None:
            return None
        cleaned = value.strip()
        if cleaned.upper().startswith("IMO"):
            cleaned = cleaned[3:]
        return _number(cleaned, "imo")

    def _extra(self, cells: list[str]) -> dict[str, Any]:
        assert self.layout is not None  # noqa: S101 - set before any row is read
        used = set(self.layout.index.values())
        return {
            name: cells[i].strip()
            for i, name in enumerate(self.layout.names)
            if i not in used and cells[i].strip()
        }
