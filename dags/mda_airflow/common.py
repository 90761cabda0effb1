"""Names and defaults shared by the mda DAGs (cheap to import: no mda, no I/O)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow.sdk import Asset

from mda_airflow.notify import WebhookNotifier

DUCKDB_POOL = "mda_duckdb"
"""One-slot pool held by every task that opens the DuckDB store (one writer process at a time)."""

WEBHOOK_CONN_ID = "mda_webhook"
"""HTTP connection whose URL receives the JSON notifications."""

AISSTREAM_CONN_ID = "mda_aisstream"
"""Connection holding the aisstream.io API key as its password (extra ``url`` optional)."""

SOURCES_VARIABLE = "mda_sources"
"""Airflow Variable overriding ``MDA_SOURCES`` (same syntax), read when a run starts."""

STORE = Asset(name="mda_store", uri="mda://store")
"""The DuckDB store; updated by a successful load."""

PUBLISHED = Asset(name="mda_published", uri="mda://published")
"""The published daily snapshots (map and statistics)."""

TAGS = ["mda", "ais"]

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

FAILURE_NOTIFIER = WebhookNotifier(
    conn_id=WEBHOOK_CONN_ID,
    event="task_failed",
    message="{{ dag.dag_id }} {{ ti.task_id }} failed for {{ data_interval_start }}",
)

DEFAULT_ARGS: dict[str, Any] = {
    "owner": "mda",
    "retries": 3,
    "retry_delay": dt.timedelta(minutes=5),
    "retry_exponential_backoff": True,
    "max_retry_delay": dt.timedelta(hours=1),
    "on_failure_callback": [FAILURE_NOTIFIER],
}


def interval_of(start: Any, end: Any) -> tuple[dt.datetime, dt.datetime]:
    """The run's data interval as aware UTC datetimes (Airflow passes pendulum datetimes)."""
    if start is None or end is None:
        raise ValueError("this task needs a data interval (run it from a scheduled or backfill run)")
    return (
        dt.datetime.fromtimestamp(start.timestamp(), dt.UTC),
        dt.datetime.fromtimestamp(end.timestamp(), dt.UTC),
    )
