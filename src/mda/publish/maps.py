"""Folium map of a period's transits over the strait fences.

Every AIS-borne string (vessel names) is HTML-escaped before it reaches a popup or tooltip:
names are typed by whoever configured the transponder and must be treated as hostile.
"""

from __future__ import annotations

import html
from collections import defaultdict
from typing import Any, cast

import folium
import pyarrow as pa
import shapely
from shapely.geometry import LineString, mapping

from mda.geo.fences import load_gates, load_median_line

DIRECTION_COLOURS = {"northbound": "#d7301f", "southbound": "#2b8cbe"}
#: Simplification tolerance for drawn tracks, degrees (~200 m): keeps busy days light.
SIMPLIFY_DEG = 0.002


def _popup(row: dict[str, object]) -> str:
    name = html.escape(str(row["shipname"] or "(no name)"))
    return (
        f"<b>{name}</b><br>MMSI {int(row['mmsi'])}<br>{html.escape(str(row['direction']))}"  # type: ignore[call-overload]
        f"<br>entry {row['start_ts']:%Y-%m-%d %H:%M}Z<br>exit {row['end_ts']:%Y-%m-%d %H:%M}Z"
    )


def build_transit_map(transits: pa.Table, fixes: pa.Table, title: str) -> folium.Map:
    """Build the map: gates, median line and one simplified line per transit.

    Parameters
    ----------
    transits : pyarrow.Table
        Rows of the ``transits`` table.
    fixes : pyarrow.Table
        ``event_id, ts, lon, lat`` of each transit's fixes, time-ordered per event.
    title : str
        Shown in the page title.
    """
    fmap = folium.Map(location=[24.0, 119.8], zoom_start=7, control_scale=True, tiles="OpenStreetMap")
    root: Any = fmap.get_root()
    root.header.add_child(folium.Element(f"<title>{html.escape(title)}</title>"))
    fences = folium.FeatureGroup(name="Gates and median line")
    for gate in load_gates():
        folium.PolyLine(
            [(lat, lon) for lon, lat in gate.coords], color="black", weight=3, tooltip=f"{gate.name} gate"
        ).add_to(fences)
    median = load_median_line()
    folium.PolyLine(
        [(lat, lon) for lon, lat in median.coords],
        color="#555",
        weight=2,
        dash_array="6 6",
        tooltip="median line (ROC MND 2019)",
    ).add_to(fences)
    fences.add_to(fmap)

    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    events = cast(list[str], fixes["event_id"].to_pylist())
    lons = cast(list[float], fixes["lon"].to_pylist())
    lats = cast(list[float], fixes["lat"].to_pylist())
    for event, lon, lat in zip(events, lons, lats, strict=True):
        points[event].append((lon, lat))
    layers = {d: folium.FeatureGroup(name=f"Transits {d}") for d in DIRECTION_COLOURS}
    for row in transits.to_pylist():
        coords = points.get(str(row["event_id"]), [])
        if len(coords) < 2:
            coords = [(row["entry_lon"], row["entry_lat"]), (row["exit_lon"], row["exit_lat"])]
        line = shapely.simplify(LineString(coords), SIMPLIFY_DEG)
        latlon = [(lat, lon) for lon, lat in mapping(line)["coordinates"]]
        direction = str(row["direction"])
        folium.PolyLine(
            latlon,
            color=DIRECTION_COLOURS[direction],
            weight=2,
            opacity=0.8,
            popup=folium.Popup(_popup(row), max_width=300),
            tooltip=html.escape(str(row["shipname"] or row["mmsi"])),
        ).add_to(layers[direction])
    for layer in layers.values():
        layer.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap


def render_map(fmap: folium.Map) -> str:
    """The map as a standalone HTML document."""
    return str(fmap.get_root().render())
