"""A real headless Chromium (Debian's) with every request that is not file: or data: blocked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@dataclass
class LoadedPage:
    page: Any
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


# module scope: while Playwright's sync API is running it owns an asyncio loop in this thread,
# so it must stop before other modules call asyncio.run()
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing at /usr/bin/chromium; run `make test` (it installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_offline(browser: Any) -> Iterator[Any]:
    """Open a local file with the network blocked; record what the page tried and logged."""
    contexts = []

    def open_file(path: Path) -> LoadedPage:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        loaded = LoadedPage(page)

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("file://", "data:")):
                r.continue_()
            else:
                loaded.blocked.append(url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: loaded.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: loaded.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: loaded.failed.append(r.url))

        def dialog(d: Any) -> None:
            loaded.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(path.as_uri(), wait_until="load")
        return loaded

    yield open_file
    for context in contexts:
        context.close()
