"""The reports' SVG charts (:mod:`mda.publish.charts`) rendered as PNG images.

The SVG charts are inlined in the reports; the PNG files sit beside them for slides and
briefings.  Each PNG is its SVG drawn by resvg (an SVG renderer written in Rust), so both show
the same chart.  Text is set in DejaVu Sans from Debian's ``fonts-dejavu-core`` (``make
setup`` installs it); no other font of the system is looked at, so an image is the same on
every machine, and a missing font is an error rather than an image without labels.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import resvg_py

from mda.publish.assets import AssetsMissingError

__all__ = ["FONT_DIR", "FONT_FAMILY", "FONT_FILES", "ZOOM", "check_fonts", "png"]

#: Where Debian's ``fonts-dejavu-core`` installs its fonts.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
#: The faces the charts use (regular text, bold titles).
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
#: Their family, which stands in for the SVGs' generic ``sans-serif``.
FONT_FAMILY = "DejaVu Sans"
#: Pixels per SVG unit: a 720 x 300 chart becomes a 900 x 375 image.
ZOOM = 1.25


def check_fonts() -> list[str]:
    """The chart fonts' files, after checking each is there.

    Raises
    ------
    AssetsMissingError
        When a font file is missing (``make setup`` installs them).
    """
    files = [FONT_DIR / name for name in FONT_FILES]
    for path in files:
        if not path.is_file():
            raise AssetsMissingError(
                f"the charts' font {path} is missing: run `make setup` "
                "(it installs Debian's fonts-dejavu-core)"
            )
    return [str(path) for path in files]


@cache
def _fonts() -> tuple[str, ...]:
    return tuple(check_fonts())


def png(svg: str) -> bytes:
    """An SVG chart of :mod:`mda.publish.charts` as PNG bytes (the same bytes for the same SVG).

    Raises
    ------
    AssetsMissingError
        When the chart fonts are missing (see :func:`check_fonts`).
    """
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=ZOOM,
            skip_system_fonts=True,
            font_files=list(_fonts()),
            font_family=FONT_FAMILY,
            sans_serif_family=FONT_FAMILY,
        )
    )
