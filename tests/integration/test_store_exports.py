import csv
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import shapely
from shapely.geometry import shape

from mda.pipeline import export_events
from mda.store.db import connect
from mda.store.export import EXPORT_TABLES, ExportFilters
from mda.store.session import analyst_connection

SQL = sorted((Path(__file__).resolve().parents[2] / "sql").glob("*.sql"))
#: example queries whose subject does not occur on the simulated day (they must still run)
MAY_BE_EMPTY = {"gaps_in_exercise_areas.sql", "encounters_law_enforcement_military.sql"}


@pytest.mark.parametrize("query", SQL, ids=[p.name for p in SQL])
def test_analyst_example_runs_in_an_analyst_session(simulated_run, query):
    header = query.read_text().splitlines()[:3]
    assert header[0].startswith("-- purpose:")
    con, warning = analyst_connection(simulated_run.db)
    assert warning is None
    rows = con.execute(query.read_text()).fetchall()
    assert rows or query.name in MAY_BE_EMPTY


def test_csv_transit_log_keeps_its_columns_and_iso_times(simulated_run, tmp_path):
    out = tmp_path / "t.csv"
    count = export_events(simulated_run.db, "transits", out)
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert count == len(rows) == len(simulated_run.truth["transits"])
    assert list(rows[0])[:10] == [
        "event_id", "mmsi", "shipname", "ship_type", "direction", "entry_gate", "exit_gate",
        "start_ts", "end_ts", "duration_s",
    ]  # fmt: skip
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    assert all(iso.match(r["start_ts"]) and iso.match(r["end_ts"]) for r in rows)


def test_filters_select_the_same_rows_as_sql(simulated_run, tmp_path):
    con = connect(simulated_run.db, read_only=True)
    (north,) = con.execute("SELECT count(*) FROM transits WHERE direction = 'northbound'").fetchone()
    (cn,) = con.execute("SELECT count(*) FROM transits WHERE flag_of(mmsi) = 'CN'").fetchone()
    (tankers,) = con.execute(
        "SELECT count(*) FROM transits WHERE mmsi IN (SELECT mmsi FROM vessels WHERE category = 'tanker')"
    ).fetchone()
    (mmsi,) = con.execute("SELECT min(mmsi) FROM transits").fetchone()
    con.close()
    out = tmp_path / "t.csv"
    assert export_events(simulated_run.db, "transits", out, ExportFilters(direction="northbound")) == north
    assert export_events(simulated_run.db, "transits", out, ExportFilters(flag="CN")) == cn
    assert export_events(simulated_run.db, "transits", out, ExportFilters(category="tanker")) == tankers
    assert export_events(simulated_run.db, "transits", out, ExportFilters(mmsi=mmsi)) >= 1
    assert 0 < north < len(simulated_run.truth["transits"])


# positions are covered by the Parquet test (GeoJSON of 400 k points only adds time)
@pytest.mark.parametrize("table", [t for t in EXPORT_TABLES if t != "positions"])
def test_geojson_export_is_valid_rfc7946(simulated_run, tmp_path, table):
    out = tmp_path / f"{table}.geojson"
    count = export_events(simulated_run.db, table, out)
    doc = json.loads(out.read_text())
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert len(doc["features"]) == count
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        geom = feature["geometry"]
        if geom is None:
            continue
        g = shape(geom)
        assert g.is_valid
        lon, lat = geom["coordinates"] if geom["type"] == "Point" else geom["coordinates"][0]
        assert 115 < lon < 125
        assert 20 < lat < 28
    if table == "transits" and count:
        assert doc["features"][0]["geometry"]["type"] == "LineString"


def test_geoparquet_positions_carry_wkb_points_and_geo_metadata(simulated_run, tmp_path):
    out = tmp_path / "positions.parquet"
    count = export_events(simulated_run.db, "positions", out)
    pf = pq.ParquetFile(out)
    geo = json.loads(pf.schema_arrow.metadata[b"geo"])
    assert geo["primary_column"] == "geometry"
    assert geo["columns"]["geometry"]["encoding"] == "WKB"
    assert geo["columns"]["geometry"]["geometry_types"] == ["Point"]
    assert pf.metadata.num_rows == count > 100_000
    first = pf.read_row_group(0, columns=["lon", "lat", "geometry"]).slice(0, 100)
    points = shapely.from_wkb(first["geometry"].to_pylist())
    assert shapely.get_x(points).tolist() == first["lon"].to_pylist()
    assert shapely.get_y(points).tolist() == first["lat"].to_pylist()


@pytest.mark.parametrize("log", ["transits", "gap_events", "loitering_events", "median_line_crossings"])
def test_exports_open_in_the_reference_readers(simulated_run, tmp_path, log):
    import geopandas
    import pandas

    count = export_events(simulated_run.db, log, tmp_path / "x.csv")
    assert len(pandas.read_csv(tmp_path / "x.csv")) == count
    assert export_events(simulated_run.db, log, tmp_path / "x.geojson") == count
    frame = geopandas.read_file(tmp_path / "x.geojson")
    assert len(frame) == count
    assert frame.crs is None or frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()
    assert frame.total_bounds[0] > 115  # lon first: the strait lies east of 115E
    assert export_events(simulated_run.db, log, tmp_path / "x.parquet") == count
    parquet = geopandas.read_parquet(tmp_path / "x.parquet")
    assert len(parquet) == count
    assert parquet.geometry.is_valid.all()
