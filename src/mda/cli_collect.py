"""The ``mda collect`` command: run a live collector that lands raw lines in hourly files.

``mda collect tcp HOST:PORT``, ``mda collect udp [HOST:]PORT`` and ``mda collect aisstream`` run
until SIGTERM or SIGINT (or ``--max-seconds`` / ``--max-lines``), then finalise the open hour and
exit 0.  Progress goes to stderr every ``--progress-lines`` lines or ``--progress-seconds``
seconds; an error is one line on stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mda.cli_args import positive_float as _positive_float
from mda.cli_args import positive_int as _positive_int

if TYPE_CHECKING:
    from mda.sources.collect.run import CollectRun

EXIT_ERROR = 1


def _address(text: str, *, host_optional: bool) -> tuple[str, int]:
    host, sep, port_text = text.rpartition(":")
    if not sep:
        if not host_optional:
            raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
        host, port_text = "", text
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    try:
        port = int(port_text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {port_text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 1-65535: {port}")
    if not host and not host_optional:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host, port


def _host_port(text: str) -> tuple[str, int]:
    return _address(text, host_optional=False)


def _listen_address(text: str) -> tuple[str, int]:
    return _address(text, host_optional=True)


def _bbox(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    from mda.sources.collect.aisstream import parse_bbox

    try:
        return parse_bbox(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _default_source(prefix: str, *parts: object) -> str:
    name = "-".join([prefix, *(re.sub(r"[^A-Za-z0-9_]", "_", str(p)) for p in parts)])
    return name[:64]


def _say(command: str, quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            sys.stderr.write(f"mda: collect {command}: {message}\n")
            sys.stderr.flush()

    return say


def _run(
    args: argparse.Namespace,
    command: str,
    source: str,
    kind_name: str,
    collector: Callable[[CollectRun], Coroutine[Any, Any, None]],
    secret: str = "",
) -> int:
    from mda.sources.collect.aisstream import redact
    from mda.sources.collect.errors import CollectError
    from mda.sources.collect.landing import LandingWriter
    from mda.sources.collect.layout import FeedKind
    from mda.sources.collect.run import Limits, run_collection

    say = _say(command, bool(getattr(args, "quiet", False)))
    try:
        writer = LandingWriter(args.out, source, FeedKind(kind_name))
        summary = asyncio.run(
            run_collection(
                writer,
                collector,
                limits=Limits(max_lines=args.max_lines, max_seconds=args.max_seconds),
                say=say,
                progress_lines=args.progress_lines,
                progress_s=args.progress_seconds,
                handle_signals=True,
            )
        )
    except CollectError as exc:
        sys.stderr.write(f"mda: error: {redact(str(exc), secret)}\n")
        return EXIT_ERROR
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"mda: error: {redact(str(exc.strerror or exc), secret)}{where}\n")
        return EXIT_ERROR
    say(f"stopped ({summary.stop_reason}); {summary.lines:,} lines landed in {len(summary.files)} files")
    where = args.out / source
    sys.stdout.write(f"{summary.lines} lines landed in {len(summary.files)} files under {where}\n")
    return 0


def _cmd_tcp(args: argparse.Namespace) -> int:
    from mda.sources.collect.backoff import Backoff
    from mda.sources.collect.tcp import collect_tcp

    host, port = args.address
    backoff = Backoff(initial_s=min(1.0, args.backoff_max), max_s=args.backoff_max)

    async def collector(run: CollectRun) -> None:
        await collect_tcp(run, host, port, backoff=backoff, idle_s=args.idle_timeout)

    source = args.source or _default_source("tcp", host, port)
    return _run(args, "tcp", source, "nmea", collector)


def _cmd_udp(args: argparse.Namespace) -> int:
    from mda.sources.collect.errors import CollectError
    from mda.sources.collect.udp import DEFAULT_HOST, bind_udp, collect_udp

    host, port = args.address
    host = host or DEFAULT_HOST
    try:
        sock = bind_udp(host, port)
    except CollectError as exc:
        sys.stderr.write(f"mda: error: {exc}\n")
        return EXIT_ERROR

    async def collector(run: CollectRun) -> None:
        await collect_udp(run, sock)

    try:
        return _run(args, "udp", args.source or _default_source("udp", port), "nmea", collector)
    finally:
        sock.close()


def _cmd_aisstream(args: argparse.Namespace) -> int:
    from mda.settings import load_settings
    from mda.sources.collect.aisstream import TAIWAN_STRAIT, Subscription, collect_aisstream
    from mda.sources.collect.backoff import Backoff

    settings = load_settings()
    key = settings.aisstream_api_key
    if not key:
        sys.stderr.write("mda: error: set MDA_AISSTREAM_API_KEY to your aisstream.io API key\n")
        return EXIT_ERROR
    types = tuple(t.strip() for t in (args.message_types or "").split(",") if t.strip())
    subscription = Subscription(key, tuple(args.bbox or [TAIWAN_STRAIT]), types)
    url = args.url or settings.aisstream_url
    backoff = Backoff(initial_s=min(1.0, args.backoff_max), max_s=args.backoff_max)

    async def collector(run: CollectRun) -> None:
        await collect_aisstream(run, url, subscription, backoff=backoff)

    return _run(args, "aisstream", args.source or "aisstream", "jsonl", collector, secret=key)


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", type=Path, required=True, help="landing root folder")
    common.add_argument(
        "--max-seconds", type=_positive_float, help="stop cleanly after this many seconds (default: run on)"
    )
    common.add_argument(
        "--max-lines", type=_positive_int, help="stop cleanly once this many lines are landed"
    )
    common.add_argument(
        "--progress-lines",
        type=_positive_int,
        default=100_000,
        help="progress at least every N lines (default 100000)",
    )
    common.add_argument(
        "--progress-seconds",
        type=_positive_float,
        default=60.0,
        help="progress at least every S seconds (default 60)",
    )
    return common


def _backoff_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backoff-max",
        type=_positive_float,
        default=60.0,
        metavar="SECONDS",
        help="longest wait between reconnection attempts (default 60; waits start at 1 s and double)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``collect`` command (``tcp``, ``udp``, ``aisstream``) to the ``mda`` parser."""
    common = _common()
    layout = (
        "Lines land in OUT/SOURCE/YYYY/MM/DD/SOURCE-YYYYMMDDTHH.{nmea,jsonl}.zst (UTC hour of "
        "receipt) with a .manifest.json per hour; the open hour is a .partial file, finalised at "
        "the hour's end, at exit, or at the next start after a crash.  Stops cleanly on SIGTERM or "
        "SIGINT (exit 0)."
    )
    p = subparsers.add_parser(
        "collect",
        help="run a live AIS collector (TCP, UDP or aisstream.io) into hourly landing files",
        description="Run a long-lived collector that lands raw AIS lines in hourly, compressed, "
        "immutable files for the daily pipeline. " + layout,
    )
    feeds = p.add_subparsers(dest="feed", required=True, metavar="FEED")

    t = feeds.add_parser(
        "tcp",
        parents=[common],
        help="NMEA lines from a TCP stream (AISHub, Kystverket, ...)",
        description="Connect to an NMEA TCP stream and land every line, reconnecting with "
        "exponential backoff. Lines without a tag block time get \\c:<unix s>,s:<source>*hh\\ "
        "prepended. " + layout,
    )
    t.add_argument("address", type=_host_port, metavar="HOST:PORT", help="the feed's address")
    t.add_argument("--source", help="source name in paths and tag blocks (default tcp-HOST-PORT)")
    _backoff_option(t)
    t.add_argument(
        "--idle-timeout",
        type=_positive_float,
        default=120.0,
        metavar="SECONDS",
        help="reconnect after this long without data (default 120)",
    )
    t.set_defaults(func=_cmd_tcp)

    u = feeds.add_parser(
        "udp",
        parents=[common],
        help="NMEA lines from UDP datagrams",
        description="Listen for NMEA datagrams (one or more lines each) and land every line. "
        "HOST defaults to 127.0.0.1; use 0.0.0.0:PORT to accept datagrams from other hosts. " + layout,
    )
    u.add_argument("address", type=_listen_address, metavar="[HOST:]PORT", help="address to listen on")
    u.add_argument("--source", help="source name in paths and tag blocks (default udp-PORT)")
    u.set_defaults(func=_cmd_udp)

    a = feeds.add_parser(
        "aisstream",
        parents=[common],
        help="JSON messages from the aisstream.io WebSocket",
        description="Subscribe to aisstream.io and land each message as one JSON line. The API key "
        "is read from MDA_AISSTREAM_API_KEY and never printed. An error answer from the server "
        "(e.g. an invalid key) stops the collector with exit status 1. " + layout,
    )
    a.add_argument(
        "--bbox",
        type=_bbox,
        action="append",
        metavar="LAT1,LON1,LAT2,LON2",
        help="bounding box, latitude first, decimal degrees; repeat for several "
        "(default the Taiwan Strait 21,116,27,123)",
    )
    a.add_argument("--url", help="WebSocket URL (default MDA_AISSTREAM_URL or the aisstream.io stream)")
    a.add_argument(
        "--message-types",
        metavar="TYPE[,TYPE...]",
        help="aisstream.io message types to receive, e.g. PositionReport,ShipStaticData (default all)",
    )
    a.add_argument("--source", help="source name in paths (default aisstream)")
    _backoff_option(a)
    a.set_defaults(func=_cmd_aisstream)
