from mda.publish.charts_png import line_with_band_png, stacked_bars_png

PNG = b"\x89PNG\r\n\x1a\n"


def test_stacked_bars_render_as_png():
    data = stacked_bars_png("t", ["cargo", "tanker"], {"northbound": [3, 1], "southbound": [2, 0]})
    assert data.startswith(PNG)
    assert len(data) > 2000


def test_baseline_band_with_flagged_days_renders_as_png():
    data = line_with_band_png(
        "t", ["d1", "d2", "d3"], [10.0, 2.0, 9.0], [None, 5.0, 5.0], [None, 12.0, 12.0], [False, True, False]
    )
    assert data.startswith(PNG)


def test_png_is_byte_identical_for_the_same_data():
    args = ("t", ["a", "b"], {"x": [1.0, 2.0]})
    assert stacked_bars_png(*args) == stacked_bars_png(*args)
