"""``mda decode``: decode one AIS file of any supported format to JSON Lines or Parquet.

Like gpsdecode: one row per decoded message with pyais field names (``msg_type``, ``mmsi``,
``lon``, ``lat``, ``speed``, ``course``, ``heading``, ``shipname`` ...), NULL where a message
does not carry a field or the value is "not available", and ``ts``, the UTC receive time
(ISO 8601 with ``Z`` in JSON Lines).  Columns are those of :data:`mda.decode.messages.MESSAGES`;
fields without a column are in ``extra`` (a JSON object; in JSON Lines its keys are merged
into the row).  Every line that did not become a message (rejected, non-AIS, duplicate) is
written to the sidecar ``<out stem>.rejects.jsonl`` with its line number, reason, detail and
raw text.  Outputs are written to temporary files and renamed into place when complete; the
input is only read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mda.cli_args import date_arg as _date
from mda.sources.errors import SourceError, TruncatedInputError
from mda.sources.formats import FORMATS

if TYPE_CHECKING:
    import pyarrow as pa

    from mda.decode.batch import Accounting

CHUNK_LINES = 50_000
OUTPUT_SUFFIXES = (".jsonl", ".parquet")


class DecodeError(SourceError):
    """``mda decode`` cannot run; the message is one line for the user."""


def rejects_path(out: Path) -> Path:
    """The rejects sidecar of an output file: ``x.jsonl`` / ``x.parquet`` → ``x.rejects.jsonl``."""
    return out.with_name(f"{out.stem}.rejects.jsonl")


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        text = value.astimezone(dt.UTC).isoformat(timespec="microseconds" if value.microsecond else "seconds")
        return text.replace("+00:00", "Z")
    return value


def _message_lines(table: pa.Table) -> list[str]:
    lines = []
    for row in table.to_pylist():
        extra = row.pop("extra")
        out = {key: _iso(value) for key, value in row.items()}
        if extra:
            for key, value in json.loads(extra).items():
                out.setdefault(key, value)
        lines.append(json.dumps(out, ensure_ascii=False))
    return lines


def _reject_lines(table: pa.Table) -> list[str]:
    return [
        json.dumps({key: _iso(value) for key, value in row.items()}, ensure_ascii=False)
        for row in table.to_pylist()
    ]


def _write_lines(handle: IO[str], lines: list[str]) -> None:
    for line in lines:
        handle.write(line)
        handle.write("\n")


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def decode_file(
    source_path: Path,
    out: Path,
    fmt: str | None = None,
    *,
    assume_date: dt.date | None = None,
    keep_duplicates: bool = False,
    chunk_lines: int = CHUNK_LINES,
) -> tuple[Accounting, int, str | None]:
    """Decode ``source_path`` into ``out`` (``.jsonl`` or ``.parquet``) plus the rejects sidecar.

    Returns
    -------
    (Accounting, int, str or None)
        The line accounting, the number of message rows written, and the one-line error when
        the input was truncated (the outputs then hold everything read before the damage).

    Raises
    ------
    SourceError
        When the input cannot be read or the output name is not usable.
    """
    import pyarrow.parquet as pq

    from mda.decode.messages import MESSAGES
    from mda.sources.open import open_decoder

    suffix = out.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise DecodeError(f"--out must end in {' or '.join(OUTPUT_SUFFIXES)}: {out}")
    sidecar = rejects_path(out)
    inputs = {source_path.resolve()}
    if out.resolve() in inputs or sidecar.resolve() in inputs:
        raise DecodeError(f"refusing to overwrite the input {source_path}")
    if not out.parent.is_dir():
        raise DecodeError(f"output folder does not exist: {out.parent}")
    source = open_decoder(
        source_path,
        fmt,
        chunk_lines=chunk_lines,
        assume_date=assume_date,
        dedup_window_s=None if keep_duplicates else 30.0,
        with_messages=True,
    )
    tmp_out, tmp_rejects = _tmp(out), _tmp(sidecar)
    rows = 0
    error: str | None = None
    writer: pq.ParquetWriter | None = None
    try:
        with tmp_rejects.open("w", encoding="utf-8") as rejects_file:
            messages_file = tmp_out.open("w", encoding="utf-8") if suffix == ".jsonl" else None
            if messages_file is None:
                writer = pq.ParquetWriter(tmp_out, MESSAGES)
            try:
                try:
                    for batch in source:
                        messages = batch.messages if batch.messages is not None else MESSAGES.empty_table()
                        rows += messages.num_rows
                        if writer is not None:
                            writer.write_table(messages)
                        elif messages_file is not None:
                            _write_lines(messages_file, _message_lines(messages))
                        _write_lines(rejects_file, _reject_lines(batch.rejects))
                except TruncatedInputError as exc:
                    error = str(exc)
            finally:
                if messages_file is not None:
                    messages_file.close()
                if writer is not None:
                    writer.close()
        tmp_out.replace(out)
        tmp_rejects.replace(sidecar)
    finally:
        for tmp in (tmp_out, tmp_rejects):
            tmp.unlink(missing_ok=True)
    return source.accounting, rows, error


def _cmd_decode(args: argparse.Namespace) -> int:
    accounting, rows, error = decode_file(
        args.input,
        args.out,
        args.format,
        assume_date=args.assume_date,
        keep_duplicates=args.keep_duplicates,
    )
    sys.stdout.write(f"{args.input.name}: {accounting.summary()}\n")
    sys.stdout.write(f"messages: {args.out}  ({rows:,} rows)\n")
    sys.stdout.write(f"rejects:  {rejects_path(args.out)}\n")
    if error is not None:
        sys.stderr.write(f"mda: error: {error}\n")
        return 1
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``decode`` subcommand to the ``mda`` parser's subcommands."""
    p = subparsers.add_parser(
        "decode",
        help="decode one AIS file (NMEA, aisstream JSON, MarineCadastre or DMA CSV) to JSONL or Parquet",
        description="Decode one AIS file into one row per message with pyais field names; rejected "
        "lines go to <out stem>.rejects.jsonl.  The input may be plain, gzip, zstd, xz, bzip2 or a "
        "one-file zip; its format is detected from its content unless --format is given.",
    )
    p.add_argument("--input", type=Path, required=True, metavar="FILE", help="AIS file to decode")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="output file, .jsonl or .parquet")
    p.add_argument("--format", choices=FORMATS, help="input format (default: detected from the content)")
    p.add_argument(
        "--assume-date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="give messages without a receive time 00:00:00 UTC of this date (counted as assumed)"
        " instead of rejecting them as no_timestamp",
    )
    p.add_argument(
        "--keep-duplicates",
        action="store_true",
        help="keep repeated receptions of the same message (default: drop those within 30 s)",
    )
    p.set_defaults(func=_cmd_decode)
