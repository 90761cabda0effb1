"""Rows for the positions and vessel_static tables, with AIS sentinels turned into NULL.

Every decoder (NMEA, aisstream JSON, CSV archives) builds its rows here, so the sentinel rules
of ITU-R M.1371 are applied once: speed 102.3 kn (type 27: 63 kn), course 360 deg (type 27:
511 deg), heading 511, navigational status outside 0–15, IMO 0, ship type 0 and draught 0 mean
"not available" and become NULL.  A position report whose latitude or longitude is not
available (91 / 181) or out of range has no usable position: see :func:`valid_position`.
"""

from __future__ import annotations

import math
from typing import Any

#: AIS message types stored in ``positions``.
POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
#: AIS message types stored in ``vessel_static``.
STATIC_TYPES = frozenset({5, 19, 24})

#: pyais field names a static row is built from (see :func:`static_row`).
STATIC_FIELDS = (
    "partno",
    "imo",
    "callsign",
    "shipname",
    "ship_type",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
    "draught",
    "destination",
)

#: the static fields that carry a value (all but the message 24 part number)
STATIC_VALUE_KEYS = STATIC_FIELDS[1:]


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def valid_position(lat: Any, lon: Any) -> bool:
    """Whether ``lat``/``lon`` (degrees WGS84) is an available position inside the valid range."""
    la, lo = _finite(lat), _finite(lon)
    return la is not None and lo is not None and -90.0 <= la <= 90.0 and -180.0 <= lo <= 180.0


def speed_knots(value: Any, msg_type: int) -> float | None:
    """Speed over ground in knots; NULL when not available (102.3, or 63 for type 27) or negative."""
    number = _finite(value)
    limit = 63.0 if msg_type == 27 else 102.3
    if number is None or number < 0 or number >= limit - 1e-6:
        return None
    return number


def course_deg(value: Any) -> float | None:
    """Course over ground in degrees; NULL when not available (360, 511) or out of range."""
    number = _finite(value)
    return None if number is None or not 0.0 <= number < 360.0 else number


def heading_deg(value: Any) -> int | None:
    """True heading in whole degrees; NULL when not available (511) or out of range."""
    number = _finite(value)
    if number is None or not 0.0 <= number <= 359.0:
        return None
    return int(number)


def nav_status(value: Any) -> int | None:
    """Navigational status code 0–15; NULL otherwise."""
    number = _finite(value)
    if number is None or number != int(number) or not 0 <= number <= 15:
        return None
    return int(number)


def small_int(value: Any, low: int, high: int, missing: int | None = None) -> int | None:
    """An integer in ``[low, high]``; NULL when absent, equal to ``missing`` or out of range."""
    number = _finite(value)
    if number is None or number != int(number):
        return None
    result = int(number)
    if result == missing or not low <= result <= high:
        return None
    return result


def text(value: Any) -> str | None:
    """A transmitted text field without trailing AIS padding (``@``) and spaces; NULL when empty."""
    if value is None:
        return None
    cleaned = str(value).rstrip("@ ").strip()
    return cleaned or None


def draught_m(value: Any) -> float | None:
    """Draught in metres; NULL when not available (0) or out of range."""
    number = _finite(value)
    return None if number is None or number <= 0 or number > 100 else number


def position_row(
    common: dict[str, Any],
    *,
    lon: Any,
    lat: Any,
    speed: Any,
    course: Any,
    heading: Any,
    status: Any,
    station: str | None,
) -> dict[str, Any]:
    """A :data:`mda.schemas.POSITIONS` row; ``common`` holds ts, mmsi, msg_type, source, line_no.

    The caller has checked :func:`valid_position`.
    """
    msg_type = int(common["msg_type"])
    return {
        **common,
        "lon": float(lon),
        "lat": float(lat),
        "speed": speed_knots(speed, msg_type),
        "course": None if msg_type == 27 and _finite(course) == 511 else course_deg(course),
        "heading": heading_deg(heading),
        "status": nav_status(status),
        "station": station,
    }


def static_row(common: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A :data:`mda.schemas.VESSEL_STATIC` row from pyais-named ``values`` (missing keys NULL)."""
    return {
        **common,
        "part": small_int(values.get("partno"), 0, 3),
        "imo": small_int(values.get("imo"), 1, 999_999_999),
        "callsign": text(values.get("callsign")),
        "shipname": text(values.get("shipname")),
        "ship_type": small_int(values.get("ship_type"), 1, 255),
        "to_bow": small_int(values.get("to_bow"), 0, 511),
        "to_stern": small_int(values.get("to_stern"), 0, 511),
        "to_port": small_int(values.get("to_port"), 0, 63),
        "to_starboard": small_int(values.get("to_starboard"), 0, 63),
        "draught": draught_m(values.get("draught")),
        "destination": text(values.get("destination")),
    }


def has_static_values(row: dict[str, Any]) -> bool:
    """Whether a static row carries any value besides its keys."""
    return any(row.get(key) is not None for key in STATIC_VALUE_KEYS)
