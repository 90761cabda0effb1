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


def _png(fig: matplotlib.figure.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def stacked_bars_png(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]]) -> bytes:
    """A stacked bar chart: one bar per label, one colour per series (PNG bytes)."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bottom = [0.0] * len(labels)
    for k, (name, values) in enumerate(series.items()):
        ax.bar(list(labels), list(values), bottom=bottom, label=name, color=COLOURS[k % len(COLOURS)])
        bottom = [b + float(v) for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def line_with_band_png(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    low: Sequence[float | None],
    high: Sequence[float | None],
    flagged: Sequence[bool],
) -> bytes:
    """Daily values over a shaded baseline band; flagged days as red dots (PNG bytes)."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
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
    return _png(fig)
