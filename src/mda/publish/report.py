"""HTML of the daily report and of the index across days (strings only; every value escaped).

Pages are self-contained (inline CSS and a few lines of script for the table filters), load
nothing from the network and link their neighbours by relative paths, so a folder of reports
can be copied anywhere and opened from disk.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence

from mda.publish.stats import StatTable

_STYLE = """
body { font: 14px/1.45 sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .4em 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; }
th { background: #f2f2f2; } td.num { text-align: right; }
.flag-low, .flag-high { color: #b30000; font-weight: bold; }
.muted { color: #666; } .filter { margin: .3em 0; }
ul.links li { margin: .15em 0; }
"""

_FILTER_SCRIPT = """
document.querySelectorAll("input.filter").forEach(function (box) {
  box.addEventListener("input", function () {
    var table = document.getElementById(box.dataset.table);
    var needle = box.value.toLowerCase();
    var shown = 0;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var hit = row.textContent.toLowerCase().indexOf(needle) >= 0;
      row.style.display = hit ? "" : "none";
      if (hit) { shown += 1; }
    });
    document.getElementById(box.dataset.table + "-shown").textContent = String(shown);
  });
});
"""


def esc(value: object) -> str:
    """HTML-escape any value (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: str) -> str:
    """A whole HTML document with the report style and the table-filter script."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"{body}<script>{_FILTER_SCRIPT}</script></body></html>\n"
    )


def table_html(table: StatTable, *, limit: int = 200, prefix: str = "") -> str:
    """A statistics table with a text filter (the interactive form) and its file links.

    ``prefix`` is the relative folder of the table's CSV and Parquet files (e.g. ``"stats/"``).
    """
    ident = f"t-{table.name}"
    rows = table.rows[:limit]
    head = "".join(f"<th>{esc(h)}</th>" for h in table.header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{esc(v)}</td>' if isinstance(v, int | float) else f"<td>{esc(v)}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    more = f" (first {limit} of {len(table.rows)}; all in the files)" if len(table.rows) > limit else ""
    return (
        f"<h2>{esc(table.title)}</h2>"
        f'<p class="muted">files: <a href="{esc(prefix + table.name)}.csv">CSV</a> · '
        f'<a href="{esc(prefix + table.name)}.parquet">Parquet</a>{esc(more)}</p>'
        f'<input class="filter" type="search" placeholder="filter rows" data-table="{ident}" '
        f'aria-label="filter {esc(table.title)}"> <span class="muted"><span id="{ident}-shown">'
        f"{len(rows)}</span> rows shown</span>"
        f'<table id="{ident}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def counter_text(counts: Counter[str]) -> str:
    """``a 3, b 2`` in descending count order, escaped."""
    return ", ".join(f"{esc(k)} {n}" for k, n in counts.most_common()) or "none"


def day_page(
    day: str,
    summary: dict[str, Counter[str]],
    notable: Sequence[str],
    signal: str,
    charts: Sequence[tuple[str, str]],
    tables: Sequence[StatTable],
    exports: Sequence[str],
) -> str:
    """The daily report ``<date>/index.html``.

    Parameters
    ----------
    day : str
        ``YYYY-MM-DD`` (UTC day, ``[00:00, 24:00)``).
    summary : dict of str to Counter
        Transit counts by ``direction``, ``category``, ``flag``, ``lane``.
    notable : sequence of str
        Lines of notable events, already escaped HTML.
    signal : str
        The disruption signal of the day (``normal``, ``low``, ``high``, ...).
    charts : sequence of (file name, title)
        SVG charts in the folder.
    tables : sequence of StatTable
        Tables shown (and written beside the page as CSV and Parquet).
    exports : sequence of str
        File names of the day's event-log exports.
    """
    directions = summary["direction"]
    total = sum(directions.values())
    chart_html = "".join(
        f'<figure><img src="{esc(name)}" alt="{esc(title)}" width="720"><figcaption>{esc(title)}'
        f' (<a href="{esc(name.removesuffix(".svg") + ".png")}">PNG</a>)</figcaption></figure>'
        for name, title in charts
    )
    notable_html = "".join(f"<li>{line}</li>" for line in notable) or "<li>none</li>"
    export_html = " · ".join(f'<a href="{esc(name)}">{esc(name)}</a>' for name in exports)
    body = (
        f'<p><a href="../index.html">all days</a></p><h1>Taiwan Strait, {esc(day)} (UTC)</h1>'
        f'<p><a href="map.html"><b>Open the map</b></a> (tracks, zones, events, density, time slider)</p>'
        f'<h2>Summary</h2><ul class="summary">'
        f'<li id="transit-total">{total} transits: {directions.get("northbound", 0)} northbound, '
        f"{directions.get('southbound', 0)} southbound</li>"
        f"<li>by category: {counter_text(summary['category'])}</li>"
        f"<li>by flag (claimed by MMSI): {counter_text(summary['flag'])}</li>"
        f"<li>by lane (side of the median line): {counter_text(summary['lane'])}</li>"
        f'<li>disruption signal: <span class="flag-{esc(signal)}">{esc(signal)}</span> '
        "(trailing 28-day baseline)</li></ul>"
        f"<h2>Notable events</h2><ul>{notable_html}</ul>"
        f"{chart_html}"
        + "".join(table_html(t) for t in tables)
        + f"<h2>Event exports (CSV)</h2><p>{export_html}</p>"
    )
    return page(f"mda report {day}", body)


def index_page(
    days: Sequence[tuple[str, int, int, str, bool]],
    range_map: str | None,
    charts: Sequence[tuple[str, str]],
    tables: Sequence[StatTable],
) -> str:
    """The top-level ``index.html`` across days.

    Parameters
    ----------
    days : sequence of (date, northbound, southbound, signal, linked)
        One row per stored day; a date links to its report when ``linked``.
    range_map : str, optional
        File name of the map of the last published range.
    charts, tables
        As for :func:`day_page`, with paths relative to the index.
    """
    rows = "".join(
        "<tr><td>"
        + (f'<a href="{esc(day)}/index.html">{esc(day)}</a>' if linked else esc(day))
        + f'</td><td class="num">{north}</td><td class="num">{south}</td>'
        f'<td class="num">{north + south}</td><td class="flag-{esc(signal)}">{esc(signal)}</td></tr>'
        for day, north, south, signal, linked in reversed(days)
    )
    map_link = (
        f'<p><a href="{esc(range_map)}"><b>Map of the published period</b></a></p>' if range_map else ""
    )
    chart_html = "".join(
        f'<figure><img src="{esc(name)}" alt="{esc(title)}" width="720"><figcaption>{esc(title)}'
        f' (<a href="{esc(name.removesuffix(".svg") + ".png")}">PNG</a>)</figcaption></figure>'
        for name, title in charts
    )
    body = (
        "<h1>Taiwan Strait maritime domain awareness</h1>"
        '<p class="muted">Transits through the strait from AIS; times UTC; days are [00:00, 24:00).</p>'
        f"{map_link}<h2>Daily reports</h2>"
        '<table id="days"><thead><tr><th>day</th><th>northbound</th><th>southbound</th><th>total</th>'
        f"<th>signal</th></tr></thead><tbody>{rows}</tbody></table>{chart_html}"
        + "".join(table_html(t, prefix="stats/") for t in tables)
    )
    return page("mda reports", body)
