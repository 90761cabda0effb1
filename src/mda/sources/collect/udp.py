"""NMEA over UDP (AIS receivers and forwarders): listen and land every datagram's lines.

A datagram may carry several lines; its end also ends its last line.  The socket asks for a
4 MiB receive buffer so that bursts survive short pauses of the event loop.  On a stop request
the datagrams already queued in the kernel are landed before the socket closes.
"""

from __future__ import annotations

import asyncio
import socket

from mda.sources.collect.errors import CollectError
from mda.sources.collect.lines import split_datagram
from mda.sources.collect.run import CollectRun
from mda.sources.collect.sockets import drain

DEFAULT_HOST = "127.0.0.1"
"""Listen address when none is given; pass ``0.0.0.0`` to accept datagrams from other hosts."""
RECEIVE_BUFFER = 4 * 1024 * 1024


def bind_udp(host: str, port: int) -> socket.socket:
    """A UDP socket bound to ``host:port`` (port 0 picks a free port).

    Raises
    ------
    CollectError
        The address cannot be resolved or bound.
    """
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
    except (OSError, IndexError) as exc:
        raise CollectError(f"cannot resolve udp listen address {host}:{port}: {exc}") from exc
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise CollectError(f"cannot listen on udp {host}:{port}: {exc.strerror or exc}") from exc
    sock.setblocking(False)
    return sock


class _NmeaDatagrams(asyncio.DatagramProtocol):
    """Lands the lines of each datagram."""

    def __init__(self, run: CollectRun) -> None:
        self.run = run
        self.transport: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        try:
            self.run.land(split_datagram(data))
        except Exception as exc:
            self.run.fail(exc)
            if self.transport is not None:
                self.transport.close()


async def collect_udp(run: CollectRun, sock: socket.socket) -> None:
    """Land NMEA lines from datagrams arriving on ``sock`` until ``run`` is told to stop.

    Parameters
    ----------
    run : CollectRun
        Where lines go and when to stop.
    sock : socket.socket
        A bound UDP socket (see :func:`bind_udp`); closed when this returns.
    """
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(lambda: _NmeaDatagrams(run), sock=sock)
    host, port = sock.getsockname()[:2]
    run.say(f"listening on udp {host}:{port}")
    try:
        await run.wait_stopped()
        await drain(transport)
    finally:
        transport.close()
