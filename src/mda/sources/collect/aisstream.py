"""aisstream.io WebSocket client: subscribe, land each message as one JSON line, reconnect.

Protocol (https://aisstream.io/documentation): open a WebSocket to the stream URL and, within
3 seconds, send one subscription message::

    {"APIKey": "...", "BoundingBoxes": [[[lat1, lon1], [lat2, lon2]], ...],
     "FilterMessageTypes": ["PositionReport", ...]}

Bounding boxes are latitude first.  The server then pushes one JSON message per AIS message
(``MessageType``, ``MetaData`` with ``time_utc``, ``Message``).  A subscription the server does
not accept is answered with a single ``{"error": "..."}`` message and a close; that error is
fatal here (reconnecting with the same key or subscription would only hammer the server).
Other disconnects are retried with :class:`~mda.sources.collect.backoff.Backoff` delays.

Each message is landed as received, one message a line.  A JSON text cannot contain a raw line
end inside a string, so line ends between tokens (insignificant whitespace) are replaced by
spaces; aisstream.io sends compact JSON, so this does not happen in practice.  The API key is
never logged or printed: the connection's logger drops debug records (which would show the
subscription frame) and masks the key in all others, and error texts are masked too.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any, Literal

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI, WebSocketException

from mda.sources.collect.backoff import Backoff, Reconnects
from mda.sources.collect.errors import CollectError
from mda.sources.collect.run import CollectRun

SUBSCRIBE_TIMEOUT_S = 3.0
"""The server closes a connection without a subscription after this many seconds."""
OPEN_TIMEOUT_S = 10.0
CLOSE_TIMEOUT_S = 2.0
MAX_MESSAGE = 1024 * 1024
"""Largest accepted message, in bytes."""

BoundingBox = tuple[tuple[float, float], tuple[float, float]]
"""``((lat1, lon1), (lat2, lon2))``, opposite corners in decimal degrees (WGS 84)."""

TAIWAN_STRAIT: BoundingBox = ((21.0, 116.0), (27.0, 123.0))
"""Default subscription box: latitude 21-27 N, longitude 116-123 E."""

_MASK = "***"


def parse_bbox(text: str) -> BoundingBox:
    """Parse ``LAT1,LON1,LAT2,LON2`` (decimal degrees) into a :data:`BoundingBox`.

    Raises
    ------
    ValueError
        Not four numbers, or a latitude outside [-90, 90] or a longitude outside [-180, 180].
    """
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError(f"expected LAT1,LON1,LAT2,LON2, got {text!r}")
    try:
        lat1, lon1, lat2, lon2 = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"not numbers: {text!r}") from None
    for lat in (lat1, lat2):
        if not -90 <= lat <= 90:
            raise ValueError(f"latitude out of range [-90, 90]: {lat:g}")
    for lon in (lon1, lon2):
        if not -180 <= lon <= 180:
            raise ValueError(f"longitude out of range [-180, 180]: {lon:g}")
    return (lat1, lon1), (lat2, lon2)


@dataclass(frozen=True)
class Subscription:
    """What to ask aisstream.io for.

    Attributes
    ----------
    api_key : str
        The API key (excluded from ``repr``).
    boxes : tuple of BoundingBox
        Areas to receive, latitude first.
    message_types : tuple of str
        aisstream.io message type names to receive; empty means all.
    """

    api_key: str = field(repr=False)
    boxes: tuple[BoundingBox, ...] = (TAIWAN_STRAIT,)
    message_types: tuple[str, ...] = ()

    def to_json(self) -> str:
        """The subscription message."""
        message: dict[str, Any] = {
            "APIKey": self.api_key,
            "BoundingBoxes": [[list(a), list(b)] for a, b in self.boxes],
        }
        if self.message_types:
            message["FilterMessageTypes"] = list(self.message_types)
        return json.dumps(message)


class AisstreamError(CollectError):
    """aisstream.io answered with an error message (bad key or subscription)."""


def redact(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` replaced by ``***``."""
    return text.replace(secret, _MASK) if secret else text


def server_error(message: bytes) -> str | None:
    """The text of an aisstream.io error message (``{"error": "..."}``), else ``None``."""
    if len(message) > 4096 or b'"error"' not in message:
        return None
    try:
        obj = json.loads(message)
    except ValueError:
        return None
    if isinstance(obj, dict) and "error" in obj and "MessageType" not in obj:
        return str(obj["error"])
    return None


def one_line(message: bytes) -> bytes:
    """``message`` with CR and LF replaced by spaces (unchanged when it has none)."""
    if b"\n" in message or b"\r" in message:
        return message.replace(b"\r", b" ").replace(b"\n", b" ")
    return message


