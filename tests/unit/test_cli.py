from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mda.cli import main

MDA = [sys.executable, "-m", "mda.cli"]


@pytest.mark.parametrize(
    "argv",
    [[], ["simulate"], ["run"], ["export"], ["export", "transits"], ["export", "gap_events"], ["demo"]],
    ids=lambda a: " ".join(a) or "mda",
)
def test_every_command_has_help(argv):
    out = subprocess.run([*MDA, *argv, "--help"], capture_output=True, text=True, check=False)
    assert out.returncode == 0
    assert out.stdout.startswith("usage: mda")


def _one_line_error(argv: list[str]) -> str:
    out = subprocess.run([*MDA, *argv], capture_output=True, text=True, check=False)
    assert out.returncode != 0
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert "Traceback" not in out.stderr
    return lines[-1]


def test_missing_input_file_is_a_one_line_error(tmp_path: Path):
    line = _one_line_error(
        [
            "run",
            "--input",
            str(tmp_path / "absent.nmea"),
            "--db",
            str(tmp_path / "x.duckdb"),
            "--out",
            str(tmp_path),
        ]
    )
    assert line == f"mda: error: input file not found: {tmp_path / 'absent.nmea'}"


def test_unreadable_database_is_a_one_line_error(tmp_path: Path):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"\x00garbage" * 100)
    line = _one_line_error(["export", "transits", "--db", str(bad), "--out", str(tmp_path / "t.csv")])
    assert line.startswith("mda: error: cannot open database")


def test_bad_date_is_a_usage_error():
    out = subprocess.run(
        [*MDA, "simulate", "--date", "2026-02-30", "--out", "x"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 2
    assert "not a date (YYYY-MM-DD): '2026-02-30'" in out.stderr


def test_input_without_any_timed_position_is_a_one_line_error(tmp_path: Path, samples: Path):
    line = _one_line_error(
        [
            "-q",
            "run",
            "--input",
            str(samples / "pyais" / "nmea_data_sample.txt"),
            "--db",
            str(tmp_path / "x.duckdb"),
            "--out",
            str(tmp_path),
        ]
    )
    assert line.startswith("mda: error: no timed position reports")


def test_run_on_a_real_sample_accounts_for_every_line(tmp_path: Path, samples: Path, capsys):
    code = main(
        [
            "-q",
            "run",
            "--input",
            str(samples / "kystverket" / "Ais1000Lines.nm4"),
            "--db",
            str(tmp_path / "k.duckdb"),
            "--out",
            str(tmp_path / "pub"),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "1,000 lines = 995 decoded + 0 duplicates + 0 non-AIS + 5 rejected (invalid_position 5)" in out
