import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from mda import schemas
from mda.interval import Interval
from mda.pipeline import Decoded
from mda.store.db import StoreError, capped_threads, connect, migrate
from mda.store.load import copy_staged, delete_raw, insert_run, replace_raw, transaction

from builders import T0, fix, positions

DAY = Interval(T0, T0 + dt.timedelta(days=1))


def run_row(run_id: str) -> pa.Table:
    now = T0
    return pa.Table.from_pylist(
        [
            {
                "run_id": run_id,
                "started_at": now,
                "finished_at": now,
                "interval_start": DAY.start,
                "interval_end": DAY.end,
                "sources": "[]",
                "lines_in": 3,
                "decoded": 3,
                "duplicates": 0,
                "non_ais": 0,
                "rejected": 0,
                "accounting": "{}",
                "row_counts": "{}",
                "mda_version": "0",
                "fence_version": "f",
                "params_version": "p",
                "duration_s": 0.0,
            }
        ]
    )


def load(con, day_rows, run_id="r1", rejects=None):
    decoded = Decoded.from_tables(
        {},
        positions(day_rows),
        schemas.VESSEL_STATIC.empty_table(),
        rejects if rejects is not None else schemas.REJECTS.empty_table(),
    )
    with decoded, transaction(con):
        replace_raw(con, DAY, ["a.nmea"], decoded.stage.files, untimed_rejects=True)
        insert_run(con, run_row(run_id))


def table_hash(con, table):
    return con.execute(f"SELECT count(*), sum(hash(t)) FROM {table} AS t").fetchone()  # noqa: S608 - fixed names


def test_migrations_apply_once(tmp_path: Path):
    con = connect(tmp_path / "s.duckdb")
    applied = migrate(con)
    assert applied[:3] == ["001_initial", "002_events", "003_analyst_store"]
    assert applied == sorted(applied)
    assert migrate(con) == []


def test_reloading_an_interval_replaces_it_exactly(tmp_path: Path):
    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    rows = [fix(1, m, 120.0, 24.0) for m in range(3)]
    outside = positions([fix(1, -10, 120.0, 24.0)])
    con.register("outside", outside)
    con.execute("INSERT INTO positions BY NAME SELECT * FROM outside")
    load(con, rows, "r1")
    before = table_hash(con, "positions")
    load(con, rows, "r2")
    assert table_hash(con, "positions") == before
    assert con.execute("SELECT count(*) FROM positions").fetchone() == (4,)
    assert con.execute("SELECT count(*) FROM mda_runs").fetchone() == (2,)


def test_untimed_rejects_of_the_same_source_are_replaced(tmp_path: Path):
    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    rejects = pa.Table.from_pylist(
        [{"ts": None, "source": "a.nmea", "line_no": 1, "reason": "no_timestamp", "detail": "", "raw": "x"}],
        schema=schemas.REJECTS,
    )
    load(con, [], "r1", rejects)
    load(con, [], "r2", rejects)
    assert con.execute("SELECT count(*) FROM rejects").fetchone() == (1,)


def test_failed_load_leaves_the_previous_day_intact(tmp_path: Path):
    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    load(con, [fix(1, 0, 120.0, 24.0)], "r1")
    with pytest.raises(Exception, match="r1"):
        load(con, [fix(1, 5, 121.0, 24.0)], "r1")  # duplicate run id violates the key
    assert con.execute("SELECT lon FROM positions").fetchall() == [(120.0,)]


def test_a_large_copy_writes_its_full_row_groups_before_the_commit_and_puts_its_settings_back(
    tmp_path: Path,
):
    db = tmp_path / "s.duckdb"
    con = connect(db)
    migrate(con)
    con.execute("CHECKPOINT")
    settings = (
        "SELECT current_setting('write_buffer_row_group_count'), current_setting('preserve_insertion_order')"
    )
    before = con.execute(settings).fetchone()
    one = positions([fix(412000000 + m, m / 10, 120.0 + m / 1e5, 24.0) for m in range(4000)])
    rows = one.take(pa.array(np.arange(400_000) % 4000))  # 3 full row groups and a part
    noise = np.random.default_rng(1).uniform(119.0, 122.0, rows.num_rows)  # does not compress away
    rows = rows.set_column(rows.schema.get_field_index("lon"), "lon", pa.array(noise))
    static, rejects = schemas.VESSEL_STATIC.empty_table(), schemas.REJECTS.empty_table()
    decoded = Decoded.from_tables({}, rows, static, rejects)
    empty = db.stat().st_size
    with decoded, transaction(con), capped_threads(con, 1):  # as a load copies
        delete_raw(con, DAY, ["a.nmea"])
        assert copy_staged(con, DAY, decoded.stage.files, untimed_rejects=True)["positions"] == 400_000
        written = db.stat().st_size - empty  # before the COMMIT, which writes the last part only
        assert con.execute(settings).fetchone() == before
    assert written > 0.6 * (db.stat().st_size - empty)
    assert con.execute("SELECT count(*) FROM positions").fetchone() == (400_000,)


def test_the_positions_copy_skips_fsst_while_the_rejects_raw_lines_keep_it(tmp_path: Path):
    con = connect(tmp_path / "s.duckdb")
    migrate(con)
    n = 150_000  # more than one row group of each table
    # text FSST would take in positions without the setting: a distinct station per row
    one = positions([fix(412000000, m / 10, 120.0, 24.0) for m in range(4)])
    rows = one.take(pa.array(np.arange(n) % 4))
    stations = pa.array([f"station-{k:07d}-of-a-receiving-network" for k in range(n)])
    rows = rows.set_column(rows.schema.get_field_index("station"), "station", stations)
    raw = [f"!AIVDM,1,1,,A,{k:09d}13u?etPv2;0n:dDFnFVw4P00Rp,0*{k % 256:02X}" for k in range(n)]
    rejects = pa.Table.from_pylist(
        [
            {
                "ts": None,
                "source": "a.nmea",
                "line_no": k,
                "reason": "bad_checksum",
                "detail": "",
                "raw": line,
            }
            for k, line in enumerate(raw)
        ],
        schema=schemas.REJECTS,
    )
    before = con.execute("SELECT current_setting('disabled_compression_methods')").fetchone()
    decoded = Decoded.from_tables({}, rows, schemas.VESSEL_STATIC.empty_table(), rejects)
    with decoded, transaction(con):  # one copy of both, in the order a load copies them
        copied = copy_staged(con, DAY, decoded.stage.files, ("positions", "rejects"), untimed_rejects=True)
    assert copied == {"positions": n, "rejects": n}
    con.execute("CHECKPOINT")
    methods = "SELECT DISTINCT compression FROM pragma_storage_info(?) WHERE column_name = ?"
    assert "FSST" not in {m for (m,) in con.execute(methods, ["positions", "station"]).fetchall()}
    assert "FSST" in {m for (m,) in con.execute(methods, ["rejects", "raw"]).fetchall()}
    assert con.execute("SELECT current_setting('disabled_compression_methods')").fetchone() == before
    assert con.execute("SELECT count(DISTINCT station) FROM positions").fetchone() == (n,)


def test_missing_database_is_a_one_line_error(tmp_path: Path):
    with pytest.raises(StoreError, match="database not found"):
        connect(tmp_path / "absent.duckdb", read_only=True)


def test_file_that_is_not_a_database_is_a_one_line_error(tmp_path: Path):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database\n")
    with pytest.raises(StoreError, match="cannot open database") as err:
        connect(bad, read_only=True)
    assert "\n" not in str(err.value)
