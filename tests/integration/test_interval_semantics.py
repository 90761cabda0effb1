"""Every run replaces exactly its interval: hour by hour equals the whole day, reruns change nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from mda import pipeline
from mda.events.detect import EVENT_TABLES
from mda.interval import Interval
from mda.pipeline import decode_files, load_interval

from builders import table_digest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TABLES = ("positions", "vessel_static", *EVENT_TABLES)


def digest(db: Path) -> dict[str, tuple[int, int | None]]:
    return table_digest(db, TABLES)


@pytest.fixture(scope="module")
def decoded(simulated_run):
    with decode_files([simulated_run.sim.nmea_path]) as staged:
        yield staged


def test_a_day_processed_hour_by_hour_equals_the_whole_day(decoded, simulated_run, tmp_path):
    day = decoded.covering_days()
    whole = tmp_path / "whole.duckdb"
    load_interval(decoded, whole, day)
    hourly = tmp_path / "hourly.duckdb"
    for h in range(24):
        start = day.start + dt.timedelta(hours=h)
        load_interval(decoded, hourly, Interval(start, start + dt.timedelta(hours=1)))
    assert digest(hourly) == digest(whole)
    assert digest(whole)["transits"][0] == len(simulated_run.truth["transits"])


def test_rerunning_a_day_changes_nothing(decoded, tmp_path):
    db = tmp_path / "twice.duckdb"
    day = decoded.covering_days()
    load_interval(decoded, db, day)
    first = digest(db)
    load_interval(decoded, db, day)
    assert digest(db) == first
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM mda_runs").fetchone() == (2,)


def test_events_of_a_day_are_emitted_once_even_when_they_end_after_midnight(decoded, tmp_path):
    day = decoded.covering_days()
    db = tmp_path / "split.duckdb"
    noon = day.start + dt.timedelta(hours=12)
    load_interval(decoded, db, Interval(day.start, noon))
    load_interval(decoded, db, Interval(noon, day.end))
    whole = tmp_path / "whole.duckdb"
    load_interval(decoded, whole, day)
    assert digest(db) == digest(whole)


def test_events_do_not_depend_on_how_many_mmsi_buckets_the_window_is_split_into(
    decoded, tmp_path, monkeypatch
):
    day = decoded.covering_days()
    whole = tmp_path / "one-bucket.duckdb"
    load_interval(decoded, whole, day)
    monkeypatch.setattr(pipeline, "BUCKET_POSITIONS", 60_000)  # about 8 buckets of the simulated day
    progress: list[str] = []
    split = tmp_path / "buckets.duckdb"
    load_interval(decoded, split, day, progress.append)
    assert any("in 8 MMSI bucket(s)" in line for line in progress)
    assert digest(split) == digest(whole)
