"""The DAG folder imports cleanly and every DAG follows the house rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dag_helpers import DAGS

pytestmark = pytest.mark.slow

WRITERS = {"mda_daily": {"load", "publish", "check"}}


@pytest.fixture(scope="module")
def dagbag(airflow_home: Path) -> Any:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_dag_folder_imports_without_errors(dagbag: Any) -> None:
    assert dagbag.import_errors == {}
    assert {"mda_daily", "mda_maintenance"} <= set(dagbag.dag_ids)


def test_every_dag_is_tagged_and_runs_one_at_a_time(dagbag: Any) -> None:
    for dag in dagbag.dags.values():
        assert "mda" in dag.tags, dag.dag_id
        assert dag.max_active_runs == 1, dag.dag_id
        assert dag.catchup is False, dag.dag_id


def test_every_task_retries_and_notifies_on_failure(dagbag: Any) -> None:
    for dag in dagbag.dags.values():
        for t in dag.tasks:
            assert t.retries >= 1, f"{dag.dag_id}.{t.task_id}"
            assert t.on_failure_callback, f"{dag.dag_id}.{t.task_id}"


def test_store_tasks_share_the_one_slot_pool(dagbag: Any) -> None:
    for dag_id, writers in WRITERS.items():
        dag = dagbag.dags[dag_id]
        in_pool = {t.task_id for t in dag.tasks if t.pool == "mda_duckdb"}
        assert in_pool == writers


def test_publish_follows_a_successful_load_through_the_store_asset(dagbag: Any) -> None:
    dag = dagbag.dags["mda_daily"]
    load, publish = dag.get_task("load"), dag.get_task("publish")
    assert [a.name for a in load.outlets] == ["mda_store"]
    assert [a.name for a in publish.inlets] == ["mda_store"]
    assert publish.trigger_rule == "all_success"
    assert "load" in publish.upstream_task_ids


@pytest.mark.parametrize("name", ["mda_daily", "mda_maintenance"])
def test_dag_file_does_no_top_level_work(airflow_home: Path, name: str) -> None:
    # policy check, not a benchmark: airflow itself is imported first, then the DAG file timed
    code = (
        "import sys, time, importlib.util, airflow.sdk\n"
        f"sys.path.insert(0, {str(DAGS)!r})\n"
        f"spec = importlib.util.spec_from_file_location('d', {str(DAGS / (name + '.py'))!r})\n"
        "t = time.perf_counter(); spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print(time.perf_counter() - t); print(sorted(m for m in sys.modules if m.split('.')[0] == 'mda'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    seconds, modules = out.stdout.strip().splitlines()[-2:]
    assert float(seconds) < 2.0
    assert modules == "[]", "the DAG file imports mda at top level"
