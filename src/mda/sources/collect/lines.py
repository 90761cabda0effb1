"""Split a byte stream into lines with a bounded buffer.

Lines end with LF; one CR before the LF is removed, so CRLF and LF streams give the same lines.
An incomplete last line stays buffered until its end arrives.  No line or buffered remainder ever
exceeds ``max_line`` bytes: longer input is cut into pieces of ``max_line`` bytes, each returned as
a line of its own, so junk without line ends cannot make the buffer grow without bound and no
received byte is dropped.
"""

from __future__ import annotations

MAX_LINE = 64 * 1024
"""Longest line kept in one piece, in bytes (64 KiB)."""


def _cut(line: bytes, max_line: int) -> list[bytes]:
    return [line[i : i + max_line] for i in range(0, len(line), max_line)]


class LineSplitter:
    """Incremental line splitter for one connection.

    Parameters
    ----------
    max_line : int
        Longest line in bytes (without its end), default 64 KiB.
    """

    def __init__(self, max_line: int = MAX_LINE) -> None:
        if max_line < 1:
            raise ValueError("max_line must be at least 1")
        self.max_line = max_line
        self._tail = b""

    @property
    def pending(self) -> int:
        """Bytes of the incomplete last line held in the buffer."""
        return len(self._tail)

    def feed(self, data: bytes) -> list[bytes]:
        """Add received bytes; return the lines they complete (without CR/LF, possibly empty)."""
        parts = (self._tail + data).split(b"\n")
        tail = parts.pop()
        lines: list[bytes] = []
        for part in parts:
            line = part[:-1] if part.endswith(b"\r") else part
            if len(line) > self.max_line:
                lines.extend(_cut(line, self.max_line))
            else:
                lines.append(line)
        while len(tail) > self.max_line:
            lines.append(tail[: self.max_line])
            tail = tail[self.max_line :]
        self._tail = tail
        return lines

    def flush(self) -> bytes:
        """Return and forget the incomplete last line (``b""`` if none), e.g. at disconnect."""
        tail, self._tail = self._tail, b""
        return tail[:-1] if tail.endswith(b"\r") else tail


def split_datagram(data: bytes, max_line: int = MAX_LINE) -> list[bytes]:
    """The lines of one datagram; a datagram's end also ends its last line."""
    splitter = LineSplitter(max_line)
    lines = splitter.feed(data)
    tail = splitter.flush()
    if tail:
        lines.append(tail)
    return lines
