r"""Folium map of a period: transits, fences, events, traffic density, time slider, legend.

Folium supplies the page, the layer groups, the layer control and the heat layer.  The many
small features (tracks, zones, markers) are written as one JSON document that a short script
turns into Leaflet layers: a busy day stays a few MB instead of one JavaScript variable, popup
and tooltip per feature, and hostile text is handled in one place.  Every string shown (vessel
names above all: anyone can type one into a transponder) is HTML-escaped in Python and then
JSON-encoded with ``<``, ``>`` and ``&`` as ``\\u`` escapes, so it can neither close the script
nor become markup when Leaflet sets it as popup content.

The time slider shows the features that began before the chosen instant (UTC), so scrubbing
replays the period.  Land comes from ``geodata/land`` as its own layer over a sea-coloured
background: the map reads without tiles, and online tiles are only an option.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections import defaultdict
from typing import Any, cast

import folium
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from folium.plugins import HeatMap
from jinja2 import Template
from shapely.geometry import LineString, mapping

from mda.geo.fences import load_gates, load_land, load_median_line, load_port_points, load_zones
from mda.interval import Interval
from mda.publish.view import StoreView, Vessel

DIRECTION_COLOURS = {"northbound": "#d7301f", "southbound": "#2b8cbe"}
#: Simplification tolerance for drawn tracks, degrees (~200 m): keeps busy days light.
SIMPLIFY_DEG = 0.002
#: Simplification tolerance for the land layer, degrees (~500 m).
LAND_SIMPLIFY_DEG = 0.005
#: Decimal places kept in drawn coordinates (1e-4 degree is ~11 m).
COORD_DECIMALS = 4
#: Fixes implying a faster jump from the previous drawn fix are left out of a drawn track, knots.
MAX_DRAWN_KNOTS = 40.0
#: Most recent zoom level the map allows (no tiles: Leaflet needs a bound for clustering and heat).
MAX_ZOOM = 13
SEA_COLOUR = "#dbe9f4"
LAND_COLOUR = "#e8e4d8"

_LAYERS = {
    "land": "Land",
    "fences": "Gates and median line",
    "restricted": "Restricted waters (APPROXIMATE limits)",
    "exercise": "Active exercise areas",
    "density": "Traffic density",
    "northbound": "Transits northbound",
    "southbound": "Transits southbound",
    "gaps": "AIS gaps (dashed: last to next fix)",
    "ports": "Port calls",
    "loitering": "Loitering",
    "encounters": "Encounters",
}

_SCRIPT = Template(
    """{% macro script(this, kwargs) %}
