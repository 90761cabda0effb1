"""``mda_maintenance``: retention of landing files and published snapshots; aisstream key probe.

Daily at 03:00 UTC (after ``mda_daily`` has normally loaded the previous day):

* ``prune_landing`` — delete landing day folders older than ``MDA_LANDING_RETENTION_DAYS``
  (keep that longer than any backfill you may want to re-run from landing files);
* ``prune_published`` — delete published snapshots older than ``MDA_PUBLISHED_RETENTION_DAYS``;
* ``probe_aisstream`` — when the ``mda_aisstream`` connection exists, check that its key still
  opens the aisstream.io feed (the key goes to mda as an argument; it is never logged or
  returned).

Neither task touches the DuckDB store, so no pool is needed.  ``catchup=False`` and
``max_active_runs=1``: retention is about "now", a missed day is simply done by the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from airflow.sdk import dag, task

from mda_airflow.common import AISSTREAM_CONN_ID, DEFAULT_ARGS, START, TAGS, interval_of

log = logging.getLogger(__name__)


@dag(
    dag_id="mda_maintenance",
    schedule="0 3 * * *",
    start_date=START,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "maintenance"],
    doc_md=__doc__,
)
def mda_maintenance() -> None:
    """Prune old landing files and snapshots; probe the aisstream.io key."""

    @task
    def prune_landing(logical_date: Any = None) -> int:
        from mda.daily import prune_landing as prune
        from mda.settings import load_settings

        settings = load_settings()
        today = interval_of(logical_date, logical_date)[0].date()
        deleted = prune(settings.landing_dir, today - dt.timedelta(days=settings.landing_retention_days))
        log.info("deleted %d landing day folder(s): %s", len(deleted), deleted)
        return len(deleted)

    @task
    def prune_published(logical_date: Any = None) -> int:
        from mda.daily import prune_published as prune
        from mda.settings import load_settings

        settings = load_settings()
        today = interval_of(logical_date, logical_date)[0].date()
        deleted = prune(settings.publish_dir, today - dt.timedelta(days=settings.published_retention_days))
        log.info("deleted %d snapshot folder(s): %s", len(deleted), deleted)
        return len(deleted)

    @task(retries=1)
    def probe_aisstream() -> dict[str, Any]:
        from airflow.sdk import Connection
        from airflow.sdk.exceptions import AirflowNotFoundException, AirflowRuntimeError

        from mda.daily import probe_aisstream as probe
        from mda.settings import load_settings

        try:
            conn = Connection.get(AISSTREAM_CONN_ID)
        except (AirflowNotFoundException, AirflowRuntimeError):
            log.info("no %s connection: skipping the probe", AISSTREAM_CONN_ID)
            return {"ok": None, "detail": "no connection"}
        url = str(conn.extra_dejson.get("url") or load_settings().aisstream_url)
        result = probe(conn.password or "", url)
        log.info("aisstream probe: ok=%s %s", result.ok, result.detail)
        if not result.ok:
            raise RuntimeError(f"aisstream.io probe failed: {result.detail}")
        return result.to_dict()

    prune_landing()
    prune_published()
    probe_aisstream()


mda_maintenance()
