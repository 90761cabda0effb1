"""One row per decoded message of any type, with pyais field names: the ``mda decode`` export.

The common fields of the AIS message types are columns (names as pyais 3 gives them in
``asdict()``); everything else a message carries (type-specific fields, spares, binary data as
hex) is kept in ``extra`` as a JSON object, so no decoded field is dropped.  Sentinels of the
navigation fields become NULL as in the positions table (lat 91, lon 181, speed 102.3,
course 360, heading 511); all other values are exactly what pyais decoded.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pyarrow as pa

from mda import schemas
from mda.decode.rows import STATIC_VALUE_KEYS, course_deg, heading_deg, speed_knots, valid_position


def _field(name: str, typ: pa.DataType, unit: str | None = None) -> pa.Field[pa.DataType]:
    return pa.field(name, typ, metadata={"unit": unit} if unit else None)


#: Columns after the row's provenance (ts, source, line_no, station), in pyais order.
_CORE: tuple[tuple[str, pa.DataType, str | None], ...] = (
    ("msg_type", pa.int8(), None),
    ("repeat", pa.int8(), None),
    ("mmsi", pa.int32(), None),
    ("status", pa.int8(), None),
    ("turn", pa.float64(), "degree/minute"),
    ("speed", pa.float64(), "knot"),
    ("accuracy", pa.bool_(), None),
    ("lon", pa.float64(), "degree"),
    ("lat", pa.float64(), "degree"),
    ("course", pa.float64(), "degree"),
    ("heading", pa.int16(), "degree"),
    ("second", pa.int8(), "second"),
    ("maneuver", pa.int8(), None),
    ("raim", pa.bool_(), None),
    ("radio", pa.int64(), None),
    ("ais_version", pa.int8(), None),
    ("imo", pa.int32(), None),
    ("callsign", pa.string(), None),
    ("shipname", pa.string(), None),
    ("ship_type", pa.int16(), None),
    ("to_bow", pa.int16(), "metre"),
    ("to_stern", pa.int16(), "metre"),
    ("to_port", pa.int16(), "metre"),
    ("to_starboard", pa.int16(), "metre"),
    ("epfd", pa.int8(), None),
    ("month", pa.int8(), None),
    ("day", pa.int8(), None),
    ("hour", pa.int8(), None),
    ("minute", pa.int8(), None),
    ("draught", pa.float64(), "metre"),
    ("destination", pa.string(), None),
    ("dte", pa.bool_(), None),
    ("partno", pa.int8(), None),
)

#: One decoded message per row; ``ts`` is the UTC receive time, ``extra`` a JSON object.
MESSAGES = pa.schema(
    [
        _field("ts", schemas.TS, "UTC"),
        _field("source", pa.string()),
        _field("line_no", pa.int64()),
        _field("station", pa.string()),
        *(_field(name, typ, unit) for name, typ, unit in _CORE),
        _field("extra", pa.string()),
    ]
)

MESSAGE_FIELDS: tuple[str, ...] = tuple(name for name, _t, _u in _CORE)

_INT_BOUNDS = {
    pa.int8(): 2**7,
    pa.int16(): 2**15,
    pa.int32(): 2**31,
    pa.int64(): 2**63,
}
_TYPES = {name: typ for name, typ, _u in _CORE}


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)


def _coerce(typ: pa.DataType, value: Any) -> tuple[bool, Any]:
    """``(fits, value)``: whether ``value`` fits the column type, and the converted value."""
    if value is None:
        return True, None
    try:
        if pa.types.is_boolean(typ):
            if isinstance(value, bool) or value in (0, 1):
                return True, bool(value)
            return False, value
        if pa.types.is_integer(typ):
            if isinstance(value, bool) or not float(value).is_integer():
                return False, value
            number = int(value)
            bound = _INT_BOUNDS[typ]
            return -bound <= number < bound, number
        if pa.types.is_floating(typ):
            real = float(value)
            return math.isfinite(real), real
        return isinstance(value, str), value
    except (TypeError, ValueError, OverflowError):
        return False, value


def message_row(common: dict[str, Any], station: str | None, data: dict[str, Any]) -> dict[str, Any]:
    """A :data:`MESSAGES` row from pyais-named ``data`` (``asdict(enum_as_int=True)``).

    ``common`` holds ``ts`` (µs since the epoch, UTC), ``source`` and ``line_no``.  Values
    that do not fit their column move to ``extra`` unchanged.
    """
    row: dict[str, Any] = {"ts": common["ts"], "source": common["source"], "line_no": common["line_no"]}
    row["station"] = station
    extra: dict[str, Any] = {}
    for key, value in data.items():
        typ = _TYPES.get(key)
        if typ is None:
            extra[key] = _jsonable(value)
            continue
        fits, converted = _coerce(typ, value)
        if fits:
            row[key] = converted
        else:
            extra[key] = _jsonable(value)
    msg_type = int(row.get("msg_type") or 0)
    if not valid_position(row.get("lat"), row.get("lon")):
        row["lat"] = row["lon"] = None
    if "speed" in row:
        row["speed"] = speed_knots(row["speed"], msg_type)
    if "course" in row:
        row["course"] = None if msg_type == 27 and row["course"] == 511 else course_deg(row["course"])
    if "heading" in row:
        row["heading"] = heading_deg(row["heading"])
    row["extra"] = json.dumps(extra, sort_keys=True) if extra else None
    return row


def row_from_tables(
    common: dict[str, Any], position: dict[str, Any] | None, static: dict[str, Any] | None
) -> dict[str, Any]:
    """A :data:`MESSAGES` row from positions/vessel_static rows (CSV and JSON inputs).

    ``common`` holds ``ts``, ``source``, ``line_no``, ``msg_type``, ``mmsi`` and may hold
    ``extra`` (a dict of input fields no column takes).
    """
    row: dict[str, Any] = {k: common.get(k) for k in ("ts", "source", "line_no", "msg_type", "mmsi")}
    if position is not None:
        for key in ("lon", "lat", "speed", "course", "heading", "status", "station"):
            row[key] = position.get(key)
    if static is not None:
        for key in STATIC_VALUE_KEYS:
            row[key] = static.get(key)
        row["partno"] = static.get("part")
    extra = common.get("extra")
    row["extra"] = json.dumps({k: _jsonable(v) for k, v in extra.items()}, sort_keys=True) if extra else None
    return row
