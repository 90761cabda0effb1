"""Socket helpers shared by the collectors."""

from __future__ import annotations

import asyncio
import fcntl
import struct
import termios
import time
from typing import Protocol

DRAIN_MAX_S = 1.0
"""Longest time, in seconds, spent landing data already queued in a socket when stopping."""


class _Socket(Protocol):
    def fileno(self) -> int: ...


def pending_bytes(sock: _Socket) -> int:
    """Bytes received by the kernel on ``sock`` and not read yet (``FIONREAD``; 0 if unknown)."""
    try:
        raw = fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0\0\0\0")
    except OSError:
        return 0
    value: int = struct.unpack("i", raw)[0]
    return value


async def drain(transport: asyncio.BaseTransport, max_s: float = DRAIN_MAX_S) -> None:
    """Let the event loop deliver what the kernel already holds for ``transport``'s socket.

    Used when stopping, so that data the kernel has accepted (and, for TCP, acknowledged to the
    sender) is landed before the socket closes.  Bounded by ``max_s`` seconds for a peer that
    keeps sending.
    """
    sock = transport.get_extra_info("socket")
    if sock is None:
        return
    deadline = time.monotonic() + max_s
    while not transport.is_closing() and pending_bytes(sock) > 0 and time.monotonic() < deadline:
        await asyncio.sleep(0)
