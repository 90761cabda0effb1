"""NMEA over TCP (AISHub, Kystverket and similar feeds): connect, land lines, reconnect.

The client connects to ``host:port`` and lands every line it receives (see
:class:`~mda.sources.collect.lines.LineSplitter` for line ends and the 64 KiB cap).  After a
refusal, a disconnect or ``idle_s`` seconds without data it reconnects after a
:class:`~mda.sources.collect.backoff.Backoff` delay.  An incomplete last line at a disconnect is
landed as it is (the decoder rejects it with a reason), so no received byte is dropped.  On a stop
request it lands what the kernel already holds for the socket, then closes.
"""

from __future__ import annotations

import asyncio
import socket
import time

from mda.sources.collect.backoff import Backoff, Reconnects
from mda.sources.collect.lines import LineSplitter
from mda.sources.collect.run import CollectRun
from mda.sources.collect.sockets import drain

CONNECT_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 120.0


class _NmeaStream(asyncio.Protocol):
    """Feeds received bytes through a line splitter into the run."""

    def __init__(self, run: CollectRun) -> None:
        self.run = run
        self.splitter = LineSplitter()
        self.closed: asyncio.Future[Exception | None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.last_data = time.monotonic()
        self.bytes = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)  # noqa: S101 - a stream connection
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)

    def data_received(self, data: bytes) -> None:
        self.last_data = time.monotonic()
        self.bytes += len(data)
        try:
            self.run.land(self.splitter.feed(data))
        except Exception as exc:
            self.run.fail(exc)
            if self.transport is not None:
                self.transport.close()

    def eof_received(self) -> bool | None:
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(exc)

    def land_tail(self) -> None:
        """Land the incomplete last line, if any (the connection is over)."""
        tail = self.splitter.flush()
        if tail and self.run.failure is None:
            self.run.land([tail])


async def _hold(run: CollectRun, stream: _NmeaStream, idle_s: float) -> str:
    """Keep the connection until the peer closes it, it idles, or a stop is requested.

    Returns
    -------
    str
        Why the connection ended.
    """
    assert stream.transport is not None  # noqa: S101 - connected
    while True:
        idle_left = stream.last_data + idle_s - time.monotonic()
        if idle_left <= 0:
            stream.transport.close()
            await stream.closed
            return f"no data for {idle_s:g} s"
        try:
            exc = await run.unless_stopped(asyncio.shield(stream.closed), timeout=idle_left)
        except TimeoutError:
            continue
        if run.stopping and not stream.closed.done():
            await drain(stream.transport)
            stream.transport.close()
            await stream.closed
            return "stopped"
        exc = stream.closed.result()
        return f"connection lost: {exc}" if exc else "closed by the peer"


async def collect_tcp(
    run: CollectRun,
    host: str,
    port: int,
    *,
    backoff: Backoff | None = None,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
    idle_s: float = IDLE_TIMEOUT_S,
) -> None:
    """Land NMEA lines from a TCP stream until ``run`` is told to stop.

    Parameters
    ----------
    run : CollectRun
        Where lines go and when to stop.
    host, port : str, int
        The feed's address.
    backoff : Backoff
        Reconnection delays (default :class:`Backoff()`).
    connect_timeout_s : float
        Seconds allowed for one connection attempt.
    idle_s : float
        Reconnect after this many seconds without data (a silently dead connection).
    """
    backoff = backoff or Backoff()
    loop = asyncio.get_running_loop()
    reconnects = Reconnects(backoff)
    where = f"{host}:{port}"
    while not run.stopping:
        stream: _NmeaStream | None = None
        try:
            connected = await run.unless_stopped(
                loop.create_connection(lambda: _NmeaStream(run), host, port), timeout=connect_timeout_s
            )
        except TimeoutError:
            reason = f"cannot connect to {where}: timed out after {connect_timeout_s:g} s"
        except OSError as exc:
            reason = f"cannot connect to {where}: {exc.strerror or exc}"
        else:
            if connected is None:
                break
            _, stream = connected
            run.say(f"connected to {where}")
            reconnects.connected()
            try:
                ended = await _hold(run, stream, idle_s)
            finally:
                stream.land_tail()
            if run.stopping:
                break
            reconnects.disconnected()
            reason = f"disconnected from {where}: {ended}"
        delay = reconnects.next_delay()
        run.say(f"{reason}; reconnecting in {delay:.1f} s")
        await run.wait_stopped(delay)
