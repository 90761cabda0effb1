"""``mda_daily``: land, load and publish one UTC day of AIS, then check it.

For the data interval ``[start, end)`` (one UTC day, ``CronDataIntervalTimetable("0 0 * * *")``):

1. ``sources`` — the configured sources (Airflow Variable ``mda_sources``, else ``MDA_SOURCES``);
2. ``land`` — mapped over the sources: list the day's landing files (or archive files) and the
   hours missing from the collectors' manifests; retried (every 15 min) until the day is closed:
   all 24 hours landed, or ``MDA_LATENESS_S`` after ``end`` (missing hours are then recorded);
3. ``load`` — decode everything and replace exactly ``[start, end)`` in the DuckDB store
   (updates the ``mda_store`` asset; returns the run id, row counts and missing hours);
4. ``publish`` — map and statistics into ``<MDA_PUBLISH_DIR>/YYYY-MM-DD`` (consumes
   ``mda_store``, updates ``mda_published``), only after a successful load;
5. ``check`` — missing hours and the transit-disruption signal, notified through the
   ``mda_webhook`` connection.

The tasks that open the store (``load``, ``publish``, ``check``) run in the one-slot pool
``mda_duckdb``: DuckDB allows one writing process, however many workers the executor has.

``max_active_runs=1``: a day's detectors read the stored end of the previous day (the padded
window), so days are loaded in order, one at a time, also during a backfill.
``catchup=False``: a first deployment or an unpaused DAG does not launch a run for every day
since ``start_date`` (most have no landing files and would fail); past days are loaded on purpose
with ``airflow backfill create --dag-id mda_daily --from-date ... --to-date ...``, which gives
the same store as running the days one by one because every load replaces exactly its interval.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from airflow.sdk import CronDataIntervalTimetable, dag, task

from mda_airflow.common import (
    DEFAULT_ARGS,
    DUCKDB_POOL,
    PUBLISHED,
    SOURCES_VARIABLE,
    START,
    STORE,
    TAGS,
    WEBHOOK_CONN_ID,
    interval_of,
)

log = logging.getLogger(__name__)


@dag(
    dag_id="mda_daily",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "daily"],
    doc_md=__doc__,
)
def mda_daily() -> None:
    """Land, load, publish and check one UTC day."""

    @task
    def sources() -> list[dict[str, Any]]:
        from airflow.sdk import Variable

        from mda.settings import load_settings, parse_sources

        override = Variable.get(SOURCES_VARIABLE, default=None)
        specs = parse_sources(override) if override else load_settings().sources
        if not specs:
            raise ValueError("no sources configured: set MDA_SOURCES or the mda_sources Variable")
        return [{"name": s.name, "archive": s.archive} for s in specs]

    @task(retries=16, retry_delay=dt.timedelta(minutes=15), retry_exponential_backoff=False)
    def land(
        spec: dict[str, Any], data_interval_start: Any = None, data_interval_end: Any = None
    ) -> dict[str, Any]:
        from mda.daily import day_closed, land_source
        from mda.interval import Interval
        from mda.settings import SourceSpec, load_settings

        settings = load_settings()
        interval = Interval(*interval_of(data_interval_start, data_interval_end))
        inputs = land_source(SourceSpec(**spec), settings.landing_dir, interval)
        if not day_closed(inputs, interval, dt.datetime.now(dt.UTC), settings.lateness_s):
            raise RuntimeError(
                f"{inputs.source}: day not closed yet, {len(inputs.missing_hours)} hour(s) missing"
            )
        log.info("%s: %d file(s), missing hours: %s", inputs.source, len(inputs.files), inputs.missing_hours)
        return inputs.to_dict()

    @task(pool=DUCKDB_POOL, outlets=[STORE])
    def load(
        landed: list[dict[str, Any]], data_interval_start: Any = None, data_interval_end: Any = None
    ) -> dict[str, Any]:
        from mda.daily import LandedInputs, ingest_interval
        from mda.interval import Interval
        from mda.settings import load_settings

        interval = Interval(*interval_of(data_interval_start, data_interval_end))
        inputs = [LandedInputs(**item) for item in landed]
        result = ingest_interval(inputs, load_settings().store, interval)
        log.info("run %s wrote %s; missing hours %s", result.run_id, result.row_counts, result.missing_hours)
        return result.to_dict()

    @task(pool=DUCKDB_POOL, inlets=[STORE], outlets=[PUBLISHED])
    def publish(
        loaded: dict[str, Any], data_interval_start: Any = None, data_interval_end: Any = None
    ) -> dict[str, str]:
        from mda.daily import publish_day
        from mda.interval import Interval
        from mda.settings import load_settings

        settings = load_settings()
        interval = Interval(*interval_of(data_interval_start, data_interval_end))
        return publish_day(settings.store, settings.publish_dir, interval)

    @task(pool=DUCKDB_POOL, inlets=[STORE])
    def check(loaded: dict[str, Any], **context: Any) -> dict[str, Any]:
        from mda.daily import IngestResult, alert_messages, transit_disruption
        from mda.settings import load_settings
        from mda_airflow.notify import WebhookNotifier

        settings = load_settings()
        start, _end = interval_of(context["data_interval_start"], context["data_interval_end"])
        disruption = transit_disruption(
            settings.store,
            start.date(),
            window_days=settings.disruption_window_days,
            min_days=settings.disruption_min_days,
            ratio=settings.disruption_ratio,
        )
        result = IngestResult(**loaded)
        alerts = alert_messages(result, disruption)
        if alerts:
            details = {"missing_hours": result.missing_hours, "disruption": disruption.to_dict()}
            WebhookNotifier(WEBHOOK_CONN_ID, "day_alerts", "\n".join(alerts), details).notify(context)
        return {"alerts": alerts, "disruption": disruption.to_dict()}

    loaded = load(land.expand(spec=sources()))
    publish(loaded)
    check(loaded)


mda_daily()
