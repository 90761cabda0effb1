"""Names and folders of landing files.

One hour of one source is landed as::

    ROOT/<source>/YYYY/MM/DD/<source>-YYYYMMDDTHH[.<seq>].<kind>.zst      the lines (final)
    ROOT/<source>/YYYY/MM/DD/<source>-YYYYMMDDTHH[.<seq>].manifest.json   its manifest (final)

while the hour is open, as::

    ...<source>-YYYYMMDDTHH[.<seq>].<kind>.partial    plain text, appended line by line
    ...<source>-YYYYMMDDTHH[.<seq>].open.json         when the hour was opened

``YYYYMMDDTHH`` is the UTC hour of the receive clock; ``kind`` is ``nmea`` (raw NMEA lines) or
``jsonl`` (one JSON message a line).  ``seq`` is absent for the first file of an hour and counts
1, 2, ... for further files of the same hour (a collector restarted within the hour).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from mda.sources.collect.errors import CollectError

HOUR_S = 3600
"""Length of a landing hour, in seconds."""

_SOURCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_NAME = re.compile(
    r"(?P<source>[A-Za-z0-9][A-Za-z0-9_-]*)-(?P<hour>\d{8}T\d{2})(?:\.(?P<seq>[1-9]\d*))?"
    r"\.(?P<kind>nmea|jsonl)\.partial"
)


class FeedKind(Enum):
    """What one line of a landing file holds."""

    NMEA = "nmea"
    """A raw NMEA line (with or without tag block)."""
    JSONL = "jsonl"
    """One JSON message (aisstream.io)."""


def check_source(name: str) -> str:
    """Return ``name`` if it is a valid source name, else raise :class:`CollectError`.

    A source name is 1 to 64 ASCII letters, digits, ``_`` or ``-``, starting with a letter or
    digit.  It appears in folder and file names and in the ``s:`` field of tag blocks.
    """
    if not _SOURCE.fullmatch(name):
        raise CollectError(
            f"invalid source name {name!r}: use 1-64 letters, digits, '_' or '-', starting with a "
            "letter or digit"
        )
    return name


def hour_of(unix_s: float) -> int:
    """Start of the UTC hour containing ``unix_s``, in seconds since the Unix epoch."""
    return int(unix_s // HOUR_S) * HOUR_S


def utc(unix_s: float) -> dt.datetime:
    """``unix_s`` (seconds since the Unix epoch) as an aware UTC datetime."""
    return dt.datetime.fromtimestamp(unix_s, tz=dt.UTC)


@dataclass(frozen=True)
class HourFiles:
    """The paths of one landing file (one source, one UTC hour, one sequence number).

    Attributes
    ----------
    root : Path
        Landing root folder.
    source : str
        Source name.
    hour_s : int
        Start of the UTC hour, in seconds since the Unix epoch.
    seq : int
        0 for the first file of the hour, then 1, 2, ...
    kind : FeedKind
        What the lines hold.
    """

    root: Path
    source: str
    hour_s: int
    seq: int
    kind: FeedKind

    @property
    def folder(self) -> Path:
        """``ROOT/<source>/YYYY/MM/DD``."""
        return self.root / self.source / utc(self.hour_s).strftime("%Y/%m/%d")

    @property
    def stem(self) -> str:
        """``<source>-YYYYMMDDTHH`` with ``.<seq>`` appended when ``seq`` > 0."""
        base = f"{self.source}-{utc(self.hour_s):%Y%m%dT%H}"
        return f"{base}.{self.seq}" if self.seq else base

    @property
    def final(self) -> Path:
        """The compressed, immutable data file."""
        return self.folder / f"{self.stem}.{self.kind.value}.zst"

    @property
    def manifest(self) -> Path:
        """The manifest, written after the data file."""
        return self.folder / f"{self.stem}.manifest.json"

    @property
    def partial(self) -> Path:
        """The plain-text file appended to while the hour is open."""
        return self.folder / f"{self.stem}.{self.kind.value}.partial"

    @property
    def open_record(self) -> Path:
        """The small JSON record of when the open hour was opened."""
        return self.folder / f"{self.stem}.open.json"

    def exists(self) -> bool:
        """Whether any file of this hour and sequence number exists."""
        return any(p.exists() for p in (self.final, self.manifest, self.partial, self.open_record))


def next_free(root: Path, source: str, hour_s: int, kind: FeedKind) -> HourFiles:
    """The first sequence number of the hour with no file yet (so nothing is overwritten)."""
    seq = 0
    while (files := HourFiles(root, source, hour_s, seq, kind)).exists():
        seq += 1
    return files


def parse_partial(root: Path, path: Path) -> HourFiles | None:
    """The :class:`HourFiles` a ``*.partial`` file belongs to, or ``None`` if not ours."""
    match = _NAME.fullmatch(path.name)
    if not match:
        return None
    hour = dt.datetime.strptime(match["hour"], "%Y%m%dT%H").replace(tzinfo=dt.UTC)
    files = HourFiles(
        root, match["source"], int(hour.timestamp()), int(match["seq"] or 0), FeedKind(match["kind"])
    )
    return files if files.partial == path else None
