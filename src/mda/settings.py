"""Runtime settings: the only place that reads ``MDA_*`` environment variables.

Variables
---------
MDA_GEODATA
    Folder holding the versioned fence sets (default: the ``geodata/`` shipped with mda).
MDA_CHUNK_LINES
    Lines read per chunk when ingesting raw files (default 200000).
MDA_WORKERS
    Worker processes a run decodes and detects with (default: one per available core, at
    most 4; 0 keeps the whole run in one process).
MDA_AISSTREAM_API_KEY
    API key of aisstream.io for ``mda collect aisstream`` (no default; never logged or printed).
MDA_AISSTREAM_URL
    WebSocket endpoint of aisstream.io (default ``wss://stream.aisstream.io/v0/stream``).
MDA_LANDING_DIR
    Landing root of the collectors (``mda collect --out``; default ``landing``).
MDA_STORE
    DuckDB store file of the scheduled runs (default ``mda.duckdb``).
MDA_PUBLISH_DIR
    Folder of the published daily snapshots ``<dir>/YYYY-MM-DD/`` (default ``published``).
MDA_SOURCES
    Comma-separated sources of the daily runs: ``name`` for a collector's landing files, or
    ``name=PATTERN`` for archive day files, where ``PATTERN`` is a glob whose ``strftime``
    fields (``%Y``, ``%m``, ``%d``) are filled with each UTC day (default: no source).
MDA_LATENESS_S
    Seconds after the end of a day after which it is loaded even if hours are missing
    (default 7200).
MDA_LANDING_RETENTION_DAYS, MDA_PUBLISHED_RETENTION_DAYS
    Days of landing files and of published snapshots kept by the maintenance (defaults 30, 90).
MDA_DISRUPTION_RATIO
    A day's transits below this fraction of the trailing mean signal a disruption (default 0.5).
MDA_DISRUPTION_WINDOW_DAYS, MDA_DISRUPTION_MIN_DAYS
    Length of the trailing window, and the stored days it needs before it judges (defaults 28, 7).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mda.workers import default_processes

AISSTREAM_URL = "wss://stream.aisstream.io/v0/stream"


@dataclass(frozen=True)
class SourceSpec:
    """One source of the daily runs.

    Attributes
    ----------
    name : str
        Source name (a collector's ``--source``, or a label for an archive).
    archive : str or None
        ``None`` for a collector's landing files; else a glob of archive day files with
        ``strftime`` fields filled per UTC day, e.g. ``/archive/AIS_%Y_%m_%d.csv``.
    """

    name: str
    archive: str | None = None


def parse_sources(text: str) -> tuple[SourceSpec, ...]:
    """Parse ``MDA_SOURCES`` (``name`` or ``name=PATTERN`` entries, comma-separated)."""
    specs = []
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        name, sep, pattern = entry.partition("=")
        if not name.strip() or (sep and not pattern.strip()):
            raise ValueError(f"bad MDA_SOURCES entry {entry!r}: use NAME or NAME=GLOB")
        specs.append(SourceSpec(name.strip(), pattern.strip() or None))
    if len({s.name for s in specs}) != len(specs):
        raise ValueError("MDA_SOURCES names a source twice")
    return tuple(specs)


@dataclass(frozen=True)
class Settings:
    """Settings resolved from the environment.

    Attributes
    ----------
    geodata_dir : Path or None
        Override for the fence folder; ``None`` means the packaged ``geodata/``.
    chunk_lines : int
        Raw lines decoded per chunk; bounds the decoder's memory.
    workers : int
        Worker processes of a run (``MDA_WORKERS``; :mod:`mda.workers`): 0 runs everything in
        the run's own process.  Default one per available core, at most 4, none on one core.
    aisstream_api_key : str or None
        aisstream.io API key, ``None`` when unset.  Excluded from ``repr`` so that printing the
        settings never reveals it.
    aisstream_url : str
        WebSocket URL of the aisstream.io stream.
    landing_dir, store, publish_dir : Path
        Landing root, DuckDB store and published-snapshot folder of the scheduled runs.
    sources : tuple of SourceSpec
        Sources of the daily runs.
    lateness_s : int
        Seconds after a day's end after which it is loaded despite missing hours.
    landing_retention_days, published_retention_days : int
        Days of landing files and published snapshots kept.
    disruption_ratio : float
        Fraction of the trailing mean of daily transits below which a day is a disruption.
    disruption_window_days, disruption_min_days : int
        Trailing window length, and the stored days in it needed before judging, in days.
    """

    geodata_dir: Path | None = None
    chunk_lines: int = 200_000
    workers: int = field(default_factory=default_processes)
    aisstream_api_key: str | None = field(default=None, repr=False)
    aisstream_url: str = AISSTREAM_URL
    landing_dir: Path = Path("landing")
    store: Path = Path("mda.duckdb")
    publish_dir: Path = Path("published")
    sources: tuple[SourceSpec, ...] = ()
    lateness_s: int = 7200
    landing_retention_days: int = 30
    published_retention_days: int = 90
    disruption_ratio: float = 0.5
    disruption_window_days: int = 28
    disruption_min_days: int = 7


def load_settings() -> Settings:
    """Build :class:`Settings` from ``MDA_*`` environment variables."""
    geodata = os.environ.get("MDA_GEODATA")
    chunk = os.environ.get("MDA_CHUNK_LINES")
    key = os.environ.get("MDA_AISSTREAM_API_KEY", "").strip()
    url = os.environ.get("MDA_AISSTREAM_URL", "").strip()
    return Settings(
        geodata_dir=Path(geodata) if geodata else None,
        chunk_lines=int(chunk) if chunk else Settings.chunk_lines,
        workers=int(_env("MDA_WORKERS") or default_processes()),
        aisstream_api_key=key or None,
        aisstream_url=url or AISSTREAM_URL,
        landing_dir=Path(_env("MDA_LANDING_DIR") or Settings.landing_dir),
        store=Path(_env("MDA_STORE") or Settings.store),
        publish_dir=Path(_env("MDA_PUBLISH_DIR") or Settings.publish_dir),
        sources=parse_sources(_env("MDA_SOURCES")),
        lateness_s=int(_env("MDA_LATENESS_S") or Settings.lateness_s),
        landing_retention_days=int(_env("MDA_LANDING_RETENTION_DAYS") or Settings.landing_retention_days),
        published_retention_days=int(
            _env("MDA_PUBLISHED_RETENTION_DAYS") or Settings.published_retention_days
        ),
        disruption_ratio=float(_env("MDA_DISRUPTION_RATIO") or Settings.disruption_ratio),
        disruption_window_days=int(_env("MDA_DISRUPTION_WINDOW_DAYS") or Settings.disruption_window_days),
        disruption_min_days=int(_env("MDA_DISRUPTION_MIN_DAYS") or Settings.disruption_min_days),
    )


def _env(name: str) -> str:
    """The stripped value of an environment variable, empty when unset."""
    return os.environ.get(name, "").strip()
