"""Map weight and time to interactive for a busy simulated day (prints figures; not a test).

Usage: .venv/bin/python benchmarks/bench_map.py [--scale K] [--dir DIR]

Simulates a day at ``scale`` K, runs the pipeline, publishes the site, then loads the day's map
from disk in headless Debian Chromium with the network blocked and reports the page size and
the time from navigation to the map's features being drawn (``window.mdaMapReady``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb

from mda.pipeline import publish, run_files
from mda.simulate import simulate_day

DAY = dt.date(2026, 11, 24)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=40.0, help="background traffic multiplier")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    args = parser.parse_args()
    root = args.dir or Path(tempfile.mkdtemp(prefix="bench-map-"))
    t = time.perf_counter()
    sim = simulate_day(DAY, 7, root / "raw", scale=args.scale)
    db = root / "mda.duckdb"
    run_files([sim.nmea_path], db, root / "run")
    prep = time.perf_counter() - t
    con = duckdb.connect(str(db), read_only=True)
    row = con.execute("SELECT count(*) FROM transits").fetchone()
    con.close()
    transits = row[0] if row else 0
    t = time.perf_counter()
    publish(db, root / "site")
    publish_s = time.perf_counter() - t
    page = root / "site" / DAY.isoformat() / "map.html"
    size_mb = page.stat().st_size / 1e6

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        blocked: list[str] = []
        tab.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith(("file://", "data:"))
                else (blocked.append(r.request.url), r.abort())
            ),
        )
        t = time.perf_counter()
        tab.goto(page.as_uri(), wait_until="load")
        tab.wait_for_function("window.mdaMapReady !== undefined", timeout=120_000)
        interactive_s = time.perf_counter() - t
        drawn = tab.locator("path.mda-track").count()
        browser.close()
    print(f"scale                 {args.scale:g}")
    print(f"transits              {transits:,} (drawn {drawn:,})")
    print(f"simulate + run        {prep:.1f} s")
    print(f"publish (site)        {publish_s:.1f} s")
    print(f"map size              {size_mb:.2f} MB  ({page})")
    print(f"time to interactive   {interactive_s:.2f} s  (headless Chromium, file://)")
    print(f"blocked requests      {len(blocked)}")


if __name__ == "__main__":
    main()
