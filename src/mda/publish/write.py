"""Atomic file writes: readers never see a half-written artefact."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

#: Published files are world-readable (a web server or a colleague reads them), like ``cp`` makes.
PUBLISHED_MODE = 0o644


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, PUBLISHED_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_csv_atomic(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write a CSV file (RFC 4180, CRLF line ends as the csv module writes) atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return write_text_atomic(path, buffer.getvalue())


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, PUBLISHED_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_parquet_atomic(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """Write rows as a Parquet file (column types inferred; all-empty columns as strings)."""
    columns = {}
    for k, name in enumerate(header):
        values: list[Any] = [None if row[k] == "" else row[k] for row in rows]
        columns[name] = (
            pa.array(values) if any(v is not None for v in values) else pa.array(values, pa.string())
        )
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink)
    return write_bytes_atomic(path, sink.getvalue().to_pybytes())


def day_folders(out_dir: Path) -> list[str]:
    """Names of the ``YYYY-MM-DD`` folders holding a daily report under ``out_dir``, sorted."""
    if not out_dir.is_dir():
        return []
    return sorted(
        p.name
        for p in out_dir.iterdir()
        if len(p.name) == 10 and p.name[4] == "-" and (p / "index.html").is_file()
    )
