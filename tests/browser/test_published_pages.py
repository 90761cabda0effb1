"""The published map and reports, loaded from disk in a real Chromium with no network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from mda.pipeline import run_files
from mda.simulate import simulate_day

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("site")
    sim = simulate_day(DAY, 7, root / "raw")
    db = root / "mda.duckdb"
    run_files([sim.nmea_path], db, root / "out")
    con = duckdb.connect(str(db), read_only=True)
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 - fixed table names
        for t in ("transits", "loitering_events", "encounters", "gap_events")
    }
    con.close()
    return db, root / "out", counts


def test_map_draws_every_layer_offline_without_errors(site, open_offline, tmp_path):
    _db, out, counts = site
    loaded = open_offline(out / DAY.isoformat() / "map.html")
    page = loaded.page
    page.wait_for_function("window.mdaMapReady !== undefined")
    page.screenshot(path=str(tmp_path / "map.png"))
    assert loaded.blocked == []
    assert loaded.failed == []
    assert loaded.console_errors == []
    assert loaded.dialogs == []
    assert page.locator("path.mda-track").count() == counts["transits"]
    assert page.locator("path.mda-loitering").count() == counts["loitering_events"]
    assert page.locator("path.mda-encounter").count() == counts["encounters"]
    assert page.locator("path.mda-gap").count() == counts["gap_events"]
    assert page.locator("path.mda-zone").count() >= 4
    assert page.locator("path.mda-land").count() >= 1
    assert page.locator(".leaflet-control-layers-overlays label").count() >= 8
    assert page.locator(".mda-legend").is_visible()


def test_time_slider_replays_the_day(site, open_offline):
    _db, out, counts = site
    page = open_offline(out / DAY.isoformat() / "map.html").page
    page.wait_for_function("window.mdaMapReady !== undefined")
    slider = page.locator("input.mda-time-input")
    assert slider.is_visible()
    slider.evaluate("(s) => { s.value = s.min; s.dispatchEvent(new Event('input')); }")
    assert page.locator("path.mda-track").count() == 0
    slider.evaluate("(s) => { s.value = s.max; s.dispatchEvent(new Event('input')); }")
    assert page.locator("path.mda-track").count() == counts["transits"]


def test_density_layer_draws_a_heat_canvas_when_switched_on(site, open_offline):
    _db, out, _counts = site
    loaded = open_offline(out / DAY.isoformat() / "map.html")
    page = loaded.page
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 0
    page.get_by_text("Traffic density").click()
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    assert loaded.console_errors == []


def test_hostile_name_is_shown_as_text_in_popups(site, open_offline):
    _db, out, _counts = site
    loaded = open_offline(out / DAY.isoformat() / "map.html")
    page = loaded.page
    page.wait_for_function("window.mdaMapReady !== undefined")
    found = page.evaluate(
        """() => {
          let text = null;
          window.mdaMapReady.layers.forEach((layer) => {
            layer.openPopup();
            document.querySelectorAll(".leaflet-popup-content").forEach((popup) => {
              if (popup.textContent.includes("<SVG")) { text = popup.textContent; }
            });
          });
          return text;
        }"""
    )
    assert found is not None
    assert "<SVG ONLOAD=ALERT(1)" in found
    assert page.locator("svg[onload]").count() == 0
    assert loaded.dialogs == []


def test_daily_report_and_index_load_offline(site, open_offline, tmp_path):
    _db, out, counts = site
    loaded = open_offline(out / DAY.isoformat() / "index.html")
    page = loaded.page
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert f"{counts['transits']} transits" in page.locator("#transit-total").inner_text()
    assert page.locator("img").count() >= 1
    assert page.evaluate("Array.from(document.images).every((i) => i.naturalWidth > 0)")
    box = page.locator("input.filter").first
    box.fill("zzzz-no-such-row")
    assert page.locator("table tbody tr:visible").count() < page.locator("table tbody tr").count()
    index = open_offline(out / "index.html")
    assert index.page.locator("#days tbody tr").count() == 1
    for visit in (loaded, index):
        assert visit.blocked == []
        assert visit.failed == []
        assert visit.console_errors == []
        assert visit.dialogs == []
