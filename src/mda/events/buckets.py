"""Segment and detect one MMSI bucket of a window: the unit of work of a worker process.

A load partitions the window's positions by ``mmsi % buckets`` (every fix of a vessel falls in
one bucket) and hands each bucket to :func:`detect_bucket`, in a worker process
(:mod:`mda.workers`) or in the loader itself; :func:`mda.events.detect.finish_events` then
joins the buckets' results, which equal those of the whole window at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from mda.events.detect import Fences, TrackEvents, detect_track_events
from mda.interval import Interval
from mda.params import Params
from mda.timing import StageTimes
from mda.tracks.segment import segment_tracks

__all__ = ["bucket_static", "detect_bucket", "read_bucket_file"]


def bucket_static(static: pa.Table, bucket: int, buckets: int) -> pa.Table:
    """The static reports of the bucket's vessels (``mmsi % buckets == bucket``)."""
    if buckets == 1:
        return static
    mmsi = static["mmsi"].to_numpy().astype(np.int64)
    return static.filter(pa.array(mmsi % buckets == bucket))


def read_bucket_file(path: Path) -> pa.Table:
    """One bucket's positions from its Arrow IPC file (:func:`mda.store.read.spool_window_tracks`)."""
    with pa.OSFile(str(path), "rb") as source:
        return pa.ipc.open_file(source).read_all()


def detect_bucket(
    positions: pa.Table | Path,
    static: pa.Table,
    window: Interval,
    emit: Interval,
    params: Params,
    fences: Fences,
) -> tuple[TrackEvents, dict[str, float]]:
    """Segment a bucket's positions into tracks and run the single-vessel detectors on them.

    Parameters
    ----------
    positions : pyarrow.Table or Path
        Every fix in ``window`` of the bucket's vessels (:func:`mda.store.read.read_window_tracks`),
        or the file that holds them (:func:`mda.store.read.spool_window_tracks`).
    static : pyarrow.Table
        Static reports in ``window``, at least those of the bucket's vessels.
    window, emit, params, fences
        As in :func:`mda.events.detect.detect_track_events`.

    Returns
    -------
    tuple
        The bucket's :class:`~mda.events.detect.TrackEvents`, and the wall seconds it spent
        per stage (``tracks``, ``geofence``, ``events``).
    """
    times = StageTimes()
    with times.stage("tracks"):
        if isinstance(positions, Path):
            positions = read_bucket_file(positions)
        tracks = segment_tracks(positions, params.tracks)
        del positions
    events = detect_track_events(tracks, static, window, emit, params, fences, times)
    del tracks
    pa.default_memory_pool().release_unused()  # a worker holds only what the next bucket needs
    return events, dict(times.seconds)
