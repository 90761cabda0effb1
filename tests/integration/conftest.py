from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mda.pipeline import RunSummary, run_files
from mda.simulate import SimulationResult, simulate_day

DAY = dt.date(2026, 11, 24)
SEED = 7


@dataclass(frozen=True)
class SimulatedRun:
    sim: SimulationResult
    truth: dict[str, Any]
    summary: RunSummary
    db: Path
    out: Path


@pytest.fixture(scope="session")
def simulated_run(tmp_path_factory: pytest.TempPathFactory) -> SimulatedRun:
    """One simulated day run through the whole pipeline, shared by the integration tests."""
    root = tmp_path_factory.mktemp("simulated")
    sim = simulate_day(DAY, SEED, root / "raw")
    db = root / "mda.duckdb"
    summary = run_files([sim.nmea_path], db, root / "publish")
    truth = json.loads(sim.truth_path.read_text())
    return SimulatedRun(sim, truth, summary, db, root / "publish")
