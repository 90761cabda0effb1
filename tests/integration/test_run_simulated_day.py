from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from mda import pipeline
from mda.accuracy import score
from mda.pipeline import export_events, publish, run_files

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def _parse(ts: str) -> dt.datetime:
    return dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


def test_transit_count_equals_ground_truth(simulated_run):
    assert simulated_run.summary.row_counts["transits"] == len(simulated_run.truth["transits"])


def test_every_true_transit_is_found_with_direction_and_gate_times(simulated_run):
    con = duckdb.connect(str(simulated_run.db), read_only=True)
    found = con.execute("SELECT mmsi, direction, start_ts, end_ts FROM transits").fetchall()
    errors = []
    for t in simulated_run.truth["transits"]:
        match = [
            f
            for f in found
            if f[0] == t["mmsi"]
            and f[1] == t["direction"]
            and f[2] <= _parse(t["end_ts"])
            and _parse(t["start_ts"]) <= f[3]
        ]
        assert match, f"missed transit {t}"
        errors.append(abs((match[0][2] - _parse(t["start_ts"])).total_seconds()))
        errors.append(abs((match[0][3] - _parse(t["end_ts"])).total_seconds()))
    errors.sort()
    assert errors[len(errors) // 2] <= 600, "median gate-time error above 10 minutes"


def test_no_transit_for_u_turns_or_port_calls(simulated_run):
    con = duckdb.connect(str(simulated_run.db), read_only=True)
    transiting = {r[0] for r in con.execute("SELECT DISTINCT mmsi FROM transits").fetchall()}
    true_transiting = {t["mmsi"] for t in simulated_run.truth["transits"]}
    for u in simulated_run.truth["u_turns"]:
        if u["mmsi"] not in true_transiting:
            assert u["mmsi"] not in transiting


def test_every_line_is_accounted_for_and_matches_the_simulator(simulated_run):
    (acc,) = simulated_run.summary.accounting.values()
    truth = simulated_run.truth["lines"]
    assert acc.lines == truth["total"] == simulated_run.sim.lines
    assert acc.balanced
    assert acc.non_ais == truth["non_ais"]
    assert acc.rejected["bad_checksum"] == truth["bad_checksum"]
    assert acc.rejected["empty_payload"] == truth["empty_payload"]
    assert acc.duplicates == truth["duplicates"]


def test_run_record_and_rejects_are_stored(simulated_run):
    con = duckdb.connect(str(simulated_run.db), read_only=True)
    lines_in, decoded, dups, non_ais, rejected = con.execute(
        "SELECT lines_in, decoded, duplicates, non_ais, rejected FROM mda_runs"
    ).fetchone()
    assert lines_in == decoded + dups + non_ais + rejected == simulated_run.sim.lines
    (stored_rejects,) = con.execute("SELECT count(*) FROM rejects").fetchone()
    assert stored_rejects == lines_in - decoded


def test_export_writes_iso_utc_transit_log(simulated_run, tmp_path):
    out = tmp_path / "transits.csv"
    count = export_events(simulated_run.db, "transits", out)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert count == len(rows) == len(simulated_run.truth["transits"])
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    for row in rows:
        assert row["direction"] in {"northbound", "southbound"}
        assert iso.match(row["start_ts"])
        assert iso.match(row["end_ts"])
        assert row["start_ts"] < row["end_ts"]
        assert int(row["mmsi"]) > 0


def test_map_and_statistics_are_published(simulated_run):
    html = (simulated_run.out / "transits_map.html").read_text()
    assert "leaflet" in html.lower()
    with (simulated_run.out / "transit_stats.csv").open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    truth = simulated_run.truth["transits"]
    assert int(row["northbound"]) == sum(t["direction"] == "northbound" for t in truth)
    assert int(row["southbound"]) == sum(t["direction"] == "southbound" for t in truth)


def _files(site: Path) -> dict[Path, bytes]:
    # folium names each map element with a random id: the same map differs by those alone
    ids = re.compile(rb"(?<=_)[0-9a-f]{32}(?![0-9a-f])")
    return {
        p.relative_to(site): ids.sub(b"ID", p.read_bytes()) if p.suffix == ".html" else p.read_bytes()
        for p in site.rglob("*")
        if p.is_file()
    }


def test_the_site_drawn_while_the_snapshot_is_published_equals_one_published_from_it(simulated_run, tmp_path):
    # the run reads its pages' rows from the writer after the commit; publish() from the snapshot
    again = publish(simulated_run.db, tmp_path / "site")
    assert set(simulated_run.summary.outputs) == set(again)
    drawn, published = _files(simulated_run.out), _files(tmp_path / "site")
    assert sorted(drawn) == sorted(published)
    for rel, data in drawn.items():
        assert data == published[rel], rel


def test_hostile_vessel_name_is_escaped_in_the_map(simulated_run):
    html = (simulated_run.out / "transits_map.html").read_text()
    names = simulated_run.truth["hostile_names"]
    assert names
    for name in names:
        text = name["name"] if isinstance(name, dict) else name
        assert text not in html  # never raw
        # present, HTML-escaped inside the page's JSON (which also escapes < > &)
        assert "\\u0026lt;" + text.removeprefix("<") in html


def test_rerunning_the_day_changes_no_table(simulated_run, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(simulated_run.db, db)

    def digest():
        con = duckdb.connect(str(db), read_only=True)
        try:
            return {
                t: con.execute(f"SELECT count(*), sum(hash(x)) FROM {t} AS x").fetchone()  # noqa: S608
                for t in ("positions", "vessel_static", "rejects", "transits")
            }
        finally:
            con.close()

    before = digest()
    run_files([simulated_run.sim.nmea_path], db, tmp_path / "publish")
    assert digest() == before


def test_cli_run_and_export_from_a_subprocess(simulated_run, tmp_path):
    mda = [sys.executable, "-m", "mda.cli"]
    db = tmp_path / "cli.duckdb"
    run = subprocess.run(
        [
            *mda,
            "-q",
            "run",
            "--input",
            str(simulated_run.sim.nmea_path),
            "--db",
            str(db),
            "--out",
            str(tmp_path / "pub"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "transits" in run.stdout
    export = subprocess.run(
        [*mda, "export", "transits", "--db", str(db), "--out", str(tmp_path / "t.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert export.returncode == 0, export.stderr
    assert (tmp_path / "t.csv").read_text().startswith("event_id,mmsi,")


def _rows(db: Path, table: str) -> list[dict[str, object]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("truth_key", "table"),
    [("loitering", "loitering_events"), ("gaps", "gap_events")],
    ids=["loitering", "gaps"],
)
def test_loitering_and_gaps_match_the_ground_truth(simulated_run, truth_key, table):
    result = score(simulated_run.truth[truth_key], _rows(simulated_run.db, table), lambda e: e["mmsi"])
    assert result.true > 0
    assert result.f1 >= 0.95, (result.missed, result.spurious)


def test_encounters_match_the_ground_truth(simulated_run):
    def pair(e):
        return tuple(sorted((e.get("mmsi_a", e.get("mmsi")), e.get("mmsi_b", e.get("other_mmsi")))))

    result = score(simulated_run.truth["encounters"], _rows(simulated_run.db, "encounters"), pair)
    assert result.true > 0
    assert result.f1 >= 0.95, (result.missed, result.spurious)


def test_shared_mmsi_is_reported_as_an_identity_anomaly(simulated_run):
    anomalies = _rows(simulated_run.db, "identity_anomalies")
    shared = {a["mmsi"] for a in anomalies if a["anomaly"] == "shared_mmsi"}
    assert shared == {s["mmsi"] for s in simulated_run.truth["shared_mmsi"]}


def test_a_site_unreadable_from_the_writer_is_published_from_the_snapshot(
    simulated_run, tmp_path, monkeypatch
):
    failures = []
    real = pipeline.read_density

    def fail_once(*args):
        if not failures:
            failures.append("writer")
            raise duckdb.OutOfMemoryException("out of memory")
        return real(*args)

    monkeypatch.setattr(pipeline, "read_density", fail_once)
    messages: list[str] = []
    summary = run_files(
        [simulated_run.sim.nmea_path], tmp_path / "mda.duckdb", tmp_path / "site", progress=messages.append
    )
    assert failures == ["writer"]
    assert any("published after the snapshot instead" in m for m in messages)
    assert summary.outputs["map"].is_file()
    assert summary.row_counts["transits"] == simulated_run.summary.row_counts["transits"]
