"""The daily use-cases a scheduler runs: land, wait for a closed day, load, publish, check, prune.

Every function takes plain arguments (paths, an :class:`~mda.interval.Interval`, the current time
when it matters) and returns plain, JSON-friendly values, so that a scheduler (the Airflow DAGs
in ``dags/``) only has to translate its context into arguments.  Intervals are half-open UTC
``[start, end)``; a landing hour belongs to an interval when its start does.

The steps of one day:

1. :func:`land_source` lists the raw files of one source for the interval — a collector's
   hourly landing files (:func:`mda.sources.collect.find_landed`) or archive day files matched
   by a glob — and the hours the collector's manifests do not fully cover.
2. :func:`day_closed` tells whether the interval can be loaded: every hour is landed, or the
   stated lateness after its end has passed (then the missing hours are recorded, not waited
   for).
3. :func:`ingest_interval` decodes the files and replaces exactly the interval in the store
   (:func:`mda.pipeline.load_interval`), so a day run twice, or days run as a backfill, give
   the same store.
4. :func:`publish_day` writes the day's map and statistics into a dated snapshot folder.
5. :func:`transit_disruption` compares the day's strait transits with the trailing mean.

:func:`prune_landing` and :func:`prune_published` implement the retention of the maintenance;
:func:`probe_aisstream` checks that the aisstream.io key still opens the feed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import glob
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from websockets.exceptions import WebSocketException

from mda.interval import Interval
from mda.pipeline import PipelineError, decode_files, load_interval, publish
from mda.publish.stats import daily_transit_counts
from mda.settings import SourceSpec
from mda.sources.collect import LandedFile, find_landed
from mda.store.db import connect
from mda.store.read import read_transits, stored_interval

HOUR = dt.timedelta(hours=1)
COVERAGE_SLACK_S = 1.0
"""Seconds of an hour a collector may miss (clock granularity) and still cover the hour."""


@dataclass(frozen=True)
class LandedInputs:
    """The raw files of one source for one interval.

    Attributes
    ----------
    source : str
        Source name.
    files : list of str
        Paths of the data files, in time order.
    missing_hours : list of str
        Start of every UTC hour of the interval not fully covered by landing manifests, ISO 8601
        with ``Z``; always empty for archive sources (they have no manifests).
    """

    source: str
    files: list[str]
    missing_hours: list[str]

    def to_dict(self) -> dict[str, Any]:
        """The inputs as a JSON-friendly dict."""
        return asdict(self)


def _iso(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hours(interval: Interval) -> list[dt.datetime]:
    first = interval.start.replace(minute=0, second=0, microsecond=0)
    if first < interval.start:
        first += HOUR
    hours = []
    while first < interval.end:
        hours.append(first)
        first += HOUR
    return hours


def uncovered_hours(landed: list[LandedFile], interval: Interval) -> list[dt.datetime]:
    """UTC hours of ``interval`` that the manifests of ``landed`` do not fully cover.

    An hour is covered when the ``[open, close)`` spans of its files (one per collector start in
    that hour) together leave at most :data:`COVERAGE_SLACK_S` seconds of it uncovered.

    Returns
    -------
    list of datetime
        Aware UTC starts of the uncovered hours, in time order.
    """
    spans: dict[int, list[tuple[float, float]]] = {}
    for f in landed:
        spans.setdefault(f.manifest.hour_s, []).append((f.manifest.open_s, f.manifest.close_s))
    missing = []
    for hour in _hours(interval):
        start = hour.timestamp()
        covered, reach = 0.0, start
        for lo, hi in sorted(spans.get(int(start), [])):
            lo, hi = max(lo, reach), min(hi, start + 3600)
            if hi > lo:
                covered += hi - lo
                reach = hi
        if covered < 3600 - COVERAGE_SLACK_S:
            missing.append(hour)
    return missing


def archive_files(pattern: str, interval: Interval) -> list[Path]:
    """Files matching ``pattern`` for each UTC day the interval touches, sorted by day then name.

    Parameters
    ----------
    pattern : str
        A glob whose ``strftime`` fields are filled with each day, e.g. ``/a/AIS_%Y_%m_%d.csv``.
    interval : Interval
        Half-open UTC interval; the rows outside it are dropped at load time.
    """
    found: list[Path] = []
    for day in interval.days():
        found += sorted(Path(p) for p in glob.glob(day.strftime(pattern)))  # noqa: PTH207 - a user glob
    return list(dict.fromkeys(found))


def land_source(spec: SourceSpec, landing_dir: Path, interval: Interval) -> LandedInputs:
    """The raw files of one source for ``interval`` and the hours missing from its landing.

    Parameters
    ----------
    spec : SourceSpec
        The source: a collector's landing files, or an archive glob.
    landing_dir : Path
        Landing root of the collectors (ignored for archive sources).
    interval : Interval
        Half-open UTC interval.
    """
    if spec.archive is not None:
        return LandedInputs(spec.name, [str(p) for p in archive_files(spec.archive, interval)], [])
    landed = find_landed(landing_dir, spec.name, interval.start, interval.end)
    missing = [_iso(h) for h in uncovered_hours(landed, interval)]
    return LandedInputs(spec.name, [str(f.data) for f in landed], missing)


def day_closed(inputs: LandedInputs, interval: Interval, now: dt.datetime, lateness_s: float) -> bool:
    """Whether ``interval`` of one source can be loaded.

    True when no hour is missing (archive sources: when some file is present), or when ``now``
    is at least ``lateness_s`` seconds after the interval's end — the missing hours are then
    recorded instead of waited for.
    """
    if now >= interval.end + dt.timedelta(seconds=lateness_s):
        return True
    if not inputs.files:
        return False
    return not inputs.missing_hours


@dataclass(frozen=True)
class IngestResult:
    """What loading one interval wrote.

    Attributes
    ----------
    run_id : str
        The ``mda_runs`` id.
    interval_start, interval_end : str
        The replaced half-open UTC interval, ISO 8601 with ``Z``.
    row_counts : dict of str to int
        Rows written per table.
    missing_hours : dict of str to list of str
        Per landing source, the hours of the interval not fully landed.
    """

    run_id: str
    interval_start: str
    interval_end: str
    row_counts: dict[str, int]
    missing_hours: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-friendly dict."""
        return asdict(self)


