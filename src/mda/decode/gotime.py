"""Parse times printed by Go's ``time.Time.String()``, as aisstream.io writes ``time_utc``.

Example: ``2026-11-24 03:12:45.123456789 +0000 UTC`` — date, time with 0–9 fractional digits,
numeric UTC offset, zone abbreviation.  The result is UTC microseconds since the epoch;
nanoseconds are truncated to microseconds (the precision of the Arrow schemas).
"""

from __future__ import annotations

import datetime as dt
import re

from mda.decode.batch import US_PER_S

_GO_TIME = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
    r"(?:\s*(Z|[+-]\d{2}:?\d{2}))?(?:\s+[A-Za-z]{1,6})?\s*"
)


def parse_go_time_us(text: str) -> int | None:
    """UTC microseconds since the epoch of a Go-formatted time; None when it cannot be read.

    A time without an offset is taken as UTC (aisstream's field is named ``time_utc``).
    """
    match = _GO_TIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        when = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=dt.UTC
        )
    except ValueError:
        return None
    offset_s = 0
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        offset_s = (int(digits[:2]) * 3600 + int(digits[2:]) * 60) * (1 if offset[0] == "+" else -1)
    micros = int((fraction or "").ljust(9, "0")[:6])
    return (int(when.timestamp()) - offset_s) * US_PER_S + micros
