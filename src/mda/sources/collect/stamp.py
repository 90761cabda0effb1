r"""Receive-time stamps for raw NMEA lines, as NMEA 4.0 tag blocks (IEC 61162-1, Annex).

A line that already starts with a tag block carrying ``c:`` (the source's own time) is kept byte
for byte.  Any other line gets a tag block ``\c:<unix seconds>,s:<source>*hh\`` prepended, where
``hh`` is the XOR of the characters between the backslash and ``*`` as two upper-case hex digits.
The received bytes are never altered: they follow the added tag block unchanged, so the original
line is the stamped line without its first tag block.  A line whose own tag block lacks ``c:``
therefore ends up with two consecutive tag blocks.
"""

from __future__ import annotations

from mda.decode.tagblock import nmea_checksum


def has_time_tag(line: bytes) -> bool:
    r"""Whether ``line`` starts with a tag block ``\...\`` that has a ``c:`` field.

    The tag block checksum is not verified here; the decoder does that.
    """
    if not line.startswith(b"\\"):
        return False
    end = line.find(b"\\", 1)
    if end < 0:
        return False
    star = line.rfind(b"*", 1, end)
    body = line[1:star] if star >= 0 else line[1:end]
    return body.startswith(b"c:") or b",c:" in body


def time_tag(unix_s: int, source: str) -> bytes:
    r"""The tag block ``\c:<unix_s>,s:<source>*hh\`` for a receive time.

    Parameters
    ----------
    unix_s : int
        Receive time in whole seconds since the Unix epoch (UTC).
    source : str
        Source name; must not contain ``,``, ``*`` or ``\``.
    """
    body = f"c:{unix_s},s:{source}".encode("ascii")
    return b"\\" + body + b"*" + f"{nmea_checksum(body):02X}".encode("ascii") + b"\\"


def stamp_line(line: bytes, tag: bytes) -> bytes:
    """``line`` unchanged if it carries its own ``c:`` time, else ``tag + line``."""
    return line if has_time_tag(line) else tag + line
