"""``mda query``, ``mda shell``, ``mda export`` and ``mda db``: the analysts' side of the store.

Every command here reads the read-only snapshot ``--db PATH``; none opens the writer database
(``PATH.writer``), which only ``mda run`` and ``mda db migrate`` write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

#: ``mda export`` logs and what each holds.
EXPORT_HELP = {
    "transits": "the transit log (mmsi, direction, start_ts, end_ts: entry and exit gate times)",
    "median_line_crossings": "every median-line crossing with direction, time and point",
    "zone_events": "visits to restricted waters and active exercise areas (entry, exit, dwell)",
    "loitering_events": "loitering episodes (below 2 kn for at least 2 h in the strait)",
    "gap_events": "AIS gaps of at least 6 h by vessels underway",
    "encounters": "encounters (two vessels within 500 m for at least 2 h, slow, away from ports)",
    "port_calls": "port calls (entry, stop, exit) with the port's country",
    "identity_anomalies": "shared MMSIs, identity swaps and several names per MMSI and day",
    "positions": "decoded position reports (filters on ts)",
}
_MAX_WIDTH = 60


class StoreCliError(Exception):
    """An analyst command failed; the message is one line for the user."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _echo(text: str, *, err: bool = False) -> None:
    """Write a line to stdout (the command's interface) or stderr, flushed."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def _say(message: str) -> None:
    _echo(f"mda: {message}", err=True)


def _rows(con: Any, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    import duckdb

    from mda.store.session import friendly_error

    try:
        result = con.execute(sql)
        if result.description is None:
            return [], []
        names = [d[0] for d in result.description]
        return names, result.fetchall()
    except duckdb.Error as exc:
        raise StoreCliError(friendly_error(exc)) from None


def _text(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = str(value).replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return text if len(text) <= _MAX_WIDTH else text[: _MAX_WIDTH - 1] + "…"


def print_rows(names: list[str], rows: list[tuple[Any, ...]], fmt: str, out: IO[str]) -> None:
    """Write a result as an aligned text table, CSV or JSON lines (times ISO 8601 UTC)."""
    if fmt == "csv":
        import csv

        from mda.store.export import neutralise

        writer = csv.writer(out)
        writer.writerow(names)
        for row in rows:
            writer.writerow(
                ["" if v is None else neutralise(_text(v) if isinstance(v, dt.datetime) else v) for v in row]
            )
        return
    if fmt == "json":
        for row in rows:
            record = {
                n: (_text(v) if isinstance(v, dt.datetime) else v) for n, v in zip(names, row, strict=True)
            }
            out.write(json.dumps(record, default=str) + "\n")
        return
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(n)] + [len(r[k]) for r in cells]) for k, n in enumerate(names)]
    out.write("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _open(db: Path) -> Any:
    from mda.store.session import analyst_connection

    con, warning = analyst_connection(db)
    if warning:
        _say(warning)
    return con


def _cmd_query(args: argparse.Namespace) -> int:
    con = _open(args.db)
    try:
        names, rows = _rows(con, args.sql)
    finally:
        con.close()
    print_rows(names, rows, args.format, sys.stdout)
    return 0


def statements(lines: Sequence[str] | IO[str]) -> Any:
    """Split input lines into statements ending with ``;`` and dot-commands (``.quit``)."""
    buffer: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not buffer and stripped.startswith("."):
            yield stripped
            continue
        buffer.append(line.rstrip("\n"))
        if stripped.endswith(";"):
            yield "\n".join(buffer).strip()
            buffer = []
    if "".join(buffer).strip():
        yield "\n".join(buffer).strip()


def _cmd_shell(args: argparse.Namespace) -> int:
    con = _open(args.db)
    interactive = sys.stdin.isatty()
    if interactive:
        _echo(f"mda shell on {args.db} (read-only; statements end with ';'; .quit to leave)")
    failed = False
    try:
        for stmt in statements(sys.stdin):
            if stmt in (".quit", ".exit", ".q"):
                break
            if stmt.startswith("."):
                _echo(f"unknown command {stmt!r} (only .quit)", err=True)
                continue
            try:
                names, rows = _rows(con, stmt)
            except StoreCliError as exc:
                _echo(f"error: {exc}", err=True)
                failed = True
                continue
            if names:
                print_rows(names, rows, "table", sys.stdout)
            sys.stdout.flush()
    finally:
        con.close()
    return 1 if failed and not interactive else 0


def _cmd_export(args: argparse.Namespace) -> int:
    from mda.pipeline import export_events
    from mda.store.export import ExportError, ExportFilters

    filters = ExportFilters(
        day_from=args.date_from,
        day_to=args.date_to,
        mmsi=args.mmsi,
        flag=args.flag,
        direction=args.direction,
        category=args.category,
    )
    try:
        count = export_events(args.db, args.what, args.out, filters, args.format)
    except ExportError as exc:
        raise StoreCliError(str(exc)) from None
    _echo(f"{count} rows of {args.what} written to {args.out}")
    return 0


def _cmd_migrate(args: argparse.Namespace) -> int:
    from mda.store.db import publish_snapshot, writer

    with writer(args.db) as con:
        applied = con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
        con.close()
        publish_snapshot(args.db)
    _echo(f"{args.db}: schema at {applied[-1][0]} ({len(applied)} migrations applied)")
    return 0


def _cmd_schema_doc(args: argparse.Namespace) -> int:
    from mda.store.schema_doc import schema_markdown

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(schema_markdown(), encoding="utf-8")
    _echo(f"schema written to {args.out}")
    return 0


def register(sub: Any) -> None:
    """Add ``query``, ``shell``, ``export`` and ``db`` to the ``mda`` subparsers."""
    from mda.store.export import FORMATS

    p = sub.add_parser(
        "query",
        help="run one read-only SQL statement against the store's snapshot",
        description="Run one SQL statement read-only against the snapshot (spatial loaded).",
    )
    p.add_argument("sql", help="the SQL statement")
    p.add_argument(
        "--db", type=Path, default=Path("demo/mda.duckdb"), help="snapshot (default demo/mda.duckdb)"
    )
    p.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output (default table)"
    )
    p.set_defaults(func=_guard(_cmd_query))

    p = sub.add_parser(
        "shell",
        help="interactive read-only SQL session on the store (statements end with ';')",
        description="Read SQL statements from stdin (ending with ';') and print results as tables; "
        ".quit leaves.",
    )
    p.add_argument(
        "--db", type=Path, default=Path("demo/mda.duckdb"), help="snapshot (default demo/mda.duckdb)"
    )
    p.set_defaults(func=_guard(_cmd_shell))

    p = sub.add_parser("export", help="export a log from the store as CSV, GeoParquet or GeoJSON")
    what = p.add_subparsers(dest="what", required=True, metavar="LOG")
    for log, text in EXPORT_HELP.items():
        t = what.add_parser(
            log,
            help=text,
            description=f"Write {text}. Format from the suffix of --out: .csv (times ISO 8601 UTC), "
            ".parquet (GeoParquet) or .geojson (RFC 7946).",
        )
        t.add_argument("--db", type=Path, required=True, help="the store's snapshot")
        t.add_argument("--out", type=Path, required=True, help="file to write (.csv, .parquet, .geojson)")
        t.add_argument("--format", choices=FORMATS, help="override the format given by the suffix")
        t.add_argument(
            "--from", dest="date_from", type=_date, help="first UTC day (on start_ts; ts for positions)"
        )
        t.add_argument("--to", dest="date_to", type=_date, help="last UTC day, inclusive")
        t.add_argument("--mmsi", type=int, help="one MMSI")
        t.add_argument("--flag", help="ISO 3166-1 alpha-2 flag claimed by the MMSI's MID, e.g. TW")
        t.add_argument("--direction", help="northbound/southbound (transits), W->E/E->W (median line)")
        t.add_argument(
            "--category", help="ship category (cargo, tanker, fishing, military, law_enforcement, ...)"
        )
        t.set_defaults(func=_guard(_cmd_export))

    p = sub.add_parser("db", help="store administration: migrate, schema-doc")
    db = p.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    m = db.add_parser("migrate", help="apply pending migrations and publish the snapshot")
    m.add_argument(
        "--db", type=Path, required=True, help="the store's snapshot path (PATH; PATH.writer is beside it)"
    )
    m.set_defaults(func=_guard(_cmd_migrate))
    d = db.add_parser("schema-doc", help="write the schema document from the migrations")
    d.add_argument("--out", type=Path, default=Path("docs/schema.md"), help="file (default docs/schema.md)")
    d.set_defaults(func=_guard(_cmd_schema_doc))


def _guard(func: Any) -> Any:
    """Turn this module's and the export's errors into the CLI's one-line errors."""

    def run(args: argparse.Namespace) -> int:
        from mda.cli import CliError
        from mda.store.db import StoreError
        from mda.store.export import ExportError

        try:
            return int(func(args))
        except (StoreCliError, StoreError, ExportError) as exc:
            raise CliError(str(exc)) from None

    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Run these commands alone (``python -m mda.cli_store query ...``), as ``mda`` would."""
    from mda.cli import EXIT_ERROR, CliError

    parser = argparse.ArgumentParser(prog="mda", description="The analysts' side of the mda store.")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        _echo(f"mda: error: {exc}", err=True)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
