import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from mda.store import session
from mda.store.db import connect, migrate, publish_snapshot, stale_snapshots, writer, writer_path
from mda.store.export import ExportFilters, csv_batch, export
from mda.store.schema_doc import schema_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_view_and_column_has_a_comment(tmp_path: Path):
    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    bare = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND comment IS NULL"
    ).fetchall()
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal AND comment IS NULL")
    assert bare == []
    assert tables.fetchall() == []


def test_schema_document_is_in_sync_with_the_migrations():
    committed = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == schema_markdown(), "regenerate with: mda db schema-doc --out docs/schema.md"


def test_runs_record_missing_hours_as_nullable_json(tmp_path: Path):
    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    row = con.execute(
        "SELECT data_type, is_nullable FROM duckdb_columns() "
        "WHERE table_name = 'mda_runs' AND column_name = 'missing_hours'"
    ).fetchone()
    assert row == ("VARCHAR", True)


def test_flag_and_category_macros_follow_the_python_identity_tables(tmp_path: Path):
    from mda.identity import flag_of, ship_category

    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    mmsis = [416123456, 412000001, 2414123, 111416000, 970123456, 992416001, 0]
    sql = con.execute("SELECT flag_of(m) FROM unnest($m) AS t(m)", {"m": mmsis}).fetchall()
    assert [r[0] for r in sql] == flag_of(mmsis)[0].to_pylist()
    types = [0, 30, 35, 55, 70, 84, 99, 255]
    cats = con.execute("SELECT ship_category(s) FROM unnest($s) AS t(s)", {"s": types}).fetchall()
    assert [r[0] for r in cats] == ship_category(types).to_pylist()


def _store_with_positions(path: Path, n: int) -> None:
    with writer(path) as con:
        con.execute(
            "INSERT INTO positions (ts, mmsi, msg_type, lon, lat, source, line_no) "
            "SELECT TIMESTAMPTZ '2026-11-24 00:00:00+00' + to_seconds(i), 416000000 + i, 1, 120.0, 24.0, "
            "'a', i "
            "FROM range($n) AS t(i)",
            {"n": n},
        )
        con.close()
        publish_snapshot(path)


def test_a_reader_keeps_its_snapshot_while_a_new_one_is_published(tmp_path: Path):
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 3)
    held = connect(db, read_only=True)
    _store_with_positions(db, 4)
    assert held.execute("SELECT count(*) FROM positions").fetchone() == (3,)
    held.close()  # DuckDB shares one open instance per path within a process
    fresh = connect(db, read_only=True)
    assert fresh.execute("SELECT count(*) FROM positions").fetchone() == (7,)
    assert writer_path(db).is_file()


def test_publishing_removes_temp_files_left_by_a_killed_snapshot(tmp_path: Path):
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 1)
    stale = db.with_name(f".snapshot-{db.name}.99999")
    stale.write_bytes(b"half a copy")
    assert stale_snapshots(db) == [stale]
    _store_with_positions(db, 1)
    assert stale_snapshots(db) == []


def test_an_existing_single_file_store_is_adopted_as_the_writer(tmp_path: Path):
    db = tmp_path / "old.duckdb"
    con = connect(db)
    migrate(con)
    con.execute("INSERT INTO mid_flags VALUES (999, 'ZZ', 'kept')")
    con.close()
    with writer(db) as w:
        assert w.execute("SELECT count(*) FROM positions").fetchone() == (0,)
    assert writer_path(db).is_file()


def test_analyst_sessions_are_read_only_and_cannot_reach_files(tmp_path: Path):
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 2)
    con, _warning = session.analyst_connection(db)
    for sql in (
        "DELETE FROM positions",
        "CREATE TABLE x (a INTEGER)",
        f"ATTACH '{writer_path(db)}' AS w",
        f"COPY positions TO '{tmp_path / 'leak.csv'}'",
        "SET enable_external_access = true",
    ):
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    assert not (tmp_path / "leak.csv").exists()
    assert con.execute("SELECT count(*) FROM positions").fetchone() == (2,)


