"""Real ``dag.test()`` runs of the mda DAGs on simulated landing days (SQLite metadata DB)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dag_helpers import DAGS, SOURCE, land_simulated_day, table_hashes

pytestmark = pytest.mark.slow

DAYS = [dt.date(2026, 3, 1), dt.date(2026, 3, 2), dt.date(2026, 3, 3)]
SHORT_DAY = dt.date(2026, 3, 4)
DATA_TABLES = ["positions", "vessel_static", "rejects", "transits", "median_line_crossings"]
DATA_TABLES += ["zone_events", "loitering_events", "gap_events", "encounters", "port_calls"]
DATA_TABLES += ["identity_anomalies"]
API_KEY = "k3y-" + "s" * 28 + "-never-shown"


@dataclass
class Webhook:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture(scope="module")
def webhook() -> Iterator[Webhook]:
    """A real HTTP receiver on 127.0.0.1 collecting the JSON bodies posted to it."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Webhook(f"http://127.0.0.1:{server.server_address[1]}/hook", received)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three full simulated days and a fourth whose collector stopped at 02:00 UTC."""
    root = tmp_path_factory.mktemp("landing")
    scratch = tmp_path_factory.mktemp("sim")
    for day in DAYS:
        land_simulated_day(day, root, scratch)
    stop = dt.datetime(SHORT_DAY.year, SHORT_DAY.month, SHORT_DAY.day, 2, tzinfo=dt.UTC)
    land_simulated_day(SHORT_DAY, root, scratch, until=stop)
    return root


@pytest.fixture(scope="module")
def dags(airflow_home: Path, webhook: Webhook) -> Iterator[dict[str, Any]]:
    from airflow.dag_processing.dagbag import DagBag

    conn = {"conn_type": "http", "extra": {"url": webhook.url}}
    os.environ["AIRFLOW_CONN_MDA_WEBHOOK"] = json.dumps(conn)
    bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    # a failing task fails the run at once instead of sleeping through its retry backoff
    for dag in bag.dags.values():
        for t in dag.tasks:
            t.retries = 0
    yield bag.dags
    os.environ.pop("AIRFLOW_CONN_MDA_WEBHOOK", None)


