"""The same charts as :mod:`mda.publish.charts`, rendered as PNG images with Matplotlib.

The SVG charts are inlined in the reports; the PNG files sit beside them for slides and
briefings.  Labels are category names and dates (never AIS-borne text).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

import matplotlib.pyplot as plt

from mda.publish.charts import PALETTE as COLOURS

_DPI = 110
#: Figure size, inches.
_SIZE_IN = (8.0, 3.6)
#: A generous mean advance of one 8-point tick-label character, points (DejaVu Sans averages
#: about 4.5); with the labels' length it sizes the margin below the axes.
_CHAR_PT = 5.0


def _frame(fig: matplotlib.figure.Figure, labels: Sequence[str]) -> None:
    """Fixed margins that hold the title, the y tick labels and the x labels at 45 degrees.

    Measuring the text instead (``bbox_inches="tight"`` or a layout engine) draws the figure
    once more, which doubles the time a chart takes; the margin below is sized from the
    longest label instead (its height at 45 degrees plus the ticks).
    """
    longest = max((len(label) for label in labels), default=0)
    below_pt = 14.0 + longest * _CHAR_PT * 0.71
    height_pt = _SIZE_IN[1] * 72.0
    fig.subplots_adjust(left=0.08, right=0.98, top=0.9, bottom=min(0.6, below_pt / height_pt))


def png(fig: matplotlib.figure.Figure) -> bytes:
    """The figure as PNG bytes (reproducible: no software stamp); closes it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def stacked_bars_figure(
    title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]]
) -> matplotlib.figure.Figure:
    """A stacked bar chart: one bar per label, one colour per series (:func:`png` renders it)."""
    fig, ax = plt.subplots(figsize=_SIZE_IN)
    _frame(fig, labels)
    bottom = [0.0] * len(labels)
    for k, (name, values) in enumerate(series.items()):
        ax.bar(list(labels), list(values), bottom=bottom, label=name, color=COLOURS[k % len(COLOURS)])
        bottom = [b + float(v) for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def line_with_band_figure(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    low: Sequence[float | None],
    high: Sequence[float | None],
    flagged: Sequence[bool],
) -> matplotlib.figure.Figure:
    """Daily values over a shaded baseline band; flagged days as red dots (:func:`png` renders it)."""
    fig, ax = plt.subplots(figsize=_SIZE_IN)
    _frame(fig, labels)
    x = list(range(len(labels)))
    band = [k for k in x if low[k] is not None and high[k] is not None]
    if band:
        ax.fill_between(
            band, [float(low[k] or 0.0) for k in band], [float(high[k] or 0.0) for k in band],
            color="#cccccc", alpha=0.6, label="baseline band",
        )  # fmt: skip
    ax.plot(x, list(values), color=COLOURS[0], label="transits")
    marked = [k for k in x if flagged[k]]
    ax.scatter(marked, [values[k] for k in marked], color="#d7301f", zorder=3, label="outside the band")
    ax.set_xticks(x, list(labels), rotation=45, fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
