"""Hostile AIS text stays text in every published file (hand-built store, real pipeline)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from mda import schemas
from mda.interval import Interval
from mda.pipeline import Decoded, load_interval, publish

from builders import T0, positions, track_line

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    fixes = track_line(412000001, (119.5, 22.2), (120.4, 26.0), 30, 30 + 16 * 60, 400)
    static = pa.Table.from_pylist(
        [
            {
                "ts": T0 + dt.timedelta(minutes=31),
                "mmsi": 412000001,
                "msg_type": 5,
                "shipname": HOSTILE,
                "ship_type": 80,
                "destination": HOSTILE,
                "source": "hand-built",
                "line_no": 2,
            }
        ],
        schema=schemas.VESSEL_STATIC,
    )
    db = root / "store.duckdb"
    with Decoded.from_tables({}, positions(fixes), static, schemas.REJECTS.empty_table()) as decoded:
        load_interval(decoded, db, Interval.for_day(T0.date()))
    out = root / "site"
    publish(db, out)
    return db, out


def test_the_hand_built_transit_is_published(published):
    _db, out = published
    rows = (out / "transit_stats.csv").read_text().splitlines()
    assert rows[1].split(",")[-1] == "1"


def test_no_published_file_carries_the_raw_hostile_name(published):
    _db, out = published
    texts = [p for p in out.rglob("*") if p.suffix in {".html", ".svg"}]
    assert any(p.name == "map.html" for p in texts)
    for path in texts:
        assert HOSTILE not in path.read_text(encoding="utf-8"), path
    map_html = (out / T0.date().isoformat() / "map.html").read_text(encoding="utf-8")
    assert "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;" in map_html