def ingest_interval(inputs: list[LandedInputs], db: Path, interval: Interval) -> IngestResult:
    """Decode the landed files of every source and replace exactly ``interval`` in the store.

    Raises
    ------
    PipelineError
        When no source landed any file for the interval (a whole day without data is a fault
        to report, not an empty day to store).
    """
    files = [Path(f) for source in inputs for f in source.files]
    if not files:
        raise PipelineError(
            f"no raw files for {_iso(interval.start)}..{_iso(interval.end)} "
            f"from sources {', '.join(s.source for s in inputs) or '(none configured)'}"
        )
    missing = {s.source: s.missing_hours for s in inputs if s.missing_hours}
    with decode_files(files, stage_dir=db.parent) as decoded:
        run_id, counts = load_interval(decoded, db, interval, missing_hours=missing or None)
    return IngestResult(run_id, _iso(interval.start), _iso(interval.end), counts, missing)


def snapshot_dir(publish_dir: Path, day: dt.date) -> Path:
    """The published snapshot folder of one UTC day: ``<publish_dir>/YYYY-MM-DD``."""
    return publish_dir / day.isoformat()


def publish_day(db: Path, publish_dir: Path, interval: Interval) -> dict[str, str]:
    """Publish the map and statistics of ``interval`` into the snapshot of its first UTC day.

    Returns
    -------
    dict of str to str
        ``map`` and ``stats`` file paths.
    """
    out = snapshot_dir(publish_dir, interval.start.date())
    return {name: str(path) for name, path in publish(db, out, interval).items()}


@dataclass(frozen=True)
class Disruption:
    """A day's strait transits against the trailing mean.

    Attributes
    ----------
    day : str
        The UTC day judged, ``YYYY-MM-DD``.
    transits : int
        Transits that ended on that day.
    trailing_mean : float or None
        Mean transits per day over the stored days of the trailing window (``None`` when none).
    trailing_days : int
        Stored days in the trailing window.
    disrupted : bool
        ``transits < ratio * trailing_mean`` with at least ``min_days`` trailing days.
    """

    day: str
    transits: int
    trailing_mean: float | None
    trailing_days: int
    disrupted: bool

    def to_dict(self) -> dict[str, Any]:
        """The check as a JSON-friendly dict."""
        return asdict(self)


def transit_disruption(
    db: Path, day: dt.date, *, window_days: int = 28, min_days: int = 7, ratio: float = 0.5
) -> Disruption:
    """Whether the transits of ``day`` fall far below the trailing ``window_days``-day mean.

    The trailing window is the ``window_days`` UTC days before ``day``; days before the first
    stored position do not count (a young store is not a quiet strait).  Transits are counted
    by the day their ``end_ts`` falls on, as in the published statistics.

    Parameters
    ----------
    db : Path
        The DuckDB store (opened read-only).
    day : date
        The UTC day to judge.
    window_days, min_days : int
        Trailing window length, and the stored days in it needed to judge, in days.
    ratio : float
        Fraction of the trailing mean below which the day is a disruption.
    """
    target = Interval.for_day(day)
    window = Interval(target.start - dt.timedelta(days=window_days), target.end)
    con = connect(db, read_only=True)
    try:
        stored = stored_interval(con)
        counts = daily_transit_counts(read_transits(con, window), window)
    finally:
        con.close()
    first = stored.start.date() if stored else day
    trailing = [total for date, _n, _s, total in counts[:-1] if dt.date.fromisoformat(date) >= first]
    today = counts[-1][3]
    mean = sum(trailing) / len(trailing) if trailing else None
    disrupted = mean is not None and len(trailing) >= min_days and today < ratio * mean
    return Disruption(day.isoformat(), today, mean, len(trailing), disrupted)


