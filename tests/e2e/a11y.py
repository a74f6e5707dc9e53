"""Accessibility and small-screen checks the end-to-end tests share.

axe-core (bundled by axe-playwright-python, offline) runs on the page as drawn; a test fails
on any violation of impact "serious" or "critical". Excluded: Streamlit's own sidebar menu
(`stSidebarNav`), whose list markup (a `ul` of `div`s) fails `list`/`listitem` upstream; it
is not ours to change (README, Accessibility).
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import SHOTS

AXE_EXCLUDE = [['[data-testid="stSidebarNav"]']]
FAILING_IMPACTS = {"serious", "critical"}
PHONES = {"390x844": (390, 844), "360x800": (360, 800)}
# What a finger taps on our pages; each must be at least 44 px tall on a touch screen.
TAP_TARGETS = ('[data-testid="stMain"] .stButton button, '
               '[data-testid="stMain"] .stDownloadButton button, '
               '[data-testid="stMain"] [data-testid="stPageLink"] a, '
               '[data-testid="stMain"] [data-testid="stSelectbox"] [role="group"], '
               '[data-testid="stMain"] [data-testid="stExpander"] summary, '
               '[data-testid="stMain"] [data-testid="stTextInputRootElement"]')


def serious_violations(page) -> list[str]:
    """'impact id: first target' of every serious or critical axe violation."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, context={"exclude": AXE_EXCLUDE})
    return [f"{v['impact']} {v['id']}: {v['nodes'][0]['target']}"
            for v in result.response["violations"] if v["impact"] in FAILING_IMPACTS]


def widths(page) -> dict[str, int]:
    """The document's and the main column's scroll widths, and the window's width."""
    return page.evaluate("""() => ({
        document: document.documentElement.scrollWidth, inner: innerWidth,
        main: document.querySelector('[data-testid="stMain"]').scrollWidth})""")


def small_tap_targets(page) -> list[str]:
    """Visible controls of the page shorter than 44 px."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(e => { const r = e.getBoundingClientRect();
                       return r.width > 0 && r.height > 0 && r.height < 43.5; })
        .map(e => `${e.tagName} ${Math.round(e.getBoundingClientRect().height)}px `
                  + (e.textContent || '').trim().slice(0, 20))""", TAP_TARGETS)


def shoot(page, name: str) -> Path:
    """Two screenshots: the first screen as a visitor sees it (`name`.png) and the whole page
    (`name`-full.png; Streamlit scrolls inside the page, so the window is made as tall)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    first = SHOTS / f"{name}.png"
    page.screenshot(path=str(first))
    size = page.viewport_size
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    if tall > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(tall + 40, 9000)})
        page.wait_for_timeout(2500)  # plotly redraws at the new size
        page.screenshot(path=str(SHOTS / f"{name}-full.png"))
        page.set_viewport_size(size)
    return first
