"""Offline pages: CDN links become inline copies; missing assets are a one-line error."""

from __future__ import annotations

import pytest

from mda.publish.assets import AssetsMissingError, check_assets, inline_assets

LEAFLET = '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
JQUERY = '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'


def test_missing_npm_assets_name_make_setup(tmp_path):
    with pytest.raises(AssetsMissingError, match="make setup") as info:
        check_assets(tmp_path)
    assert "\n" not in str(info.value)


def test_leaflet_is_inlined_and_unused_libraries_dropped(tmp_path):
    (tmp_path / "leaflet" / "dist").mkdir(parents=True)
    (tmp_path / "leaflet" / "dist" / "leaflet.js").write_text(
        "var L = '</script>';\n//# sourceMappingURL=x.map"
    )
    page = inline_assets(f"<head>{LEAFLET}{JQUERY}</head>", tmp_path)
    assert "https://" not in page
    assert "sourceMappingURL" not in page
    assert page.count("</script>") == 1


def test_cdn_mode_keeps_only_the_used_links(tmp_path):
    page = inline_assets(f"<head>{LEAFLET}{JQUERY}</head>", tmp_path, cdn=True)
    assert LEAFLET in page
    assert "jquery" not in page


def test_an_unknown_external_link_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown external resource"):
        inline_assets('<head><script src="https://example.org/x.js"></script></head>', tmp_path)
