"""Per-hour manifests of landing files, and finding the landed files of an interval.

A manifest is a small JSON object written next to its data file after the data file is final::

    {
      "format": "mda-landing-manifest/1",
      "source": "kystverket",
      "kind": "nmea",
      "hour_utc": "2026-11-24T13:00:00Z",
      "sequence": 0,
      "file": "kystverket-20261124T13.nmea.zst",
      "lines": 3601,
      "bytes": 291456,
      "sha256": "…",
      "first_receive_utc": "2026-11-24T13:00:00.412000Z",
      "last_receive_utc": "2026-11-24T13:59:59.870000Z",
      "open_utc": "2026-11-24T13:00:00Z",
      "close_utc": "2026-11-24T14:00:00Z",
      "recovered": false,
      "collector": "mda 0.1.0"
    }

``lines`` counts the lines in the data file and ``bytes`` its uncompressed size; ``sha256`` is the
digest of the compressed file.  ``open_utc``/``close_utc`` bound the part of the hour during which
the collector held the hour open (connected or reconnecting): an hour is fully covered when the
manifests of its sequence files together span ``[hour_utc, hour_utc + 1 h)``.  The receive times
are ``null`` when the file has no lines.  ``recovered`` is true when the file was finalised at
start-up from the partial file of a collector that was killed; its ``close_utc`` and
``last_receive_utc`` are then the partial file's last modification time.  A manifest appears only
after its data file is complete, so an hour without a manifest is missing or still open.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mda.sources.collect.errors import CollectError
from mda.sources.collect.layout import FeedKind, hour_of, utc

MANIFEST_FORMAT = "mda-landing-manifest/1"


def iso_utc(unix_s: float | None) -> str | None:
    """``unix_s`` as ISO 8601 UTC with a ``Z`` suffix (``None`` stays ``None``)."""
    if unix_s is None:
        return None
    return utc(unix_s).isoformat().replace("+00:00", "Z")


def parse_iso_utc(text: Any) -> float | None:
    """An ISO 8601 time written by :func:`iso_utc` as seconds since the Unix epoch.

    ``None`` stays ``None``; text that is not a time raises ``ValueError``.
    """
    if text is None:
        return None
    return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()


@dataclass(frozen=True)
class Manifest:
    """What one landing file holds.

    Attributes
    ----------
    source : str
        Source name.
    kind : FeedKind
        What the lines hold.
    hour_s : int
        Start of the UTC hour, seconds since the Unix epoch.
    sequence : int
        Sequence number within the hour (0 for the first file).
    file : str
        Name of the data file, in the manifest's folder.
    lines : int
        Lines in the data file.
    bytes : int
        Uncompressed size of the data file, in bytes.
    sha256 : str
        Hex SHA-256 digest of the compressed data file.
    first_receive_s, last_receive_s : float or None
        Receive times of the first and last line, seconds since the Unix epoch (UTC).
    open_s, close_s : float
        When the collector opened and closed this file, seconds since the Unix epoch (UTC).
    recovered : bool
        Finalised from a killed collector's partial file.
    collector : str
        Name and version of the program that wrote the file.
    """

    source: str
    kind: FeedKind
    hour_s: int
    sequence: int
    file: str
    lines: int
    bytes: int
    sha256: str
    first_receive_s: float | None
    last_receive_s: float | None
    open_s: float
    close_s: float
    recovered: bool
    collector: str

    def to_json(self) -> dict[str, Any]:
        """The manifest as a JSON object."""
        return {
            "format": MANIFEST_FORMAT,
            "source": self.source,
            "kind": self.kind.value,
            "hour_utc": iso_utc(self.hour_s),
            "sequence": self.sequence,
            "file": self.file,
            "lines": self.lines,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "first_receive_utc": iso_utc(self.first_receive_s),
            "last_receive_utc": iso_utc(self.last_receive_s),
            "open_utc": iso_utc(self.open_s),
            "close_utc": iso_utc(self.close_s),
            "recovered": self.recovered,
            "collector": self.collector,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Manifest:
        """Parse a manifest written by :meth:`to_json`; raise ``ValueError`` if it is not one."""
        if obj.get("format") != MANIFEST_FORMAT:
            raise ValueError(f"not a landing manifest: format {obj.get('format')!r}")
        hour = parse_iso_utc(obj["hour_utc"])
        open_s = parse_iso_utc(obj["open_utc"])
        close_s = parse_iso_utc(obj["close_utc"])
        if hour is None or open_s is None or close_s is None:
            raise ValueError("manifest lacks hour_utc, open_utc or close_utc")
        return cls(
            source=str(obj["source"]),
            kind=FeedKind(obj["kind"]),
            hour_s=int(hour),
            sequence=int(obj["sequence"]),
            file=str(obj["file"]),
            lines=int(obj["lines"]),
            bytes=int(obj["bytes"]),
            sha256=str(obj["sha256"]),
            first_receive_s=parse_iso_utc(obj["first_receive_utc"]),
            last_receive_s=parse_iso_utc(obj["last_receive_utc"]),
            open_s=open_s,
            close_s=close_s,
            recovered=bool(obj["recovered"]),
            collector=str(obj["collector"]),
        )


def read_manifest(path: Path) -> Manifest:
    """Read one manifest file; raise :class:`CollectError` if it is unreadable or malformed."""
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CollectError(f"bad landing manifest {path}: {exc}") from exc


@dataclass(frozen=True)
class LandedFile:
    """A final landing file and its manifest.

    Attributes
    ----------
    data : Path
        The compressed data file.
    manifest_path : Path
        Its manifest file.
    manifest : Manifest
        The parsed manifest.
    """

    data: Path
    manifest_path: Path
    manifest: Manifest


def find_landed(root: Path, source: str, start: dt.datetime, end: dt.datetime) -> list[LandedFile]:
    """The final landing files of ``source`` whose hour lies in ``[start, end)``.

    Parameters
    ----------
    root : Path
        Landing root folder (the collectors' ``--out``).
    source : str
        Source name.
    start, end : datetime
        Aware UTC datetimes bounding the half-open interval; hours are selected by their start.

    Returns
    -------
    list of LandedFile
        Sorted by hour, then sequence number.  Open hours (no manifest yet) are not included.
    """
    first = hour_of(start.timestamp())
    stop = end.timestamp()
    found: list[LandedFile] = []
    day = utc(first).date()
    last_day = utc(max(first, stop - 1)).date()
    while day <= last_day:
        folder = root / source / f"{day:%Y/%m/%d}"
        for path in sorted(folder.glob(f"{source}-*.manifest.json")) if folder.is_dir() else []:
            manifest = read_manifest(path)
            if manifest.source == source and first <= manifest.hour_s < stop:
                found.append(LandedFile(path.parent / manifest.file, path, manifest))
        day += dt.timedelta(days=1)
    found.sort(key=lambda f: (f.manifest.hour_s, f.manifest.sequence))
    return found
