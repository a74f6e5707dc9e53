"""First paint in real headless Chromium: from navigation to the page's charts visible.

Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser). Each sample is a
fresh browser context (no cache, no cookies) on an already warm server. Requests that would
leave loopback go to a dead proxy and fail (offline, as in the end-to-end tests); a proxy rather
than Playwright's request interception, which costs ~0.5 s a page and disables the HTTP cache.
What "charts" means for a page is learnt from its AppTest run: one visible element of every
kind it drew (plotly, deck.gl map, data frame); a page that drew none is painted when its
title is visible.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SELECTORS = {
    "plotly": '[data-testid="stPlotlyChart"] .main-svg',
    "deck": '[data-testid="stDeckGlJsonChart"] canvas',
    "table": '[data-testid="stDataFrame"]',
}
TITLE = '[data-testid="stMain"] h1'
EXCEPTION = '[data-testid="stException"]'
# Nothing listens on port 9 (discard): anything not bypassed fails at once.
OFFLINE_PROXY = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"}
TIMEOUT_MS = 60_000


def selectors_for(kinds: dict[str, int]) -> list[str]:
    """What must be visible for the page to count as painted."""
    return [SELECTORS[k] for k, n in kinds.items() if n and k in SELECTORS] or [TITLE]


def first_paint(browser, url: str, selectors: Sequence[str]) -> float:
    """Seconds from navigation to every selector's first element visible (fresh context)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        for selector in selectors:
            visible = page.locator(f"{selector} >> visible=true")
            visible.or_(page.locator(EXCEPTION)).first.wait_for(timeout=TIMEOUT_MS)
            if page.locator(EXCEPTION).count():
                raise RuntimeError("the page shows an exception")
        return time.perf_counter() - start
    finally:
        context.close()


class Browser:
    """Headless Chromium for the whole benchmark run; a context manager."""

    def __enter__(self):
        from playwright.sync_api import sync_playwright

        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"{CHROMIUM} is missing: `make system-deps` installs it")
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                                proxy=OFFLINE_PROXY)
        return self.browser

    def __exit__(self, *exc: object) -> None:
        self.browser.close()
        self._pw.stop()