(function () {
  var data = {{ this.payload }};
  var map = {{ this.map_name }};
  var groups = { {% for key, name in this.groups.items() %}"{{ key }}": {{ name }},{% endfor %} };
  var timed = [];
  function finish(layer, f) {
    if (f.p) { layer.bindPopup(f.p, {maxWidth: 320}); }
    if (f.t) { layer.bindTooltip(f.t, {sticky: true}); }
    layer.addTo(groups[f.g]);
    if (f.s !== undefined && f.s !== null) { timed.push([layer, groups[f.g], f.s]); }
  }
  data.areas.forEach(function (f) {
    finish(L.geoJSON(f.geo, {style: {color: f.c, weight: 1, fillColor: f.fc, fillOpacity: f.o,
      dashArray: f.d || null, className: f.k}, interactive: !!(f.p || f.t)}), f);
  });
  data.lines.forEach(function (f) {
    finish(L.polyline(f.xy, {color: f.c, weight: f.w || 2, opacity: 0.85, dashArray: f.d || null,
      className: f.k}), f);
  });
  data.points.forEach(function (f) {
    finish(L.circleMarker(f.xy, {radius: f.r || 6, color: "#222", weight: 1, fillColor: f.c,
      fillOpacity: 0.9, className: f.k}), f);
  });
  var Slider = L.Control.extend({
    options: {position: "bottomleft"},
    onAdd: function () {
      var box = L.DomUtil.create("div", "mda-time-slider leaflet-bar");
      box.style.background = "white"; box.style.padding = "4px 8px"; box.style.font = "12px sans-serif";
      var label = L.DomUtil.create("div", "mda-time-label", box);
      var input = L.DomUtil.create("input", "mda-time-input", box);
      input.type = "range"; input.min = data.t0; input.max = data.t1; input.step = 600000;
      input.value = data.t1; input.style.width = "320px";
      input.setAttribute("aria-label", "show what began before this time (UTC)");
      function show() {
        var t = Number(input.value);
        label.textContent = "began before " + new Date(t).toISOString().slice(0, 16).replace("T", " ") + "Z";
        timed.forEach(function (item) {
          if (item[2] < t) { if (!item[1].hasLayer(item[0])) { item[1].addLayer(item[0]); } }
          else if (item[1].hasLayer(item[0])) { item[1].removeLayer(item[0]); }
        });
      }
      input.addEventListener("input", show);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      show();
      return box;
    }
  });
  new Slider().addTo(map);
  // for inspection (tests, the console): the drawn layers that carry popups
  window.mdaMapReady = {features: data.lines.length + data.points.length + data.areas.length,
    layers: timed.map(function (item) { return item[0]; })};
})();
{% endmacro %}"""
)


class _DataScript(folium.MacroElement):
    """The JSON features and the script that draws them into the named feature groups."""

    _template = _SCRIPT

    def __init__(self, payload: str, map_name: str, groups: dict[str, str]) -> None:
        super().__init__()
        self._name = "MdaFeatures"
        self.payload = payload
        self.map_name = map_name
        self.groups = groups


def _knots(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """Speed (knots) implied between two ``(epoch s, lon, lat)`` fixes (equirectangular)."""
    dx = (b[1] - a[1]) * math.cos(math.radians((a[2] + b[2]) / 2)) * 60.0
    dy = (b[2] - a[2]) * 60.0
    hours = max(b[0] - a[0], 1.0) / 3600
    return math.hypot(dx, dy) / hours


def _drawn_fixes(fixes: pa.Table) -> dict[str, npt.NDArray[np.float64]]:
    """Per transit ``event_id``, the ``(lon, lat)`` fixes drawn (degrees), in time order.

    A fix the vessel could not have reached from the last drawn fix (implied speed above
    :data:`MAX_DRAWN_KNOTS`: a shared MMSI, a bad position) is not drawn.  The implied speeds
    between consecutive fixes are computed for all transits at once; only a transit with a
    too-fast step is walked fix by fix, since a skipped fix changes what the next one is
    compared with.

    Parameters
    ----------
    fixes : pyarrow.Table
        ``event_id, ts, lon, lat`` ordered by time within each transit (UTC ``ts``);
        ``event_id`` plain or dictionary-encoded strings.
    """
    if fixes.num_rows == 0:
        return {}
    ids = fixes["event_id"]
    encoded: Any
    if pa.types.is_dictionary(ids.type):  # as the store gives them: codes into a few ids
        encoded = ids.unify_dictionaries().combine_chunks()
    else:
        encoded = ids.combine_chunks().cast(pa.string()).dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    # grouped by transit, in time order within each (a stable sort; radix on 16-bit codes)
    narrow = codes.astype(np.uint16) if len(encoded.dictionary) <= 1 << 16 else codes
    order = np.argsort(narrow, kind="stable")
    codes = codes[order]
    t = pc.cast(fixes["ts"], pa.int64()).to_numpy(zero_copy_only=False)[order] / 1e6
    lon = fixes["lon"].to_numpy(zero_copy_only=False).astype(np.float64)[order]
    lat = fixes["lat"].to_numpy(zero_copy_only=False).astype(np.float64)[order]
    dx = (lon[1:] - lon[:-1]) * np.cos(np.radians((lat[:-1] + lat[1:]) / 2)) * 60.0
    dy = (lat[1:] - lat[:-1]) * 60.0
    knots = np.hypot(dx, dy) / (np.maximum(t[1:] - t[:-1], 1.0) / 3600)
    too_fast = (codes[1:] == codes[:-1]) & (knots > MAX_DRAWN_KNOTS)
    starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1], [True])))
    rough = set(codes[1:][too_fast].tolist())
    names = encoded.dictionary.to_pylist()
    out: dict[str, npt.NDArray[np.float64]] = {}
    for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True):
        code = int(codes[lo])
        keep = np.ones(hi - lo, dtype=bool)
        if code in rough:
            walk = zip(t[lo:hi].tolist(), lon[lo:hi].tolist(), lat[lo:hi].tolist(), strict=True)
            last = next(walk)
            for k, here in enumerate(walk, start=1):
                if _knots(last, here) > MAX_DRAWN_KNOTS:
                    keep[k] = False
                else:
                    last = here
        out[str(names[code])] = np.column_stack((lon[lo:hi][keep], lat[lo:hi][keep]))
    return out


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _time(value: dt.datetime | None) -> str:
    return "—" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M") + "Z"


def _ms(value: dt.datetime) -> int:
    return int(value.timestamp() * 1000)


def _vessel_html(vessel: Vessel | None, mmsi: int) -> str:
    name = vessel.name if vessel and vessel.name else "(no name)"
    flag = vessel.flag if vessel and vessel.flag else "unknown"
    category = vessel.category if vessel and vessel.category else "unknown"
    return (
        f"<b>{_esc(name)}</b><br>MMSI {int(mmsi)} · flag {_esc(flag)} · {_esc(category)}"
        if vessel is not None
        else f"<b>(no name)</b><br>MMSI {int(mmsi)}"
    )


def _vessel_line(vessel: Vessel | None, mmsi: int) -> str:
    name = vessel.name if vessel and vessel.name else "(no name)"
    category = vessel.category if vessel and vessel.category else "unknown"
    return f"{_esc(name)} ({mmsi}, {_esc(category)})"


def _round(coords: list[tuple[float, float]]) -> list[list[float]]:
    """(lon, lat) pairs to rounded [lat, lon] pairs, consecutive duplicates dropped."""
    out: list[list[float]] = []
    for lon, lat in coords:
        point = [round(lat, COORD_DECIMALS), round(lon, COORD_DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _geojson(geom: Any) -> Any:
    return json.loads(shapely.to_geojson(shapely.set_precision(geom, 10**-COORD_DECIMALS)))


def _active(valid_from: dt.datetime | None, valid_to: dt.datetime | None, interval: Interval) -> bool:
    return (valid_from is None or valid_from < interval.end) and (
        valid_to is None or valid_to > interval.start
    )


def map_features(view: StoreView, interval: Interval) -> dict[str, Any]:
    """The features of the map as plain data (what the page's script draws).

    Returns
    -------
    dict
        ``areas``, ``lines`` and ``points`` (lists of feature dicts: ``g`` layer key, ``k`` CSS
        class, ``p`` popup HTML, ``t`` tooltip HTML, ``s`` start in ms since the epoch UTC for
        the time slider), ``t0``/``t1`` (the interval in ms) and ``counts`` per layer key.
    """
    vessels = view.vessels
    areas: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []

    land = shapely.simplify(load_land(), LAND_SIMPLIFY_DEG, preserve_topology=True)
    areas.append(
        {"g": "land", "k": "mda-land", "geo": _geojson(land), "c": "#b8b09a", "fc": LAND_COLOUR, "o": 1}
    )
    for zone in load_zones():
        if zone.kind == "exercise_area" and not _active(zone.valid_from, zone.valid_to, interval):
            continue
        label = zone.name + (" (APPROXIMATE)" if zone.approximate and "APPROXIMATE" not in zone.name else "")
        exercise = zone.kind == "exercise_area"
        validity = f"<br>active {_time(zone.valid_from)} to {_time(zone.valid_to)}" if exercise else ""
        areas.append(
            {
                "g": "exercise" if exercise else "restricted",
                "k": "mda-exercise" if exercise else "mda-zone",
                "geo": _geojson(zone.geometry),
                "c": "#b30000" if exercise else "#6a51a3",
                "fc": "#fc8d59" if exercise else "#9e9ac8",
                "o": 0.25 if exercise else 0.08,
                "d": None if exercise else "4 4",
                "t": _esc(label),
                "p": f"<b>{_esc(label)}</b>{validity}",
            }
        )
    for gate in load_gates():
        lines.append(
            {
                "g": "fences",
                "k": "mda-gate",
                "xy": _round(list(gate.coords)),
                "c": "#000",
                "w": 3,
                "t": _esc(f"{gate.name} gate"),
            }
        )
    lines.append(
        {
            "g": "fences",
            "k": "mda-median",
            "xy": _round(list(load_median_line().coords)),
            "c": "#555",
            "d": "6 6",
            "t": "median line (ROC MND 2019)",
        }
    )

    fixes = _drawn_fixes(view.fixes)
    for row in view.in_interval("transits", interval).to_pylist():
        coords = fixes.get(str(row["event_id"]))
        if coords is None or len(coords) < 2:
            coords = np.array([(row["entry_lon"], row["entry_lat"]), (row["exit_lon"], row["exit_lat"])])
        simple = cast(
            list[tuple[float, float]],
            mapping(shapely.simplify(LineString(coords), SIMPLIFY_DEG, preserve_topology=False))[
                "coordinates"
            ],
        )
        direction = str(row["direction"])
        mmsi = int(row["mmsi"])
        vessel = vessels.get(mmsi)
        lane = view.lanes.get(str(row["event_id"]), "unknown")
        lines.append(
            {
                "g": direction,
                "k": f"mda-track mda-{direction}",
                "xy": _round(simple),
                "c": DIRECTION_COLOURS.get(direction, "#333"),
                "p": f"{_vessel_html(vessel, mmsi)}<br>{_esc(direction)} transit, {lane} lane"
                f"<br>entry {_time(row['start_ts'])}<br>exit {_time(row['end_ts'])}",
                "t": _esc((vessel.name if vessel and vessel.name else None) or mmsi),
                "s": _ms(row["start_ts"]),
            }
        )
    for row in view.in_interval("gap_events", interval).to_pylist():
        mmsi = int(row["mmsi"])
        lines.append(
            {
                "g": "gaps",
                "k": "mda-gap",
                "xy": _round([(row["start_lon"], row["start_lat"]), (row["end_lon"], row["end_lat"])]),
                "c": "#444",
                "d": "2 6",
                "p": f"{_vessel_html(vessels.get(mmsi), mmsi)}<br>AIS gap {row['duration_s'] / 3600:.1f} h"
                f"<br>last fix {_time(row['start_ts'])}<br>next fix {_time(row['end_ts'])}",
                "s": _ms(row["start_ts"]),
            }
        )
    for row in view.in_interval("loitering_events", interval).to_pylist():
        mmsi = int(row["mmsi"])
        points.append(
            {
                "g": "loitering",
                "k": "mda-loitering",
                "xy": _round([(row["lon"], row["lat"])])[0],
                "c": "#fdae61",
                "p": f"{_vessel_html(vessels.get(mmsi), mmsi)}<br>loitering {row['duration_s'] / 3600:.1f} h"
                f"<br>from {_time(row['start_ts'])}<br>to {_time(row['end_ts'])}",
                "s": _ms(row["start_ts"]),
            }
        )
    for row in view.in_interval("encounters", interval).to_pylist():
        mmsi, other = int(row["mmsi"]), int(row["other_mmsi"])
        points.append(
            {
                "g": "encounters",
                "k": "mda-encounter",
                "xy": _round([(row["lon"], row["lat"])])[0],
                "c": "#7b3294",
                "r": 8,
                "p": f"{_vessel_html(vessels.get(mmsi), mmsi)}<br>met<br>"
                f"{_vessel_html(vessels.get(other), other)}"
                f"<br>{row['duration_s'] / 3600:.1f} h, median {row['median_distance_m']:.0f} m apart"
                f"<br>from {_time(row['start_ts'])}<br>to {_time(row['end_ts'])}",
                "s": _ms(row["start_ts"]),
            }
        )
    points.extend(_port_points(view, interval))
    counts: dict[str, int] = defaultdict(int)
    for feature in (*areas, *lines, *points):
        counts[str(feature["g"])] += 1
    return {
        "areas": areas,
        "lines": lines,
        "points": points,
        "t0": _ms(interval.start),
        "t1": _ms(interval.end),
        "counts": dict(counts),
    }


def _port_points(view: StoreView, interval: Interval) -> list[dict[str, Any]]:
    ports = load_port_points()
    where: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for lon, lat, name in zip(ports.lon.tolist(), ports.lat.tolist(), ports.name, strict=True):
        where[name].append((lon, lat))
    calls: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in view.in_interval("port_calls", interval).to_pylist():
        calls[str(row["port"])].append(row)
    out = []
    for port, rows in sorted(calls.items()):
        spots = where.get(port)
        if not spots:
            continue
        lon = sum(p[0] for p in spots) / len(spots)
        lat = sum(p[1] for p in spots) / len(spots)
        listed = "".join(
            f"<br>{_vessel_line(view.vessels.get(int(r['mmsi'])), int(r['mmsi']))}"
            f" {_time(r['start_ts'])} to {_time(r['end_ts'])}"
            for r in rows[:15]
        )
        more = f"<br>… and {len(rows) - 15} more" if len(rows) > 15 else ""
        out.append(
            {
                "g": "ports",
                "k": "mda-port",
                "xy": _round([(lon, lat)])[0],
                "c": "#1a9641",
                "r": min(4 + len(rows), 12),
                "p": f"<b>{_esc(port)}</b> ({_esc(rows[0]['country'])}): {len(rows)} port calls"
                f"{listed}{more}",
                "t": _esc(f"{port}: {len(rows)} port calls"),
                "s": min(_ms(r["start_ts"]) for r in rows),
            }
        )
    return out


def _payload(features: dict[str, Any]) -> str:
    text = json.dumps({k: v for k, v in features.items() if k != "counts"}, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _legend(title: str, features: dict[str, Any]) -> str:
    counts = features["counts"]
    rows = "".join(
        f'<div><span style="display:inline-block;width:18px;height:3px;background:{colour};'
        f'vertical-align:middle;margin-right:6px"></span>{_esc(label)}</div>'
        for colour, label in (
            (DIRECTION_COLOURS["northbound"], f"northbound transit ({counts.get('northbound', 0)})"),
            (DIRECTION_COLOURS["southbound"], f"southbound transit ({counts.get('southbound', 0)})"),
            ("#555", "median line (dashed)"),
            ("#444", f"AIS gap, last to next fix ({counts.get('gaps', 0)})"),
            ("#6a51a3", "restricted waters — APPROXIMATE"),
            ("#b30000", f"active exercise area ({counts.get('exercise', 0)})"),
            ("#1a9641", f"port ({counts.get('ports', 0)})"),
            ("#fdae61", f"loitering ({counts.get('loitering', 0)})"),
            ("#7b3294", f"encounter ({counts.get('encounters', 0)})"),
        )
    )
    return (
        '<div class="mda-legend" style="position:fixed;bottom:28px;right:10px;z-index:1000;'
        "background:rgba(255,255,255,0.92);padding:6px 10px;font:12px sans-serif;border-radius:4px;"
        f'box-shadow:0 1px 4px rgba(0,0,0,.3)"><b>{_esc(title)}</b>{rows}'
        '<div style="color:#555">times UTC; no background tiles (land: Natural Earth)</div></div>'
    )


def build_map(view: StoreView, interval: Interval, title: str, *, tiles: str | None = None) -> folium.Map:
    """Build the map of ``interval`` (half-open, UTC) from a store view.

    Parameters
    ----------
    view : StoreView
        Tables read from the store.
    interval : Interval
        Features whose ``end_ts`` lies in it are drawn; exercise areas only if active in it.
    title : str
        Page title and legend heading (escaped).
    tiles : str, optional
        A folium tile set name (needs a network); default: none, land drawn from geodata.
    """
    fmap = folium.Map(
        location=[24.0, 119.8],
        zoom_start=7,
        min_zoom=5,
        max_zoom=MAX_ZOOM,
        control_scale=True,
        tiles=tiles,
    )
    root: Any = fmap.get_root()
    root.header.add_child(folium.Element(f"<title>{_esc(title)}</title>"))
    root.header.add_child(
        folium.Element(f"<style>.leaflet-container {{ background: {SEA_COLOUR} !important; }}</style>")
    )
    features = map_features(view, interval)
    groups: dict[str, folium.FeatureGroup] = {}
    for key, name in _LAYERS.items():
        if key == "exercise" and not features["counts"].get("exercise"):
            continue
        group = folium.FeatureGroup(name=name, show=key != "density")
        group.add_to(fmap)
        groups[key] = group
    if view.density:
        peak = max(w for _, _, w in view.density)
        HeatMap(
            [[lat, lon, w / peak] for lat, lon, w in view.density],
            radius=14,
            blur=18,
            min_opacity=0.25,
            max_zoom=MAX_ZOOM,
        ).add_to(groups["density"])
    _DataScript(_payload(features), fmap.get_name(), {k: g.get_name() for k, g in groups.items()}).add_to(
        fmap
    )
    folium.LayerControl(collapsed=False).add_to(fmap)
    root.html.add_child(folium.Element(_legend(title, features)))
    return fmap


def render_map(fmap: folium.Map) -> str:
    """The map as a standalone HTML document (CDN links still in; see :mod:`mda.publish.assets`)."""
    return str(fmap.get_root().render())