def test_spatial_sql_works_in_analyst_sessions(tmp_path: Path):
    if session.spatial_extension_path() is None:
        pytest.skip("duckdb-extension-spatial for this DuckDB is not installed")
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 1)
    con, warning = session.analyst_connection(db)
    assert warning is None
    (inside, metres) = con.execute(
        "SELECT ST_Within(ST_Point(120.5, 24.5), "
        "ST_GeomFromText('POLYGON((120 24, 121 24, 121 25, 120 25, 120 24))')),"
        " ST_Distance_Sphere(ST_Point(24, 120), ST_Point(24, 121))"  # (lat, lon) order
    ).fetchone()
    assert inside is True
    assert 100_000 < metres < 103_000  # 1 degree of longitude at 24 N


def test_missing_spatial_extension_is_one_clear_line(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(session, "spatial_extension_path", lambda: None)
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 1)
    con, warning = session.analyst_connection(db)
    assert warning is not None
    assert "\n" not in warning
    assert "duckdb-extension-spatial" in warning
    assert con.execute("SELECT count(*) FROM positions").fetchone() == (1,)


def test_csv_cells_that_look_like_formulas_are_neutralised_but_numbers_are_not():
    batch = pa.record_batch(
        {
            "name": ["=HYPERLINK(1)", "+1", "-x", "@SUM", "\tTAB", "\rCR", "SAFE", None],
            "lon": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, None],
            "mmsi": [-1, 2, 3, 4, 5, 6, 7, None],
        }
    )
    out = csv_batch(batch).to_pydict()
    assert out["name"] == ["'=HYPERLINK(1)", "'+1", "'-x", "'@SUM", "'\tTAB", "'\rCR", "SAFE", None]
    assert out["lon"][0] == -1.5
    assert out["mmsi"][0] == -1


def test_export_filters_are_bound_values_not_sql(tmp_path: Path):
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 5)
    con = connect(db, read_only=True)
    hostile = ExportFilters(flag="TW') OR 1=1 --")
    assert export(con, "positions", tmp_path / "p.csv", hostile) == 0
    assert export(con, "positions", tmp_path / "p.csv", ExportFilters(flag="tw")) == 5
    assert export(con, "positions", tmp_path / "p.csv", ExportFilters(mmsi=416000002)) == 1
    day = dt.date(2026, 11, 24)
    assert export(con, "positions", tmp_path / "p.csv", ExportFilters(day_from=day, day_to=day)) == 5
    assert export(con, "positions", tmp_path / "p.csv", ExportFilters(day_from=day + dt.timedelta(1))) == 0


def test_query_command_prints_json_and_refuses_writes(tmp_path: Path):
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 2)
    cmd = [sys.executable, "-m", "mda.cli_store", "query", "--db", str(db)]
    ok = subprocess.run(
        [*cmd, "--format", "json", "SELECT count(*) AS n FROM positions"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"n": 2}
    bad = subprocess.run([*cmd, "DROP TABLE positions"], capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "read-only" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_shell_runs_statements_until_quit(tmp_path: Path):
    db = tmp_path / "s.duckdb"
    _store_with_positions(db, 2)
    script = (
        "SELECT count(*)\n AS n FROM positions;\nSELECT ST_AsText(ST_Point(1, 2)) AS p;\n.quit\nSELECT 99;\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "mda.cli_store", "shell", "--db", str(db)],
        input=script,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "POINT (1 2)" in run.stdout
    assert "99" not in run.stdout


def test_db_migrate_creates_writer_and_snapshot(tmp_path: Path):
    db = tmp_path / "new" / "s.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "mda.cli_store", "db", "migrate", "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    con = connect(db, read_only=True)
    names = [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    assert "003_analyst_store" in names
    assert writer_path(db).is_file()