@pytest.fixture
def mda_env(tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """MDA_* settings of one scenario: the shared landing, a fresh store and publish folder."""
    monkeypatch.setenv("MDA_LANDING_DIR", str(landing))
    monkeypatch.setenv("MDA_STORE", str(tmp_path / "mda.duckdb"))
    monkeypatch.setenv("MDA_PUBLISH_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("MDA_SOURCES", SOURCE)
    monkeypatch.setenv("MDA_LATENESS_S", "3600")
    return tmp_path


def run_day(dag: Any, day: dt.date) -> Any:
    """Run the DAG for the data interval ``[day, day + 1)``.

    Airflow 3 gives a data-interval timetable's run the logical date at the interval's end.
    """
    logical = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return dag.test(logical_date=logical)


def test_daily_run_loads_exactly_the_day_and_publishes_it(dags: dict[str, Any], mda_env: Path) -> None:
    run = run_day(dags["mda_daily"], DAYS[0])
    assert run.state == "success"
    con = duckdb.connect(str(mda_env / "mda.duckdb"), read_only=True)
    try:
        first, last, n = con.execute("SELECT min(ts), max(ts), count(*) FROM positions").fetchone()
        runs = con.execute("SELECT interval_start, interval_end FROM mda_runs").fetchall()
        transits = con.execute("SELECT count(*) FROM transits").fetchone()[0]
    finally:
        con.close()
    assert n > 50_000
    assert first.date() == last.date() == DAYS[0]
    assert [(s.date(), e.date()) for s, e in runs] == [(DAYS[0], DAYS[1])]
    assert transits > 0
    snapshot = mda_env / "published" / DAYS[0].isoformat()
    assert (snapshot / "transits_map.html").stat().st_size > 1000
    stats = (snapshot / "transit_stats.csv").read_text().splitlines()
    assert stats[1].startswith(f"{DAYS[0].isoformat()},")
    assert stats[1].endswith(f",{transits}")


def test_three_day_backfill_equals_one_run_over_the_range(dags: dict[str, Any], mda_env: Path) -> None:
    from mda.daily import ingest_interval, land_source
    from mda.interval import Interval
    from mda.settings import SourceSpec

    for day in DAYS:
        assert run_day(dags["mda_daily"], day).state == "success"
    # the same landing files loaded in one run over the whole range, outside Airflow
    whole = Interval(Interval.for_day(DAYS[0]).start, Interval.for_day(DAYS[-1]).end)
    inputs = land_source(SourceSpec(SOURCE), Path(os.environ["MDA_LANDING_DIR"]), whole)
    ingest_interval([inputs], mda_env / "once.duckdb", whole)
    backfilled = table_hashes(mda_env / "mda.duckdb", DATA_TABLES)
    assert backfilled == table_hashes(mda_env / "once.duckdb", DATA_TABLES)
    # a day re-run in the middle of the range (a cleared backfill run) changes nothing
    assert run_day(dags["mda_daily"], DAYS[1]).state == "success"
    assert table_hashes(mda_env / "mda.duckdb", DATA_TABLES) == backfilled


def test_short_day_reports_missing_hours_and_a_disruption(
    dags: dict[str, Any], mda_env: Path, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MDA_DISRUPTION_MIN_DAYS", "3")
    for day in [*DAYS, SHORT_DAY]:
        run = run_day(dags["mda_daily"], day)
        assert run.state == "success"
    alerts = [m for m in webhook.received if m["event"] == "day_alerts"]
    assert len(alerts) == 1, alerts
    (alert,) = alerts
    assert alert["dag_id"] == "mda_daily"
    assert alert["data_interval_start"].startswith(SHORT_DAY.isoformat())
    missing = alert["details"]["missing_hours"][SOURCE]
    assert missing == [f"{SHORT_DAY.isoformat()}T{h:02d}:00:00Z" for h in range(2, 24)]
    con = duckdb.connect(str(mda_env / "mda.duckdb"), read_only=True)
    try:
        (stored,) = con.execute(
            "SELECT missing_hours FROM mda_runs WHERE interval_start::DATE = $day", {"day": SHORT_DAY}
        ).fetchone()
    finally:
        con.close()
    assert json.loads(stored) == {SOURCE: missing}
    disruption = alert["details"]["disruption"]
    assert disruption["disrupted"] is True
    assert disruption["trailing_days"] == 3
    assert disruption["transits"] < 0.5 * disruption["trailing_mean"]
    assert "possible disruption" in alert["message"]


def test_failed_run_notifies_the_webhook(
    dags: dict[str, Any], mda_env: Path, webhook: Webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MDA_SOURCES", "silent-feed")
    dag = dags["mda_daily"]
    before = len(webhook.received)
    run = run_day(dag, DAYS[0])
    assert run.state == "failed"
    failures = [m for m in webhook.received[before:] if m["event"] == "task_failed"]
    assert [m["task_id"] for m in failures] == ["load"]
    assert failures[0]["message"].startswith("mda_daily load failed for 2026-03-01")


def test_maintenance_prunes_old_landing_and_snapshots(
    dags: dict[str, Any], mda_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    landing = tmp_path / "old-landing"
    shutil.copytree(os.environ["MDA_LANDING_DIR"], landing)
    monkeypatch.setenv("MDA_LANDING_DIR", str(landing))
    for day in ("2026-03-01", "2026-03-04"):
        (mda_env / "published" / day).mkdir(parents=True)
    monkeypatch.setenv("MDA_LANDING_RETENTION_DAYS", "2")
    monkeypatch.setenv("MDA_PUBLISHED_RETENTION_DAYS", "1")
    run = dags["mda_maintenance"].test(logical_date=dt.datetime(2026, 3, 5, 3, tzinfo=dt.UTC))
    assert run.state == "success"
    kept = sorted(p.name for p in (landing / SOURCE / "2026" / "03").iterdir())
    assert kept == ["03", "04"]
    assert sorted(p.name for p in (mda_env / "published").iterdir()) == ["2026-03-04"]


def test_aisstream_key_reaches_the_feed_but_never_logs_or_xcom(
    dags: dict[str, Any],
    mda_env: Path,
    airflow_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from websockets.sync.server import serve

    keys: list[str] = []

    def feed(ws: Any) -> None:
        keys.append(json.loads(ws.recv())["APIKey"])
        ws.send(json.dumps({"MessageType": "PositionReport", "Message": {}}))

    with serve(feed, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        port = server.socket.getsockname()[1]
        conn = {"conn_type": "generic", "password": API_KEY, "extra": {"url": f"ws://127.0.0.1:{port}/"}}
        monkeypatch.setenv("AIRFLOW_CONN_MDA_AISSTREAM", json.dumps(conn))
        run = dags["mda_maintenance"].test(logical_date=dt.datetime(2026, 3, 6, 3, tzinfo=dt.UTC))
        server.shutdown()
    assert run.state == "success"
    assert keys == [API_KEY]
    out, err = capfd.readouterr()
    assert "aisstream probe: ok=True" in out + err + caplog.text
    assert API_KEY not in out + err + caplog.text
    logged = (
        [p for p in (airflow_home / "logs").rglob("*") if p.is_file()]
        if (airflow_home / "logs").exists()
        else []
    )
    assert all(API_KEY not in p.read_text(errors="replace") for p in logged)
    db = sqlite3.connect(airflow_home / "airflow.db")
    try:
        values = [str(v) for (v,) in db.execute("SELECT value FROM xcom")]
    finally:
        db.close()
    assert values, "the DAG runs pushed no XCom at all"
    assert all(API_KEY not in v for v in values)
