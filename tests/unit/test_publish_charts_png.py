from mda.publish.charts_png import line_with_band_figure, png, stacked_bars_figure

PNG = b"\x89PNG\r\n\x1a\n"


def test_stacked_bars_render_as_png():
    data = png(stacked_bars_figure("t", ["cargo", "tanker"], {"northbound": [3, 1], "southbound": [2, 0]}))
    assert data.startswith(PNG)
    assert len(data) > 2000


def test_baseline_band_with_flagged_days_renders_as_png():
    figure = line_with_band_figure(
        "t", ["d1", "d2", "d3"], [10.0, 2.0, 9.0], [None, 5.0, 5.0], [None, 12.0, 12.0], [False, True, False]
    )
    data = png(figure)
    assert data.startswith(PNG)


def test_png_is_byte_identical_for_the_same_data():
    args = ("t", ["a", "b"], {"x": [1.0, 2.0]})
    assert png(stacked_bars_figure(*args)) == png(stacked_bars_figure(*args))


def _texts_inside_the_figure(fig):
    import matplotlib.pyplot as plt

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    outside = []
    for text in fig.findobj(match=lambda artist: hasattr(artist, "get_text") and artist.get_visible()):
        if not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
            outside.append(text.get_text())
    plt.close(fig)
    return outside


def test_category_and_date_labels_of_the_charts_fit_inside_the_image():
    from mda.publish.stats import CATEGORY_ORDER

    days = [f"2026-11-{d:02d}" for d in range(1, 31)]
    categories = list(CATEGORY_ORDER)
    bars = stacked_bars_figure("Transits by category", categories, {"northbound": [1200.0] * len(categories)})
    assert _texts_inside_the_figure(bars) == []
    per_day = {"northbound": [900.0] * 30, "southbound": [950.0] * 30}
    daily = stacked_bars_figure("Daily transits", days, per_day)
    assert _texts_inside_the_figure(daily) == []
    band = line_with_band_figure("Transits", days, [1800.0] * 30, [1500.0] * 30, [2100.0] * 30, [False] * 30)
    assert _texts_inside_the_figure(band) == []
