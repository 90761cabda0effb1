r"""NMEA 4.0 tag blocks (IEC 61162-1 Annex): ``\s:station,c:time,g:n-t-id*hh\`` before a sentence."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class TagBlock:
    """Parsed tag-block fields.

    Attributes
    ----------
    unix_s : float or None
        ``c:`` receive time in seconds since the Unix epoch (UTC); values above 1e11 are taken
        as milliseconds and divided by 1000.
    station : str or None
        ``s:`` source/station identifier.
    group : str or None
        ``g:`` group id (the third number), which binds fragments of one message.
    """

    unix_s: float | None
    station: str | None
    group: str | None


class TagBlockError(ValueError):
    """The tag block is malformed or its checksum fails; ``reason`` is the reject reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def nmea_checksum(body: bytes) -> int:
    """XOR of all bytes of ``body`` (the characters between the start delimiter and ``*``)."""
    value = 0
    for byte in body:
        value ^= byte
    return value


def _without_group(body: bytes) -> bytes:
    """The tag block body without its ``g:`` field.

    Some receivers (the Norwegian Coastal Administration's feed among them) add the ``g:`` group
    field after computing the checksum over the other fields.  Accepting a checksum over the
    remaining fields still verifies the time and station; the group only binds fragments, and a
    corrupted group at worst leaves an orphan fragment, which is rejected.
    """
    return b",".join(item for item in body.split(b",") if not item.startswith(b"g:"))


def _parse_block(block: bytes) -> tuple[float | None, str | None, str | None]:
    star = block.rfind(b"*")
    if star >= 0:
        body, given = block[:star], block[star + 1 :]
        try:
            expected = int(given, 16)
        except ValueError as exc:
            raise TagBlockError("malformed", "tag block checksum is not hex") from exc
        if nmea_checksum(body) != expected and nmea_checksum(_without_group(body)) != expected:
            raise TagBlockError("bad_tag_checksum", "tag block checksum mismatch")
    else:
        body = block
    unix_s: float | None = None
    station: str | None = None
    group: str | None = None
    for item in body.split(b","):
        key, sep, value = item.partition(b":")
        if not sep:
            raise TagBlockError("malformed", "tag block field without ':'")
        if key == b"c":
            try:
                number = float(value)
            except ValueError as exc:
                raise TagBlockError("malformed", "tag block c: is not a number") from exc
            if not math.isfinite(number):
                raise TagBlockError("malformed", "tag block c: is not a finite number")
            unix_s = number / 1000.0 if number > 1e11 else number
        elif key == b"s":
            station = value.decode("ascii", "replace")
        elif key == b"g":
            parts = value.split(b"-")
            group = parts[-1].decode("ascii", "replace") if len(parts) == 3 else None
    return unix_s, station, group


def split_tag_block(line: bytes) -> tuple[TagBlock | None, bytes]:
    r"""Split a line into its tag block(s) (if any) and the NMEA sentence.

    Consecutive tag blocks (``\c:...,s:feed*hh\\g:1-2-7*hh\!AIVDM...``, as a collector writes
    when it stamps a receive time on a line whose own tag block has none) are merged; a field
    in a later block overrides the same field in an earlier one, so the line's own fields win
    over the ones a collector added.  Each block's checksum is verified.

    Raises
    ------
    TagBlockError
        ``bad_tag_checksum`` when a tag block checksum fails, ``malformed`` when a tag block
        cannot be parsed.
    """
    if not line.startswith(b"\\"):
        return None, line
    unix_s: float | None = None
    station: str | None = None
    group: str | None = None
    sentence = line
    while sentence.startswith(b"\\"):
        end = sentence.find(b"\\", 1)
        if end < 0:
            raise TagBlockError("malformed", "tag block not closed")
        block_unix_s, block_station, block_group = _parse_block(sentence[1:end])
        unix_s = block_unix_s if block_unix_s is not None else unix_s
        station = block_station if block_station is not None else station
        group = block_group if block_group is not None else group
        sentence = sentence[end + 1 :]
    return TagBlock(unix_s=unix_s, station=station, group=group), sentence
