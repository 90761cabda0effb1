import struct
import zlib

import pytest

from mda.publish import charts, charts_png
from mda.publish.assets import AssetsMissingError
from mda.publish.charts_png import png

PNG = b"\x89PNG\r\n\x1a\n"


def _size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _bars(title: str = "t") -> str:
    return charts.stacked_bars(title, ["cargo", "tanker"], {"northbound": [3, 1], "southbound": [2, 0]})


def test_a_stacked_bar_chart_renders_as_a_png_of_its_svg_size_times_the_zoom():
    data = png(_bars())
    assert _size(data) == (round(charts.WIDTH * charts_png.ZOOM), round(charts.HEIGHT * charts_png.ZOOM))


def test_a_baseline_band_with_flagged_days_renders_as_png():
    chart = charts.line_with_band(
        "t", ["d1", "d2", "d3"], [10.0, 2.0, 9.0], [None, 5.0, 5.0], [None, 12.0, 12.0], [False, True, False]
    )
    assert _size(png(chart)) == _size(png(_bars()))


def test_the_png_is_byte_identical_for_the_same_chart():
    assert png(_bars()) == png(_bars())


def _pixels(data: bytes) -> bytes:
    """The image's decompressed scanlines (IDAT chunks joined)."""
    at, idat = 8, b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return zlib.decompress(idat)


def test_the_title_text_is_drawn_so_two_titles_give_two_images():
    # the same bars under another title: only the text's pixels can differ
    assert _pixels(png(_bars("Transits by category"))) != _pixels(png(_bars("Transits by direction")))


def test_a_missing_chart_font_is_a_one_line_error_naming_make_setup(monkeypatch, tmp_path):
    monkeypatch.setattr(charts_png, "FONT_DIR", tmp_path)
    charts_png._fonts.cache_clear()
    try:
        with pytest.raises(AssetsMissingError, match="make setup") as info:
            png(_bars())
    finally:
        charts_png._fonts.cache_clear()
    assert "\n" not in str(info.value)
    assert "fonts-dejavu-core" in str(info.value)
