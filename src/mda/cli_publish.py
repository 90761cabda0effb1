"""``mda publish``: rebuild maps, statistics and reports from the store alone (read-only)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(subparsers: Any) -> None:
    """Add ``mda publish`` to the ``mda`` command's subparsers."""
    parser = subparsers.add_parser(
        "publish",
        help="rebuild maps, statistics and daily reports from the store (read-only)",
        description="Rebuild OUT/<date>/index.html (map, tables, charts, exports) for each day, the map "
        "of the period, statistics across stored days and OUT/index.html. Days are UTC; --to is "
        "inclusive (the interval is [FROM 00:00, TO+1 00:00)). Default: every stored day.",
    )
    parser.add_argument("--db", type=Path, required=True, help="the DuckDB store")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--date", type=_date, help="one UTC day (YYYY-MM-DD)")
    parser.add_argument("--from", dest="date_from", type=_date, help="first UTC day of a range")
    parser.add_argument("--to", dest="date_to", type=_date, help="last UTC day of a range (inclusive)")
    parser.add_argument(
        "--cdn", action="store_true", help="link Leaflet and tiles online (lighter pages that need a network)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``mda publish``; errors are one line on stderr with exit status 1."""
    from mda.interval import Interval
    from mda.pipeline import PipelineError, publish
    from mda.publish.assets import AssetsMissingError

    interval = None
    if args.date and (args.date_from or args.date_to):
        return _fail("--date cannot be combined with --from/--to")
    if bool(args.date_from) != bool(args.date_to):
        return _fail("--from and --to go together")
    if args.date:
        interval = Interval.for_day(args.date)
    elif args.date_from:
        if args.date_to < args.date_from:
            return _fail("--to is before --from")
        interval = Interval(Interval.for_day(args.date_from).start, Interval.for_day(args.date_to).end)
    if not args.db.is_file():
        return _fail(f"no store at {args.db}; run `mda run` first")
    try:
        outputs = publish(args.db, args.out, interval, cdn=args.cdn)
    except (PipelineError, AssetsMissingError, ValueError, OSError) as exc:
        return _fail(str(exc))
    for key, path in outputs.items():
        print(f"{key}: {path}")  # noqa: T201 - the command's output
    return 0


def _fail(message: str) -> int:
    print(f"mda publish: error: {message}", file=sys.stderr)  # noqa: T201 - one-line error
    return 1
