"""Write the published site from a store view: daily reports, maps, tables, charts, index.

Layout of ``out_dir`` (every file written atomically)::

    index.html                 reports across days: daily totals, signal, weekly/monthly tables
    transits_map.html          map of the whole published interval
    transit_stats.csv          transits per day and direction over the published interval
    stats/                     tables (CSV + Parquet) and SVG charts over all stored days
    <YYYY-MM-DD>/index.html    daily report; map.html, tables, charts and event exports beside it

Rebuilding from the same store gives the same files (the maps up to the random ids folium gives
their elements): nothing depends on the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from mda.events.detect import EVENT_TABLES
from mda.interval import Interval
from mda.publish import charts, report
from mda.publish.assets import check_assets, inline_assets
from mda.publish.charts_png import check_fonts, png
from mda.publish.maps import build_map, render_map
from mda.publish.stats import (
    CATEGORY_ORDER,
    HEADER,
    StatTable,
    crossing_counts,
    daily_transit_counts,
    disruption,
    port_arrivals,
    summary_by,
    transit_counts,
    zone_presence,
)
from mda.publish.view import StoreView
from mda.publish.write import (
    day_folders,
    write_bytes_atomic,
    write_csv_atomic,
    write_parquet_atomic,
    write_text_atomic,
)

#: Times in the published event CSVs: UTC, whole seconds.
CSV_TIME = "%Y-%m-%dT%H:%M:%SZ"


def _title(interval: Interval) -> str:
    days = interval.days()
    return f"mda transits {days[0].isoformat()}" + (f" to {days[-1].isoformat()}" if len(days) > 1 else "")


def _map_page(view: StoreView, interval: Interval, cdn: bool, assets_dir: Path | None) -> str:
    fmap = build_map(view, interval, _title(interval), tiles="OpenStreetMap" if cdn else None)
    return inline_assets(render_map(fmap), assets_dir, cdn=cdn)


def _write_table(folder: Path, table: StatTable) -> None:
    write_csv_atomic(folder / f"{table.name}.csv", table.header, table.rows)
    write_parquet_atomic(folder / f"{table.name}.parquet", table.header, table.rows)


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime(CSV_TIME)
    if isinstance(value, float):
        return round(value, 6)
    return value


def _cells(column: pa.ChunkedArray[Any]) -> list[object]:
    """The CSV cells of one column, as :func:`_cell` gives them, formatted column-wise."""
    if pa.types.is_timestamp(column.type):
        seconds = pc.floor_temporal(column, unit="second")
        stamps: Any = seconds.cast(pa.timestamp("s", column.type.tz))  # stubs: naive timestamps only
        text = pc.strftime(stamps, format=CSV_TIME)
        return ["" if v is None else v for v in text.to_pylist()]
    kind = column.type
    if pa.types.is_floating(kind):
        return ["" if v is None else round(v, 6) for v in column.to_pylist()]
    if pa.types.is_integer(kind) or pa.types.is_string(kind) or pa.types.is_boolean(kind):
        return ["" if v is None else v for v in column.to_pylist()]
    return [_cell(v) for v in column.to_pylist()]


def _export(folder: Path, name: str, events: pa.Table) -> str:
    rows = zip(*(_cells(events[c]) for c in events.column_names), strict=True)
    write_csv_atomic(folder / f"{name}.csv", events.column_names, rows)
    return f"{name}.csv"


def _vessel_label(view: StoreView, mmsi: int) -> str:
    vessel = view.vessels.get(mmsi)
    name = vessel.name if vessel and vessel.name else "(no name)"
    return f"{report.esc(name)} (MMSI {mmsi})"


def _notable(view: StoreView, day: Interval) -> list[str]:
    lines = []
    for r in view.in_interval("encounters", day).to_pylist():
        lines.append(
            f"encounter: {_vessel_label(view, int(r['mmsi']))} and "
            f"{_vessel_label(view, int(r['other_mmsi']))}, {r['duration_s'] / 3600:.1f} h"
        )
    for r in view.in_interval("loitering_events", day).to_pylist():
        lines.append(f"loitering: {_vessel_label(view, int(r['mmsi']))}, {r['duration_s'] / 3600:.1f} h")
    for r in view.in_interval("gap_events", day).to_pylist():
        lines.append(f"AIS gap: {_vessel_label(view, int(r['mmsi']))}, {r['duration_s'] / 3600:.1f} h")
    exercise = Counter(
        str(r["zone_name"])
        for r in view.in_interval("zone_events", day).to_pylist()
        if r["zone_kind"] == "exercise_area"
    )
    lines.extend(f"{n} visits to {report.esc(zone)}" for zone, n in sorted(exercise.items()))
    for r in view.in_interval("identity_anomalies", day).to_pylist():
        lines.append(f"identity: {report.esc(r['anomaly'])} {_vessel_label(view, int(r['mmsi']))}")
    return lines


def _write_day(
    view: StoreView, day: dt.date, out_dir: Path, signals: dict[str, str], map_page: Callable[[Interval], str]
) -> Path:
    interval = Interval.for_day(day)
    folder = out_dir / day.isoformat()
    transits = view.in_interval("transits", interval)
    write_text_atomic(folder / "map.html", map_page(interval))
    tables = [
        transit_counts(transits, view.lanes, view.vessels, "day"),
        crossing_counts(view.in_interval("median_line_crossings", interval)),
        zone_presence(
            view.in_interval("loitering_events", interval), view.in_interval("zone_events", interval)
        ),
        port_arrivals(view.in_interval("port_calls", interval), view.vessels),
    ]
    for table in tables:
        _write_table(folder, table)
    summary = summary_by(transits, view.vessels, view.lanes)
    categories = [c for c in CATEGORY_ORDER if summary["category"].get(c)]
    bars = (
        f"Transits on {day.isoformat()} by category and direction",
        categories,
        {
            d: [
                float(
                    sum(
                        1
                        for r in transits.select(["mmsi", "direction"]).to_pylist()
                        if r["direction"] == d and _category(view, int(r["mmsi"])) == c
                    )
                )
                for c in categories
            ]
            for d in ("northbound", "southbound")
        },
    )
    chart = charts.stacked_bars(*bars)
    write_text_atomic(folder / "transits_by_category.svg", chart)
    write_bytes_atomic(folder / "transits_by_category.png", png(chart))
    exports = [_export(folder, name, view.in_interval(name, interval)) for name in EVENT_TABLES]
    page = report.day_page(
        day.isoformat(),
        summary,
        _notable(view, interval),
        signals.get(day.isoformat(), "no data"),
        [("transits_by_category.svg", "Transits by category and direction")],
        tables,
        exports,
    )
    return write_text_atomic(folder / "index.html", page)


def _category(view: StoreView, mmsi: int) -> str:
    vessel = view.vessels.get(mmsi)
    return (vessel.category if vessel else None) or "unknown"


def write_site(
    view: StoreView, out_dir: Path, *, cdn: bool = False, assets_dir: Path | None = None
) -> dict[str, Path]:
    """Write every published file for ``view.interval`` and refresh the index across days.

    Parameters
    ----------
    view : StoreView
        Tables read from the store.
    out_dir : Path
        Output folder (created if missing).
    cdn : bool, default False
        Link Leaflet from its CDN and show online tiles (lighter pages that need a network).
    assets_dir : Path, optional
        npm ``node_modules`` with the inlined libraries; default ``assets/node_modules``.

    Returns
    -------
    dict of str to Path
        ``map``, ``stats``, ``index`` and ``report:<YYYY-MM-DD>`` for each published day.

    Raises
    ------
    AssetsMissingError
        When pages are to be inlined and ``npm ci`` has not been run, or when the charts'
        fonts are missing (both checked before writing).
    """
    if not cdn:
        check_assets(assets_dir)
    check_fonts()
    all_transits = view.events["transits"]
    history_daily = daily_transit_counts(all_transits, view.history)
    signal_table = disruption(history_daily)
    signals = {str(r[0]): str(r[5]) for r in signal_table.rows}
    outputs: dict[str, Path] = {}
    whole: list[str] = []  # the map of the whole interval, when it is one of the days

    def map_page(interval: Interval) -> str:
        if whole and interval == view.interval:
            return whole[0]
        html = _map_page(view, interval, cdn, assets_dir)
        if interval == view.interval:
            whole.append(html)
        return html

    for day in view.interval.days():
        outputs[f"report:{day.isoformat()}"] = _write_day(view, day, out_dir, signals, map_page)
    outputs["map"] = write_text_atomic(out_dir / "transits_map.html", map_page(view.interval))
    outputs["stats"] = write_csv_atomic(
        out_dir / "transit_stats.csv",
        HEADER,
        daily_transit_counts(view.in_interval("transits"), view.interval),
    )
    stats_dir = out_dir / "stats"
    tables = [
        signal_table,
        transit_counts(all_transits, view.lanes, view.vessels, "week"),
        transit_counts(all_transits, view.lanes, view.vessels, "month"),
        zone_presence(view.events["loitering_events"], view.events["zone_events"]),
        port_arrivals(view.events["port_calls"], view.vessels),
    ]
    for table in tables:
        _write_table(stats_dir, table)
    labels = [r[0] for r in history_daily]
    daily = (
        "Transits per day (UTC)",
        labels,
        {
            "northbound": [float(r[1]) for r in history_daily],
            "southbound": [float(r[2]) for r in history_daily],
        },
    )
    chart = charts.stacked_bars(*daily)
    write_text_atomic(stats_dir / "transits_daily.svg", chart)
    write_bytes_atomic(stats_dir / "transits_daily.png", png(chart))
    title = "Transits per day and the 28-day baseline band"
    values: list[float] = [float(r[1]) for r in signal_table.rows]  # type: ignore[arg-type]
    low: list[float | None] = [r[3] if r[3] != "" else None for r in signal_table.rows]  # type: ignore[misc]
    high: list[float | None] = [r[4] if r[4] != "" else None for r in signal_table.rows]  # type: ignore[misc]
    flagged = [r[5] in ("low", "high") for r in signal_table.rows]
    chart = charts.line_with_band(title, labels, values, low, high, flagged)
    write_text_atomic(stats_dir / "disruption.svg", chart)
    write_bytes_atomic(stats_dir / "disruption.png", png(chart))
    linked = set(day_folders(out_dir))
    days = [(str(r[0]), int(r[1]), int(r[2]), signals[str(r[0])], str(r[0]) in linked) for r in history_daily]
    page = report.index_page(
        days,
        "transits_map.html",
        [("stats/transits_daily.svg", "Transits per day"), ("stats/disruption.svg", "Disruption signal")],
        tables,
    )
    outputs["index"] = write_text_atomic(out_dir / "index.html", page)
    return outputs
