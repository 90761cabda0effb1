"""Small standalone SVG charts (no plotting library; every label is XML-escaped).

The SVGs are static images for the report and for reuse in documents; the report pairs each
with its table, and the ``<title>`` of every bar carries its exact value as a tooltip.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

WIDTH = 720
HEIGHT = 300
_MARGIN_L, _MARGIN_R, _MARGIN_T, _MARGIN_B = 48, 150, 28, 64
PALETTE = ("#d7301f", "#2b8cbe", "#1a9641", "#fdae61", "#7b3294", "#969696", "#e7298a", "#66a61e")


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _frame(title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11" role="img">'
        f"<title>{_esc(title)}</title>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>'
        f'<text x="{_MARGIN_L}" y="18" font-size="13" font-weight="bold">{_esc(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def _axis(top: float) -> tuple[list[str], float]:
    plot_h = HEIGHT - _MARGIN_T - _MARGIN_B
    step = max(1.0, _nice(top / 4))
    body = []
    tick = 0.0
    while tick <= top + 1e-9:
        y = HEIGHT - _MARGIN_B - plot_h * tick / top
        body.append(
            f'<line x1="{_MARGIN_L}" x2="{WIDTH - _MARGIN_R}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{_MARGIN_L - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
        tick += step
    return body, plot_h


def _nice(value: float) -> float:
    for unit in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= unit:
            return float(unit)
    return float(round(value, -4))


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    every = max(1, len(labels) // 16)
    out = []
    for k, label in enumerate(labels):
        if k % every:
            continue
        x = _MARGIN_L + slot * (k + 0.5)
        y = HEIGHT - _MARGIN_B + 12
        out.append(
            f'<text x="{x:.1f}" y="{y}" text-anchor="end" transform="rotate(-40 {x:.1f} {y})">'
            f"{_esc(label)}</text>"
        )
    return out


def _legend(names: Sequence[str]) -> list[str]:
    out = []
    for k, name in enumerate(names[:14]):
        y = _MARGIN_T + 14 * k + 8
        x = WIDTH - _MARGIN_R + 10
        out.append(
            f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="{y + 1}">{_esc(name)}</text>'
        )
    return out


def stacked_bars(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]]) -> str:
    """An SVG stacked bar chart: one bar per label, one colour per series.

    Parameters
    ----------
    title : str
        Chart title (escaped).
    labels : sequence of str
        X-axis labels (escaped), e.g. ISO dates.
    series : dict of str to sequence of float
        Values per series name (escaped), each as long as ``labels``.
    """
    names = list(series)
    totals = [sum(series[n][k] for n in names) for k in range(len(labels))]
    top = max([*totals, 1.0])
    body, plot_h = _axis(top)
    slot = (WIDTH - _MARGIN_L - _MARGIN_R) / max(len(labels), 1)
    for k, label in enumerate(labels):
        base = float(HEIGHT - _MARGIN_B)
        for i, name in enumerate(names):
            value = series[name][k]
            if not value:
                continue
            h = plot_h * value / top
            base -= h
            body.append(
                f'<rect class="bar" x="{_MARGIN_L + slot * k + slot * 0.1:.1f}" y="{base:.1f}" '
                f'width="{slot * 0.8:.1f}" height="{h:.1f}" fill="{PALETTE[i % len(PALETTE)]}">'
                f"<title>{_esc(label)} {_esc(name)}: {value:g}</title></rect>"
            )
    return _frame(title, body + _x_labels(labels, slot) + _legend(names))


def line_with_band(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    low: Sequence[float | None],
    high: Sequence[float | None],
    flagged: Sequence[bool],
) -> str:
    """An SVG line of daily values over a shaded band; flagged days drawn as red dots."""
    top = max([*values, *[h for h in high if h is not None], 1.0])
    body, plot_h = _axis(top)
    slot = (WIDTH - _MARGIN_L - _MARGIN_R) / max(len(labels), 1)

    def xy(k: int, v: float) -> str:
        return f"{_MARGIN_L + slot * (k + 0.5):.1f},{HEIGHT - _MARGIN_B - plot_h * v / top:.1f}"

    band = [k for k in range(len(labels)) if low[k] is not None and high[k] is not None]
    if band:
        upper = [xy(k, float(high[k] or 0.0)) for k in band]
        lower = [xy(k, float(low[k] or 0.0)) for k in reversed(band)]
        body.append(f'<polygon points="{" ".join(upper + lower)}" fill="#c6dbef" opacity="0.7"/>')
    body.append(
        f'<polyline points="{" ".join(xy(k, v) for k, v in enumerate(values))}" fill="none" '
        'stroke="#08519c" stroke-width="2"/>'
    )
    for k, v in enumerate(values):
        colour = "#d7301f" if flagged[k] else "#08519c"
        x, y = xy(k, v).split(",")
        body.append(
            f'<circle cx="{x}" cy="{y}" r="{4 if flagged[k] else 2.5}" fill="{colour}">'
            f"<title>{_esc(labels[k])}: {v:g}</title></circle>"
        )
    return _frame(title, body + _x_labels(labels, slot) + _legend(["transits", "baseline band"]))