def alert_messages(result: IngestResult, disruption: Disruption) -> list[str]:
    """One line per condition worth a notification: missing landing hours, a disruption."""
    messages = [
        f"{source}: {len(hours)} hour(s) missing from landing ({', '.join(hours)})"
        for source, hours in sorted(result.missing_hours.items())
    ]
    if disruption.disrupted:
        messages.append(
            f"possible disruption on {disruption.day}: {disruption.transits} transits against a "
            f"trailing mean of {disruption.trailing_mean:.1f} over {disruption.trailing_days} days"
        )
    return messages


def _day_of(folder: Path, depth_root: Path) -> dt.date | None:
    parts = folder.relative_to(depth_root).parts
    try:
        return dt.date(int(parts[-3]), int(parts[-2]), int(parts[-1]))
    except (ValueError, IndexError):
        return None


def prune_landing(landing_dir: Path, before: dt.date) -> list[str]:
    """Delete the landing day folders ``<source>/YYYY/MM/DD`` of UTC days before ``before``.

    A folder that still holds a ``.partial`` file (an hour a crashed collector has not yet
    recovered) is kept.  Emptied month and year folders are removed too.

    Returns
    -------
    list of str
        The deleted day folders.
    """
    deleted: list[str] = []
    if not landing_dir.is_dir():
        return deleted
    for folder in sorted(landing_dir.glob("*/[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]")):
        day = _day_of(folder, landing_dir)
        if day is None or day >= before or any(folder.glob("*.partial")):
            continue
        shutil.rmtree(folder)
        deleted.append(str(folder))
        for parent in (folder.parent, folder.parent.parent):
            if not any(parent.iterdir()):
                parent.rmdir()
    return deleted


def prune_published(publish_dir: Path, before: dt.date) -> list[str]:
    """Delete the published snapshot folders ``YYYY-MM-DD`` of UTC days before ``before``.

    Returns
    -------
    list of str
        The deleted snapshot folders.
    """
    deleted: list[str] = []
    if not publish_dir.is_dir():
        return deleted
    for folder in sorted(publish_dir.iterdir()):
        try:
            day = dt.date.fromisoformat(folder.name)
        except ValueError:
            continue
        if folder.is_dir() and day < before:
            shutil.rmtree(folder)
            deleted.append(str(folder))
    return deleted


@dataclass(frozen=True)
class FeedProbe:
    """The answer of an aisstream.io probe.

    Attributes
    ----------
    ok : bool
        A message other than an error arrived within the timeout.
    detail : str
        What happened, with the API key redacted.
    """

    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """The probe as a JSON-friendly dict."""
        return asdict(self)


def probe_aisstream(api_key: str, url: str, timeout_s: float = 30.0) -> FeedProbe:
    """Subscribe to aisstream.io with ``api_key`` and wait for one message.

    Used by the maintenance to tell an expired key or a dead feed apart from a quiet strait
    before the collector's landing runs dry.  The key is sent only in the subscription message
    and never appears in the returned detail.

    Parameters
    ----------
    api_key : str
        aisstream.io API key.
    url : str
        WebSocket URL of the stream.
    timeout_s : float
        Seconds to wait for the connection and for the first message.
    """
    return asyncio.run(_probe(api_key, url, timeout_s))


async def _probe(api_key: str, url: str, timeout_s: float) -> FeedProbe:
    from websockets.asyncio.client import connect

    from mda.sources.collect.aisstream import Subscription, redact, server_error

    try:
        async with asyncio.timeout(timeout_s), connect(url, proxy=None, open_timeout=timeout_s) as ws:
            await ws.send(Subscription(api_key).to_json())
            message = await ws.recv(decode=False)
    except (OSError, TimeoutError, WebSocketException) as exc:
        return FeedProbe(False, redact(f"no message: {type(exc).__name__}: {exc}", api_key))
    error = server_error(message)
    if error is not None:
        return FeedProbe(False, redact(f"aisstream.io refused the subscription: {error}", api_key))
    return FeedProbe(True, f"first message of {len(message)} bytes")
