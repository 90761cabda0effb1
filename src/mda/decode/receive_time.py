"""Receive times carried outside the AIS sentence: Gatehouse ``$PGHP`` wrappers, USCG trailers.

Gatehouse
    A proprietary sentence ``$PGHP,1,<yyyy>,<mm>,<dd>,<hh>,<mi>,<ss>,<ms>,<country MID>,
    <region MMSI>,<site MMSI>,<online>,<hh>*cs`` precedes the AIVDM line it describes and
    carries that line's receive time in UTC (pyais reads it the same way and attaches it to
    the next AIS sentence only).
USCG (NAIS)
    Fields appended after the checksum of the sentence:
    ``!AIVDM,...*hh,s<signal>,d<dBm>,T<slot time>,x<count>,r<station>,<unix time>`` (older files
    ``...*hh,b<station>,<unix time>``).  The last field is the receive time in seconds since
    the Unix epoch (UTC); the ``r``/``b`` field names the receiving station.
"""

from __future__ import annotations

import datetime as dt

from mda.decode.batch import US_PER_S
from mda.decode.tagblock import nmea_checksum

GATEHOUSE_PREFIX = b"$PGHP,"


class ReceiveTimeError(ValueError):
    """A wrapper or trailer that carries a time could not be read; ``reason`` is the reject reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def gatehouse_time_us(sentence: bytes) -> int:
    """Receive time of a ``$PGHP,1,...`` wrapper in microseconds since the epoch (UTC).

    Raises
    ------
    ReceiveTimeError
        ``bad_checksum`` when the sentence checksum fails, ``malformed`` when it cannot be read.
    """
    star = sentence.find(b"*")
    if star < 0:
        raise ReceiveTimeError("malformed", "gatehouse wrapper without checksum")
    try:
        given = int(sentence[star + 1 : star + 3], 16)
    except ValueError:
        raise ReceiveTimeError("malformed", "gatehouse checksum is not hex") from None
    if nmea_checksum(sentence[1:star]) != given:
        raise ReceiveTimeError("bad_checksum", "gatehouse wrapper checksum mismatch")
    fields = sentence[:star].split(b",")
    if len(fields) < 9 or fields[1] != b"1":
        raise ReceiveTimeError("malformed", "not a gatehouse time wrapper ($PGHP,1,...)")
    try:
        year, month, day, hour, minute, second, milli = (int(f) for f in fields[2:9])
        when = dt.datetime(year, month, day, hour, minute, second, milli * 1000, tzinfo=dt.UTC)
    except ValueError:
        raise ReceiveTimeError("malformed", "gatehouse wrapper time is not a valid date") from None
    return int(when.timestamp()) * US_PER_S + when.microsecond


def uscg_trailer(trailer: bytes) -> tuple[int | None, str | None]:
    """Receive time (µs since the epoch, UTC) and station from USCG fields after the checksum.

    Parameters
    ----------
    trailer : bytes
        What follows ``*hh`` of the sentence, starting with a comma.

    Returns
    -------
    (int or None, str or None)
        The time when the last field is a number, and the ``r``/``b`` station field if any.

    Raises
    ------
    ReceiveTimeError
        ``malformed`` when the trailer does not start with a comma.
    """
    if not trailer.startswith(b","):
        raise ReceiveTimeError("malformed", "characters after the checksum")
    fields = trailer[1:].split(b",")
    ts_us: int | None = None
    try:
        seconds = float(fields[-1])
    except ValueError:
        seconds = None
    if seconds is not None and seconds == seconds and abs(seconds) < 1e11:
        ts_us = round(seconds * US_PER_S)
    station = next(
        (f[1:].decode("ascii", "replace") for f in fields[:-1] if len(f) > 1 and f[:1] in (b"r", b"b")),
        None,
    )
    return ts_us, station
