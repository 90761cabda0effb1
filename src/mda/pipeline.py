"""Use-cases composed from the stages; the CLI and the DAGs call only these functions."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from mda import __version__
from mda.decode.batch import Accounting
from mda.events.buckets import bucket_static, detect_bucket
from mda.events.detect import (
    EVENT_TABLES,
    Fences,
    TrackEvents,
    count_events,
    finish_events,
    load_fences,
)
from mda.geo.fences import FENCE_VERSION
from mda.interval import Interval
from mda.params import Params, load_params
from mda.publish.assets import AssetsMissingError, check_assets
from mda.publish.charts_png import check_fonts
from mda.publish.site import write_site
from mda.publish.view import DENSITY_CELL_DEG, StoreView, build_view
from mda.settings import load_settings
from mda.sources.errors import TruncatedInputError
from mda.sources.open import DecodingSource, open_decoder
from mda.store.db import capped_threads, publish_beside, publish_snapshot, reader, reading_memory, writer
from mda.store.export import EXPORT_TABLES, ExportFilters
from mda.store.export import export as export_log
from mda.store.load import copy_staged, delete_raw, insert_run, replace_events, replace_zones
from mda.store.read import (
    StagedPositions,
    count_window_positions,
    read_density,
    read_event_log,
    read_transit_fixes,
    read_window_static,
    read_window_tracks,
    spool_window_tracks,
    stored_interval,
)
from mda.store.stage import Stage
from mda.store.zones import zones_table
from mda.timing import StageTimes
from mda.workers import Workers

Progress = Callable[[str], None]

#: Positions segmented and run through the detectors at once (a bucket of whole MMSIs); bounds
#: the memory of a load whatever the size of the day.
BUCKET_POSITIONS = 500_000


class PipelineError(Exception):
    """A run cannot proceed; the message is one line for the user."""


@dataclass
class RunSummary:
    """What a run read, wrote and published.

    Attributes
    ----------
    interval : Interval
        The half-open UTC interval the run replaced in the store.
    accounting : dict of str to Accounting
        Line accounting per source.
    row_counts : dict of str to int
        Rows written per table.
    outputs : dict of str to Path
        Published files (``map``, ``stats``).
    """

    run_id: str
    interval: Interval
    accounting: dict[str, Accounting]
    row_counts: dict[str, int]
    outputs: dict[str, Path] = field(default_factory=dict)
    duration_s: float = 0.0
    stage_s: dict[str, float] = field(default_factory=dict)


def _quiet(_: str) -> None:
    """Progress sink that discards messages."""


@dataclass(frozen=True)
class Decoded:
    """Everything decoded from a run's inputs: the line accounting and the staged rows.

    The rows live on disk in a :class:`mda.store.stage.Stage` until loaded; call
    :meth:`remove` (or use the object as a context manager) when done with them.

    Attributes
    ----------
    accounting : dict of str to Accounting
        Line accounting per source.
    stage : Stage
        The decoded ``positions``, ``vessel_static`` and ``rejects`` rows (sealed).
    """

    accounting: dict[str, Accounting]
    stage: Stage

    @classmethod
    def from_tables(
        cls,
        accounting: dict[str, Accounting],
        positions: pa.Table,
        static: pa.Table,
        rejects: pa.Table,
        stage_dir: Path | None = None,
    ) -> Decoded:
        """Stage rows already in memory (in the schemas of :mod:`mda.schemas`)."""
        stage = Stage(stage_dir)
        for name, rows in (("positions", positions), ("vessel_static", static), ("rejects", rejects)):
            stage.append(name, rows)
        stage.seal()
        return cls(accounting, stage)

    def __enter__(self) -> Decoded:
        return self

    def __exit__(self, *_: object) -> None:
        self.remove()

    def remove(self) -> None:
        """Delete the staged rows."""
        self.stage.remove()

    def covering_days(self) -> Interval:
        """The whole UTC days the decoded positions span."""
        blocks = self.day_blocks()
        return Interval(blocks[0].start, blocks[-1].end)

    def day_blocks(self) -> list[Interval]:
        """Runs of consecutive UTC days that hold decoded positions, in time order.

        A run without an explicit interval replaces only these days, never the days between
        two blocks (a stray timestamp years off must not wipe the store in between).
        """
        days = self.stage.days()
        if not days:
            raise PipelineError(
                "no timed position reports in the input; nothing to load (see the rejects summary)"
            )
        blocks: list[Interval] = []
        first = prev = days[0]
        for day in [*days[1:], None]:
            if day is not None and day == prev + 1:
                prev = day
                continue
            start = dt.datetime.fromtimestamp(first * 86_400, dt.UTC)
            blocks.append(Interval(start, start + dt.timedelta(days=prev - first + 1)))
            if day is not None:
                first = prev = day
        return blocks


def decode_files(
    inputs: list[Path],
    progress: Progress = _quiet,
    *,
    fmt: str | None = None,
    assume_date: dt.date | None = None,
    stage_dir: Path | None = None,
    times: StageTimes | None = None,
    workers: Workers | None = None,
) -> Decoded:
    """Decode input files of any supported format chunk by chunk, staging the rows on disk.

    Parameters
    ----------
    inputs : list of Path
        Raw NMEA, aisstream JSON lines, MarineCadastre or DMA CSV; plain or compressed.
    fmt : str, optional
        Force a format (``nmea``, ``aisstream``, ``noaa``, ``dma``) instead of detecting it.
    assume_date : date, optional
        Give lines without any time 00:00 UTC of this date instead of rejecting them
        (counted as ``assumed_time``).
    stage_dir : Path, optional
        Folder for the temporary staging database (:class:`mda.store.stage.Stage`); default
        the system's temporary folder.  The caller removes it (:meth:`Decoded.remove`).
    workers : Workers, optional
        Processes that scan NMEA buffers ahead (:mod:`mda.workers`); default a pool of
        ``MDA_WORKERS`` for this call.  The rows and accounting are the same with any number.

    Each chunk's rows are handed to the stage as soon as they are decoded, so memory stays
    bounded whatever the size of the inputs.  A compressed file that ends early keeps what was
    readable; the damage is recorded in the source's accounting (``truncated``) and reported
    through ``progress``.

    Raises
    ------
    PipelineError
        When a source's lines do not add up (a bug, never tolerated silently).
    SourceError
        When an input is missing, unreadable or of an unknown format.
    """
    settings = load_settings()
    with ExitStack() as owned:
        if workers is None:
            workers = owned.enter_context(Workers(settings.workers))
        accounting: dict[str, Accounting] = {}
        lines = settings.chunk_lines
        sources = [
            open_decoder(path, fmt, chunk_lines=lines, assume_date=assume_date, workers=workers)
            for path in inputs
        ]
        stage = Stage(stage_dir)
        try:
            with (times or StageTimes()).stage("decode"):
                _decode_into(sources, stage, accounting, progress)
                stage.seal()
        except BaseException:
            stage.remove()
            raise
    return Decoded(accounting, stage)


def _decode_into(
    sources: list[DecodingSource], stage: Stage, accounting: dict[str, Accounting], progress: Progress
) -> None:
    for source in sources:
        try:
            for batch in source:
                stage.append("positions", batch.positions)
                stage.append("vessel_static", batch.static)
                stage.append("rejects", batch.rejects)
                progress(f"decoded {source.accounting.lines:,} lines of {source.name} ({source.format})")
        except TruncatedInputError as exc:
            source.accounting.truncated = str(exc)
            progress(f"warning: {exc}; keeping the {source.accounting.lines:,} lines read before the damage")
        if not source.accounting.balanced:
            raise PipelineError(f"line accounting does not add up for {source.path}: {source.accounting}")
        if source.name in accounting:
            raise PipelineError(
                f"two inputs share the name {source.name}; rename one (rows record the file name)"
            )
        accounting[source.name] = source.accounting


def _accounting_json(accounting: dict[str, Accounting]) -> str:
    return json.dumps(
        {
            src: {
                "lines": a.lines,
                "decoded": a.decoded,
                "duplicates": a.duplicates,
                "non_ais": a.non_ais,
                "assumed_time": a.assumed_time,
                "truncated": a.truncated,
                "rejected": dict(sorted(a.rejected.items())),
                "messages_by_type": {str(k): v for k, v in sorted(a.messages_by_type.items())},
            }
            for src, a in sorted(accounting.items())
        },
        sort_keys=True,
    )


def run_files(
    inputs: list[Path],
    db: Path,
    out_dir: Path,
    interval: Interval | None = None,
    progress: Progress = _quiet,
    *,
    fmt: str | None = None,
    assume_date: dt.date | None = None,
    times: StageTimes | None = None,
    workers: Workers | None = None,
) -> RunSummary:
    """Ingest AIS files, detect events, load the store and publish the map and statistics.

    Parameters
    ----------
    inputs : list of Path
        AIS files of any supported format (see :func:`decode_files`).
    db : Path
        DuckDB database file (created if missing).
    out_dir : Path
        Folder for the map (``transits_map.html``) and statistics (``transit_stats.csv``).
    interval : Interval, optional
        Half-open UTC interval to replace; default: the whole UTC days the positions span.
        Decoded rows outside it are counted in the run record but not stored.
    fmt, assume_date
        Passed to :func:`decode_files`.
    times : StageTimes, optional
        Receives the wall time of each stage (:mod:`mda.timing`); the summary carries it too.
    workers : Workers, optional
        Worker processes for decoding and detection (:mod:`mda.workers`); default a pool of
        ``MDA_WORKERS`` for this run.  The tables are the same with any number.
    """
    started = time.monotonic()
    times = times or StageTimes()
    with ExitStack() as owned:
        if workers is None:
            workers = owned.enter_context(Workers(load_settings().workers))
        return _run_files(inputs, db, out_dir, interval, progress, fmt, assume_date, times, workers, started)


def _run_files(
    inputs: list[Path],
    db: Path,
    out_dir: Path,
    interval: Interval | None,
    progress: Progress,
    fmt: str | None,
    assume_date: dt.date | None,
    times: StageTimes,
    workers: Workers,
    started: float,
) -> RunSummary:
    with decode_files(
        inputs, progress, fmt=fmt, assume_date=assume_date, stage_dir=db.parent, times=times, workers=workers
    ) as decoded:
        pa.default_memory_pool().release_unused()  # the decoder's buffers: back to the system
        blocks = [interval] if interval is not None else decoded.day_blocks()
        row_counts: Counter[str] = Counter()
        run_ids = []
        outputs: dict[str, Path] = {}
        try:  # the last block's site is drawn while its snapshot is published
            check_assets()
            check_fonts()
            site: Path | None = out_dir
        except AssetsMissingError:  # the store is loaded all the same; publish() says what is missing
            site = None
        for k, block in enumerate(blocks):
            # every block replaces the sources' untimed rejects: only the last one writes them
            last = k == len(blocks) - 1
            run_id, counts, published = _load_interval(
                decoded,
                db,
                block,
                progress,
                started,
                last,
                None,
                times,
                workers,
                site if last else None,
            )
            run_ids.append(run_id)
            row_counts.update(counts)
            outputs.update(published)
        if len(blocks) > 1:
            # each block counts the others' rows as outside it: count every row once instead
            staged = decoded.stage.rows
            row_counts["positions_outside_interval"] = staged["positions"] - row_counts["positions"]
            row_counts["static_outside_interval"] = staged["vessel_static"] - row_counts["vessel_static"]
            row_counts["rejects_outside_interval"] = staged["rejects"] - row_counts["rejects"]
    span = Interval(blocks[0].start, blocks[-1].end)
    workers.close()  # publishing needs none: give their memory back (a later use restarts them)
    for block in blocks[:-1] if outputs else blocks:  # only the days that hold data get a report
        with times.stage("publish"):
            outputs.update(publish(db, out_dir, block))
    return RunSummary(
        ",".join(run_ids),
        span,
        decoded.accounting,
        dict(row_counts),
        outputs,
        time.monotonic() - started,
        dict(times.seconds),
    )


def load_interval(
    decoded: Decoded,
    db: Path,
    interval: Interval,
    progress: Progress = _quiet,
    *,
    started: float | None = None,
    untimed_rejects: bool = True,
    missing_hours: list[str] | dict[str, list[str]] | None = None,
    times: StageTimes | None = None,
    workers: Workers | None = None,
) -> tuple[str, dict[str, int]]:
    """Replace ``interval`` in the store with the decoded rows and the events they reveal.

    The run replaces exactly ``interval`` in one transaction: decoded rows by ``ts``, events
    by ``closed_ts`` (the time the data proved an event over).  Detectors read the stored
    positions of the interval padded by ``params.window.pad_s`` before it, so an event that
    began on an earlier day is found whole, and only the events closed inside the interval are
    written — processing a day hour by hour gives the same tables as processing it at once.

    Rejected lines without a time belong to no interval: they replace those of the same
    sources stored before, and are written only when ``untimed_rejects`` is true.

    The load writes the store's private writer database (``db`` + ``.writer``) and, once the
    transaction is committed, atomically publishes it as the read-only snapshot ``db`` that
    analysts and publishers open (:func:`mda.store.db.publish_snapshot`): readers see the
    previous interval or the new one, never part of it, and never block the load.

    Parameters
    ----------
    missing_hours : list of str or dict of str to list of str, optional
        UTC hours of ``interval`` (ISO 8601, ``YYYY-MM-DDTHH:00Z``) the scheduler found without
        input, overall or per source; stored as JSON in ``mda_runs.missing_hours`` (NULL when
        not given).
    workers : Workers, optional
        Processes that segment and detect the MMSI buckets (:mod:`mda.workers`); default a
        pool of ``MDA_WORKERS`` for this call, started only when the window has several
        buckets.  The events are the same with any number.

    Returns
    -------
    run_id, row_counts
        The ``mda_runs`` id and the rows written per table.
    """
    with ExitStack() as owned:
        if workers is None:
            workers = owned.enter_context(Workers(load_settings().workers))
        run_id, row_counts, _ = _load_interval(
            decoded, db, interval, progress, started, untimed_rejects, missing_hours, times, workers, None
        )
        return run_id, row_counts


def _load_interval(
    decoded: Decoded,
    db: Path,
    interval: Interval,
    progress: Progress,
    started: float | None,
    untimed_rejects: bool,
    missing_hours: list[str] | dict[str, list[str]] | None,
    times: StageTimes | None,
    workers: Workers,
    site: Path | None,
) -> tuple[str, dict[str, int], dict[str, Path]]:
    """:func:`load_interval`; with ``site``, also publish the site of ``interval`` there.

    Once the load is committed, the site's rows are read on the writer (with a reader's
    memory limit: the same rows the snapshot will hold) and its pages drawn while the writer
    is checkpointed and the snapshot published (:func:`mda.store.db.publish_beside`).  Returns
    the published files too; none without ``site`` or when its rows could not be read (then
    :func:`publish` from the snapshot says what is wrong).
    """
    started = time.monotonic() if started is None else started
    started_at = dt.datetime.now(dt.UTC)
    times = times or StageTimes()
    params = load_params()
    window = interval.padded(dt.timedelta(seconds=params.window.pad_s))
    # the fences are parsed while the writer opens and migrates (DuckDB works without the GIL)
    loader = ThreadPoolExecutor(1, "mda-fences")
    fencing = loader.submit(load_fences)
    loader.shutdown(wait=False)  # its thread ends once they are parsed
    with writer(db) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            span = f"{interval.start:%Y-%m-%dT%H:%MZ}..{interval.end:%Y-%m-%dT%H:%MZ}"
            progress(f"loading the decoded rows of {span} into {db}")
            files = decoded.stage.files
            with times.stage("store"):
                delete_raw(con, interval, sorted(decoded.accounting))
                stored = copy_staged(
                    con, interval, files, ("vessel_static",), untimed_rejects=untimed_rejects
                )
                fences = fencing.result()
                replace_zones(con, zones_table(fences.zones))
            with times.stage("tracks"):
                win_static = read_window_static(con, window)

            def copy_rest() -> dict[str, int]:  # the bulk of the copy: while the detectors work
                tables = ("positions", "rejects")
                return copy_staged(con, interval, files, tables, untimed_rejects=untimed_rejects)

            events, copied = _detect_by_bucket(
                con,
                StagedPositions(files["positions"], interval),
                copy_rest,
                win_static,
                window,
                interval,
                params,
                fences,
                progress,
                times,
                workers,
                db.parent,
            )
            stored |= copied
            with times.stage("store"):
                replace_events(con, interval, events)
            row_counts = stored | count_events(events)
            staged = decoded.stage.rows
            row_counts["positions_outside_interval"] = staged["positions"] - stored["positions"]
            row_counts["static_outside_interval"] = staged["vessel_static"] - stored["vessel_static"]
            row_counts["rejects_outside_interval"] = staged["rejects"] - stored["rejects"]
            run = _run_record(started, started_at, interval, decoded.accounting, row_counts, params.version)
            hours = None if missing_hours is None else json.dumps(missing_hours, sort_keys=True)
            with times.stage("store"):
                insert_run(con, run.append_column("missing_hours", pa.array([hours], pa.string())))
        except BaseException:
            con.execute("ROLLBACK")
            raise
        with times.stage("store"):
            con.execute("COMMIT")
        view: StoreView | None = None
        if site is not None:
            workers.close()  # drawing needs none: give their memory back
            with times.stage("publish"), reading_memory(con):
                try:
                    view = _site_view(con, db, interval)
                except Exception as exc:  # the caller publishes from the snapshot instead
                    progress(f"the site is published after the snapshot instead ({exc})")
        outputs: dict[str, Path] = {}
        if view is None or site is None:
            with times.stage("store"):
                con.close()
                progress(f"publishing the snapshot {db}")
                publish_snapshot(db)
        else:
            progress(f"publishing the snapshot {db} and the site {site}")
            with times.shared() as spent:

                def draw() -> dict[str, Path]:
                    begun = time.perf_counter()
                    try:
                        return write_site(view, site)
                    finally:
                        spent["publish"] = time.perf_counter() - begun

                outputs, spent["store"] = publish_beside(con, db, draw)
    return str(run["run_id"][0].as_py()), row_counts, outputs


def _detect_by_bucket(
    con: duckdb.DuckDBPyConnection,
    staged: StagedPositions,
    copy: Callable[[], dict[str, int]],
    static: pa.Table,
    window: Interval,
    interval: Interval,
    params: Params,
    fences: Fences,
    progress: Progress,
    times: StageTimes,
    workers: Workers,
    spool: Path,
) -> tuple[dict[str, pa.Table], dict[str, int]]:
    """Segment and detect the window's vessels in MMSI buckets of about ``BUCKET_POSITIONS`` fixes.

    ``copy`` copies the ``staged`` rows of the interval into the store in a thread of the
    loader (DuckDB works without the GIL) from the start; meanwhile the window is read, on a
    second connection, as the store's rows outside the interval and the staged rows of the
    interval, and the buckets are detected.  Returns the events and what ``copy`` returned.

    Every vessel's fixes fall in one bucket, so memory follows the bucket, not the day, and
    the events equal those of the whole window at once (:func:`mda.events.detect.finish_events`).
    A window of one bucket is read and done in the loader.  Otherwise the loader writes the
    window to one file per bucket in a single scan of the store, in a temporary folder under
    ``spool`` (:func:`mda.store.read.spool_window_tracks`), and the workers read, segment and
    detect the buckets (:func:`mda.events.buckets.detect_bucket`); the folder is removed when
    they are done.
    """
    total = count_window_positions(con, window, staged)
    buckets = max(1, -(-total // BUCKET_POSITIONS))
    progress(f"segmenting and detecting {total:,} positions in {buckets} MMSI bucket(s)")
    parts: list[TrackEvents] = []
    # the copier's exit waits for the copy, so a failed detection rolls back only after it
    with times.shared() as seconds, ExitStack() as owned, ThreadPoolExecutor(1, "mda-copy") as copier:

        def add(spent: dict[str, float]) -> None:
            for name, value in spent.items():
                seconds[name] = seconds.get(name, 0.0) + value

        def timed_copy() -> tuple[dict[str, int], float]:
            began = time.perf_counter()
            return copy(), time.perf_counter() - began

        # one DuckDB thread for the copy and the window's read: the workers have the cores
        owned.enter_context(capped_threads(con, 1))
        began = time.perf_counter()
        # the copy starts at once; the window is read beside it on a second connection, which
        # sees the store as last committed, as the staged queries need (see StagedPositions)
        copying = copier.submit(timed_copy)
        side = owned.enter_context(con.cursor())
        if buckets == 1:
            positions = read_window_tracks(side, window, staged=staged)
            add({"tracks": time.perf_counter() - began})
            part, spent = detect_bucket(positions, static, window, interval, params, fences)
            del positions
            parts.append(part)
            add(spent)
        else:
            folder = Path(tempfile.mkdtemp(prefix="mda-buckets-", dir=spool))
            owned.callback(shutil.rmtree, folder, ignore_errors=True)
            files = spool_window_tracks(side, window, buckets, folder, staged)
            pa.default_memory_pool().release_unused()  # the spool's batches: back to the system
            add({"tracks": time.perf_counter() - began})
            pending = [
                workers.submit(
                    detect_bucket, path, bucket_static(static, k, buckets), window, interval, params, fences
                )
                for k, path in enumerate(files)
            ]
            for future in pending:
                part, spent = future.result()
                parts.append(part)
                add(spent)
        copied, copy_s = copying.result()
        add({"store": copy_s})
    with times.stage("events"):
        return finish_events(parts, static, window, interval, params), copied


def _run_record(
    started: float,
    started_at: dt.datetime,
    interval: Interval,
    accounting: dict[str, Accounting],
    row_counts: dict[str, int],
    params_version: str,
) -> pa.Table:
    totals = Accounting()
    for a in accounting.values():
        totals.merge(a)
    return pa.Table.from_pylist(
        [
            {
                "run_id": uuid.uuid4().hex,
                "started_at": started_at,
                "finished_at": dt.datetime.now(dt.UTC),
                "interval_start": interval.start,
                "interval_end": interval.end,
                "sources": json.dumps(sorted(accounting)),
                "lines_in": totals.lines,
                "decoded": totals.decoded,
                "duplicates": totals.duplicates,
                "non_ais": totals.non_ais,
                "rejected": totals.rejected_total,
                "accounting": _accounting_json(accounting),
                "row_counts": json.dumps(row_counts, sort_keys=True),
                "mda_version": __version__,
                "fence_version": FENCE_VERSION,
                "params_version": params_version,
                "duration_s": time.monotonic() - started,
            }
        ]
    )


def publish(
    db: Path,
    out_dir: Path,
    interval: Interval | None = None,
    *,
    cdn: bool = False,
    assets_dir: Path | None = None,
) -> dict[str, Path]:
    """Rebuild the published site for ``interval`` from the store alone (read-only).

    Writes the daily reports ``OUT_DIR/<date>/index.html`` (map, tables, charts, event exports),
    the map of the whole interval (``transits_map.html``), its daily counts
    (``transit_stats.csv``), statistics across all stored days (``stats/``) and the index
    across days (``index.html``); see :mod:`mda.publish.site`.

    Parameters
    ----------
    db : Path
        The DuckDB store (opened read-only).
    out_dir : Path
        Output folder.
    interval : Interval, optional
        Half-open UTC interval of whole days; default: every stored day.
    cdn : bool, default False
        Pages link Leaflet online and show online tiles instead of inlining (lighter, needs a
        network).
    assets_dir : Path, optional
        Folder of the npm packages inlined into maps; default the source tree's
        ``assets/node_modules``.

    Returns
    -------
    dict of str to Path
        ``map``, ``stats``, ``index`` and ``report:<YYYY-MM-DD>`` per published day.

    Raises
    ------
    PipelineError
        When the store holds no positions.
    AssetsMissingError
        When the map assets or the charts' fonts are not installed (``make setup``).
    """
    if not cdn:
        check_assets(assets_dir)
    check_fonts()
    with reader(db) as con:
        view = _site_view(con, db, interval)
    return write_site(view, out_dir, cdn=cdn, assets_dir=assets_dir)


def _site_view(con: duckdb.DuckDBPyConnection, db: Path, interval: Interval | None) -> StoreView:
    """What the site of ``interval`` (default every stored day) shows, read through ``con``."""
    history = stored_interval(con)
    if history is None:
        raise PipelineError(f"the store {db} holds no positions yet; run `mda run` first")
    interval = interval or history
    events = {name: read_event_log(con, name) for name in EVENT_TABLES}

    def day_reader(day: Interval) -> tuple[pa.Table, pa.Table, pa.Table]:
        cells = read_density(con, day, DENSITY_CELL_DEG)
        return cells, read_window_static(con, day), read_transit_fixes(con, day)

    return build_view(interval, history, events, day_reader)


def export_events(
    db: Path,
    table: str,
    out: Path,
    filters: ExportFilters | None = None,
    fmt: str | None = None,
) -> int:
    """Write a log of the store as CSV, GeoParquet or GeoJSON; return the number of rows.

    Parameters
    ----------
    db : Path
        The store's read-only snapshot (what ``duckdb PATH`` opens); never the writer.
    table : str
        One of :data:`mda.store.export.EXPORT_TABLES`: the event logs of
        :data:`mda.events.detect.EVENT_TABLES` and ``positions``.
    out : Path
        File to write (atomically); the format follows its suffix (``.csv``, ``.parquet``,
        ``.geojson``) unless ``fmt`` is given.  CSV times are ISO 8601 UTC
        (``YYYY-MM-DDTHH:MM:SSZ``), empty cells are NULL.  The transit log starts with
        ``event_id, mmsi, shipname, ship_type, direction, entry_gate, exit_gate, start_ts,
        end_ts, duration_s``.
    filters : ExportFilters, optional
        UTC days (inclusive, on ``start_ts``; ``ts`` for positions), MMSI, flag, direction,
        ship category; values are bound parameters.
    """
    if table not in EXPORT_TABLES:
        raise PipelineError(f"unknown log {table!r}; choose from {', '.join(EXPORT_TABLES)}")
    with reader(db) as con:
        return export_log(con, table, out, filters, fmt)