class _RedactingLogger(logging.LoggerAdapter[logging.Logger]):
    """Passes INFO and above to ``logger`` with the secret masked; drops DEBUG records."""

    def __init__(self, logger: logging.Logger, secret: str) -> None:
        super().__init__(logger, {})
        self.secret = secret

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 - the logging API's name
        return level >= logging.INFO and self.logger.isEnabledFor(level)

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        return msg, kwargs

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if not self.isEnabledFor(level):
            return
        text = str(msg) % args if args else str(msg)
        exc = kwargs.pop("exc_info", None)
        if isinstance(exc, BaseException):
            text = f"{text}: {type(exc).__name__}: {exc}"
        kwargs.pop("stack_info", None)
        self.logger.log(level, redact(text, self.secret), **kwargs)


async def _receive(run: CollectRun, ws: ClientConnection, secret: str) -> str:
    """Land messages until the connection closes; return why it closed."""
    try:
        while True:
            message = await ws.recv(decode=False)
            error = server_error(message)
            if error is not None:
                raise AisstreamError(redact(f"aisstream.io refused the subscription: {error}", secret))
            run.land([one_line(message)])
    except ConnectionClosed as exc:
        return redact(f"connection closed ({exc})", secret)


async def _session(run: CollectRun, ws: ClientConnection, subscription: Subscription) -> str:
    """Subscribe, then land messages until the server closes or a stop is requested."""
    secret = subscription.api_key
    try:
        await asyncio.wait_for(ws.send(subscription.to_json()), SUBSCRIBE_TIMEOUT_S)
    except ConnectionClosed as exc:
        return redact(f"closed before the subscription was sent ({exc})", secret)
    except TimeoutError:
        return f"subscription not sent within {SUBSCRIBE_TIMEOUT_S:g} s"
    receiver = asyncio.create_task(_receive(run, ws, secret))
    await run.unless_stopped(asyncio.shield(receiver))
    if not receiver.done():
        await ws.close()
        try:
            await asyncio.wait_for(asyncio.shield(receiver), CLOSE_TIMEOUT_S + 1)
        except TimeoutError:
            receiver.cancel()
            return "stopped"
    return receiver.result()


async def collect_aisstream(
    run: CollectRun,
    url: str,
    subscription: Subscription,
    *,
    backoff: Backoff | None = None,
    proxy: str | Literal[True] | None = True,
    open_timeout_s: float = OPEN_TIMEOUT_S,
) -> None:
    """Land aisstream.io messages as JSON lines until ``run`` is told to stop.

    Parameters
    ----------
    run : CollectRun
        Where lines go and when to stop.
    url : str
        WebSocket URL (``wss://`` or ``ws://``).
    subscription : Subscription
        Key, boxes and message types, sent right after each connect.
    backoff : Backoff
        Reconnection delays (default :class:`Backoff()`).
    proxy : str, True or None
        Proxy for the connection: ``True`` follows the usual proxy environment variables,
        ``None`` connects directly.
    open_timeout_s : float
        Seconds allowed to open the WebSocket.

    Raises
    ------
    AisstreamError
        The server answered the subscription with an error, or refused the handshake with HTTP
        401, 403 or 404.
    CollectError
        The URL is not a WebSocket URL.
    """
    backoff = backoff or Backoff()
    secret = subscription.api_key
    logger = _RedactingLogger(logging.getLogger("mda.collect.aisstream"), secret)
    reconnects = Reconnects(backoff)
    while not run.stopping:
        try:
            ws = await run.unless_stopped(
                connect(
                    url,
                    open_timeout=open_timeout_s,
                    close_timeout=CLOSE_TIMEOUT_S,
                    max_size=MAX_MESSAGE,
                    proxy=proxy,
                    logger=logger,
                ),
                timeout=open_timeout_s + 1,
            )
        except InvalidURI as exc:
            raise CollectError(redact(f"not a WebSocket URL: {exc}", secret)) from None
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status in (401, 403, 404):
                raise AisstreamError(f"aisstream.io refused the connection: HTTP {status}") from None
            reason = f"cannot connect to {url}: HTTP {status}"
        except (OSError, TimeoutError, WebSocketException) as exc:
            reason = redact(f"cannot connect to {url}: {exc or type(exc).__name__}", secret)
        else:
            if ws is None:
                break
            run.say(f"connected to {url}")
            reconnects.connected()
            try:
                ended = await _session(run, ws, subscription)
            finally:
                await ws.close()
            if run.stopping:
                break
            reconnects.disconnected()
            reason = f"disconnected from {url}: {ended}"
        delay = reconnects.next_delay()
        run.say(f"{reason}; reconnecting in {delay:.1f} s")
        await run.wait_stopped(delay)
