from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "ais-samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES
