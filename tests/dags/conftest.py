"""One AIRFLOW_HOME with a migrated SQLite metadata DB for the whole session.

Airflow reads its configuration when first imported, so the environment is set here before any
test module imports it (test modules import airflow inside fixtures and tests only).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dag_helpers import DAGS

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")


def airflow_env(home: Path) -> dict[str, str]:
    """Airflow settings for the tests: SQLite metadata DB, our DAG folder, no examples."""
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
    }


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A migrated AIRFLOW_HOME, with the one-slot ``mda_duckdb`` pool, set in ``os.environ``."""
    home = tmp_path_factory.mktemp("airflow-home")
    env = airflow_env(home)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    sys.path.insert(0, str(DAGS))
    run = {"env": os.environ.copy(), "check": True, "capture_output": True, "timeout": 300}
    subprocess.run([str(AIRFLOW), "db", "migrate"], **run)  # type: ignore[call-overload]
    subprocess.run(  # type: ignore[call-overload]
        [str(AIRFLOW), "pools", "set", "mda_duckdb", "1", "one DuckDB writer at a time"], **run
    )
    yield home
    sys.path.remove(str(DAGS))
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
