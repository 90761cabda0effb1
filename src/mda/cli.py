"""The ``mda`` command.

Every subcommand has ``--help``; long work prints progress on stderr; an error is one line on
stderr (``mda: error: ...``) with exit status 1 (2 for bad usage), never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from mda import __version__
from mda.cli_args import date_arg as _date
from mda.cli_args import positive_float as _positive_float
from mda.sources.formats import FORMATS

EXIT_ERROR = 1


class CliError(Exception):
    """An error to print as one line."""


def _progress(quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            print(f"mda: {message}", file=sys.stderr, flush=True)

    return say


def _cmd_simulate(args: argparse.Namespace) -> int:
    from mda.simulate import simulate_day

    args.out.mkdir(parents=True, exist_ok=True)
    result = simulate_day(args.date, args.seed, args.out, scale=args.scale, progress=_progress(args.quiet))
    counts = f"{result.lines:,} lines, {result.messages:,} messages, {result.vessels} vessels"
    print(f"nmea:   {result.nmea_path}  ({counts})")
    print(f"truth:  {result.truth_path}  ({result.transits} transits)")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from mda.interval import Interval
    from mda.pipeline import run_files

    interval = None
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise CliError("--from and --to go together")
        interval = Interval(Interval.for_day(args.date_from).start, Interval.for_day(args.date_to).end)
    summary = run_files(
        args.input,
        args.db,
        args.out,
        interval,
        progress=_progress(args.quiet),
        fmt=args.format,
        assume_date=args.assume_date,
    )
    _print_summary(summary)
    return 0


def _print_summary(summary: object) -> None:
    from mda.pipeline import RunSummary

    assert isinstance(summary, RunSummary)  # noqa: S101 - narrows the type for mypy
    iv = summary.interval
    print(f"interval:  [{iv.start:%Y-%m-%dT%H:%MZ}, {iv.end:%Y-%m-%dT%H:%MZ})")
    for source, a in sorted(summary.accounting.items()):
        print(f"{source}: {a.summary()}")
    counts = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.row_counts.items()))
    print(f"stored:    {counts}")
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in summary.stage_s.items())
    print(f"took:      {summary.duration_s:.1f} s ({stages})")
    for name, path in sorted(summary.outputs.items()):
        print(f"{name + ':':<10} {path}")


def _cmd_demo(args: argparse.Namespace) -> int:
    from mda.pipeline import run_files
    from mda.simulate import simulate_day

    say = _progress(args.quiet)
    out: Path = args.dir
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    say(f"simulating {args.date} (seed {args.seed}) into {raw}")
    sim = simulate_day(args.date, args.seed, raw, scale=args.scale, progress=say)
    db = out / "mda.duckdb"
    summary = run_files([sim.nmea_path], db, out / "publish", progress=say)
    _print_summary(summary)
    detected = summary.row_counts["transits"]
    print(f"transits:  {detected} detected; ground truth lists {sim.transits} ({sim.truth_path})")
    print(f"database:  {db}")
    example = "SELECT direction, count(*) FROM transits GROUP BY ALL"
    print(f'try:       mda query --db {db} "{example}"')
    print(f"           mda shell --db {db}")
    print(f"           mda export transits --db {db} --out {out / 'transits.csv'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``mda`` command."""
    parser = argparse.ArgumentParser(
        prog="mda", description="Maritime domain awareness for the Taiwan Strait."
    )
    parser.add_argument("--version", action="version", version=f"mda {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "simulate",
        help="write a simulated strait day as raw NMEA plus ground truth",
        description="Write a deterministic simulated day of Taiwan Strait AIS traffic (raw NMEA with "
        "tag blocks) and its ground truth (JSON).",
    )
    p.add_argument("--date", type=_date, required=True, help="UTC day to simulate, YYYY-MM-DD")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument(
        "--scale", type=_positive_float, default=1.0, help="multiplier of background traffic (default 1)"
    )
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser(
        "run",
        help="decode raw files, detect transits, load DuckDB, publish map and statistics",
        description="Run the whole pipeline on AIS files (format detected from content).",
    )
    p.add_argument(
        "--input",
        type=Path,
        nargs="+",
        required=True,
        metavar="FILE",
        help="AIS files: raw NMEA, aisstream JSON lines, MarineCadastre or DMA CSV; plain or compressed",
    )
    p.add_argument("--db", type=Path, required=True, help="DuckDB database file (created if missing)")
    p.add_argument("--out", type=Path, required=True, help="folder for the map and statistics")
    p.add_argument(
        "--from", dest="date_from", type=_date, help="first UTC day to replace (default: days in the data)"
    )
    p.add_argument("--to", dest="date_to", type=_date, help="last UTC day to replace, inclusive")
    p.add_argument(
        "--format", choices=FORMATS, help="input format (default: detected from each file's content)"
    )
    p.add_argument(
        "--assume-date",
        type=_date,
        help="give lines that carry no time 00:00 UTC of this day instead of rejecting them as no_timestamp",
    )
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "demo",
        help="simulate a day and run the pipeline on it",
        description="Simulate a strait day, run the pipeline into a folder and say where the map, "
        "statistics and database are.",
    )
    p.add_argument("--dir", type=Path, default=Path("demo"), help="output folder (default ./demo)")
    p.add_argument("--date", type=_date, default=dt.date(2026, 11, 24), help="UTC day (default 2026-11-24)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--scale", type=_positive_float, default=1.0, help="multiplier of background traffic (default 1)"
    )
    p.set_defaults(func=_cmd_demo)

    from mda.cli_collect import register as register_collect
    from mda.cli_decode import register as register_decode
    from mda.cli_fences import register as register_fences
    from mda.cli_publish import register as register_publish
    from mda.cli_store import register as register_store

    register_collect(sub)
    register_decode(sub)
    register_fences(sub)
    register_publish(sub)
    register_store(sub)
    return parser


#: Exceptions whose message is shown to the user as one line: (module, class name).  They are
#: looked up only in modules already imported, so a command never imports what it did not use.
USER_ERRORS = (
    ("mda.cli", "CliError"),
    ("mda.pipeline", "PipelineError"),
    ("mda.sources.errors", "SourceError"),
    ("mda.store.db", "StoreError"),
    ("mda.geo.fences", "FenceError"),
    ("mda.publish.assets", "AssetsMissingError"),
)


def _user_message(exc: BaseException) -> str | None:
    """The one-line message for an expected error, or None for a bug."""
    for module_name, class_name in USER_ERRORS:
        module = sys.modules.get(module_name)
        if module is not None and isinstance(exc, getattr(module, class_name)):
            return str(exc)
    duckdb = sys.modules.get("duckdb")
    if duckdb is not None and isinstance(exc, duckdb.Error):
        return "database: " + (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mda`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        print("mda: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        message = _user_message(exc)
        if message is None:
            raise
        print(f"mda: error: {message}", file=sys.stderr)
        return EXIT_ERROR
    return code


if __name__ == "__main__":
    sys.exit(main())
