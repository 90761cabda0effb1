"""Offline map pages: replace folium's CDN links with inline copies of the same libraries.

Folium 0.20 links Leaflet 1.9.3, jQuery, Bootstrap and awesome-markers from CDNs; a page
opened without a network then draws nothing.  The maps of :mod:`mda.publish.maps` use only
Leaflet and Leaflet.heat, so :func:`inline_assets` inlines those two (installed from the npm
registry at set-up into ``assets/node_modules`` by ``npm ci``, versions pinned in
``assets/package.json``) and drops the links to the libraries the page never calls.  Images
that Leaflet's stylesheet refers to become ``data:`` URIs, so an offline page makes no request
at all.  Any other external link left in a page is an error rather than a silent blank map.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: The npm packages (``assets/package.json``) folium's links are served from, offline.
LEAFLET_VERSION = "1.9.3"


class AssetsMissingError(Exception):
    """The npm assets are not installed; the message is one line naming ``make setup``."""


@dataclass(frozen=True)
class _Asset:
    kind: str  # "js" or "css"
    relpath: str | None  # file under node_modules, or None to drop the link


_FOLIUM_TEMPLATES = "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"

#: Every CDN link folium 0.20 may write for the elements the maps use, and what replaces it.
_LINKS: dict[str, _Asset] = {
    f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js": _Asset(
        "js", "leaflet/dist/leaflet.js"
    ),
    f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css": _Asset(
        "css", "leaflet/dist/leaflet.css"
    ),
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js": (
        _Asset("js", "leaflet.heat/dist/leaflet-heat.js")
    ),
    # folium's defaults, unused by these maps (no awesome markers, no Bootstrap widgets)
    "https://code.jquery.com/jquery-3.7.1.min.js": _Asset("js", None),
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": _Asset("js", None),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": _Asset("js", None),
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": _Asset("css", None),
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": _Asset("css", None),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": (
        _Asset("js", None)
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": (
        _Asset("css", None)
    ),
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": _Asset("css", None),
    _FOLIUM_TEMPLATES + "leaflet.awesome.rotate.min.css": _Asset("css", None),
}

_SCRIPT = re.compile(r'<script\s+src="(?P<url>https?://[^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>https?://[^"]+)"\s*/?>')
_EXTERNAL = re.compile(r'<(?:script|link|img|iframe)\b[^>]*?(?:src|href)="(https?://[^"]+)"')
_CSS_URL = re.compile(r"url\((images/[A-Za-z0-9_.-]+\.png)\)")
_CLOSING = re.compile(r"</(script|style)", re.IGNORECASE)
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def default_assets_dir() -> Path:
    """The ``assets/node_modules`` folder of the source tree ``npm ci`` fills at set-up."""
    return Path(__file__).resolve().parents[3] / "assets" / "node_modules"


@cache
def _read(assets_dir: Path, relpath: str) -> str:
    path = assets_dir / relpath
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise AssetsMissingError(
            f"map assets missing ({relpath} not in {assets_dir}); run `make setup` (npm ci in assets/)"
        ) from None
    text = _SOURCE_MAP.sub("", text)
    if relpath.endswith(".css"):
        folder = path.parent

        def embed(match: re.Match[str]) -> str:
            data = base64.b64encode((folder / match.group(1)).read_bytes()).decode("ascii")
            return f"url(data:image/png;base64,{data})"

        text = _CSS_URL.sub(embed, text)
    return text


def check_assets(assets_dir: Path | None = None) -> Path:
    """Return the assets folder after checking every inlined file is there.

    Raises
    ------
    AssetsMissingError
        When ``npm ci`` has not been run in ``assets/``.
    """
    folder = assets_dir or default_assets_dir()
    for asset in _LINKS.values():
        if asset.relpath is not None:
            _read(folder, asset.relpath)
    return folder


def inline_assets(page: str, assets_dir: Path | None = None, *, cdn: bool = False) -> str:
    """Make a folium page self-contained (or, with ``cdn``, keep only the links it needs).

    Parameters
    ----------
    page : str
        HTML as folium renders it.
    assets_dir : Path, optional
        ``node_modules`` holding the pinned packages; default :func:`default_assets_dir`.
    cdn : bool, default False
        Keep the CDN links of the libraries the page uses (a lighter page that needs a
        network) instead of inlining them.

    Raises
    ------
    AssetsMissingError
        When inlining and the npm packages are not installed.
    ValueError
        When the page links an external resource this module does not know (a new folium
        element): better a one-line error than a blank map offline.
    """
    folder = assets_dir or default_assets_dir()

    def replace(match: re.Match[str]) -> str:
        url = match.group("url")
        asset = _LINKS.get(url)
        if asset is None:
            raise ValueError(f"map page links an unknown external resource: {url}")
        if asset.relpath is None:
            return ""
        if cdn:
            return match.group(0)
        # "</" never survives inside an inline block: it could close the element early
        text = _CLOSING.sub(r"<\\/\1", _read(folder, asset.relpath))
        if asset.kind == "js":
            return f"<script>{text}</script>"
        return f"<style>{text}</style>"

    if not cdn:
        # checked before inlining: the inlined libraries mention URLs in their strings
        for link in _EXTERNAL.finditer(page):
            if link.group(1) not in _LINKS:
                raise ValueError(f"map page links an unknown external resource: {link.group(1)}")
    return _STYLESHEET.sub(replace, _SCRIPT.sub(replace, page))
