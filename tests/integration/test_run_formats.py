"""`mda run` on every input format, and what a run may replace."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from mda.pipeline import run_files

pytestmark = pytest.mark.integration
FIX = Path(__file__).resolve().parents[1] / "fixtures"
NOAA = FIX / "ais-samples" / "aisdb" / "test_data_noaa_20230101.csv"
DMA = FIX / "handmade" / "dma_aisdk_2026-11-13.csv"
AISSTREAM = FIX / "handmade" / "aisstream_2026-11-24T03.jsonl"
KYSTVERKET = FIX / "ais-samples" / "kystverket" / "Ais1000Lines.nm4"


def test_csv_and_json_sources_load_with_every_line_accounted_for(tmp_path):
    summary = run_files([NOAA, DMA, AISSTREAM], tmp_path / "m.duckdb", tmp_path / "pub")
    for accounting in summary.accounting.values():
        assert accounting.balanced
    con = duckdb.connect(str(tmp_path / "m.duckdb"), read_only=True)
    (positions,) = con.execute("SELECT count(*) FROM positions").fetchone()
    assert positions == summary.row_counts["positions"] >= 1000


def test_a_run_replaces_only_the_days_its_data_covers(tmp_path):
    db = tmp_path / "m.duckdb"
    run_files([KYSTVERKET], db, tmp_path / "pub")  # 2019-08-07
    run_files([NOAA, DMA], db, tmp_path / "pub")  # 2023-01-11 and 2026-11-12/13
    con = duckdb.connect(str(db), read_only=True)
    days = {
        r[0].isoformat() for r in con.execute("SELECT DISTINCT CAST(ts AS DATE) FROM positions").fetchall()
    }
    assert "2019-08-07" in days
    runs = con.execute("SELECT interval_start::DATE, interval_end::DATE FROM mda_runs ORDER BY 1").fetchall()
    assert [(a.isoformat(), b.isoformat()) for a, b in runs] == [
        ("2019-08-07", "2019-08-08"),
        ("2023-01-11", "2023-01-12"),
        ("2026-11-12", "2026-11-14"),
    ]


def test_untimed_rejects_are_stored_once_when_a_run_spans_several_day_blocks(tmp_path):
    summary = run_files([NOAA, DMA, AISSTREAM], tmp_path / "m.duckdb", tmp_path / "pub")
    con = duckdb.connect(str(tmp_path / "m.duckdb"), read_only=True)
    (stored,) = con.execute("SELECT count(*) FROM rejects").fetchone()
    expected = sum(a.lines - a.decoded for a in summary.accounting.values())
    assert stored == expected
