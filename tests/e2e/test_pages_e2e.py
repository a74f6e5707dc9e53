"""Every page by deep link in real headless Chromium: charts drawn, no console errors, nothing
requested outside 127.0.0.1, no serious or critical axe violation; a screenshot of each under
test-output/screenshots/."""

from __future__ import annotations

import pytest

from evalcore.labels import t
from tests.e2e.a11y import serious_violations
from tests.e2e.conftest import SHOTS

pytestmark = pytest.mark.e2e

PLOTLY = '[data-testid="stPlotlyChart"] .main-svg'
DECK = '[data-testid="stDeckGlJsonChart"] canvas'
TABLE = '[data-testid="stDataFrame"]'

LINK = '[data-testid="stPageLink"]'
HEADING = '[data-testid="stMain"] h2'
PAGES_ALL = [
    ("home", "round=2022", [LINK]),
    ("progress", "round=2022", [PLOTLY]),
    ("map", "round=2022&level=county", [PLOTLY]),
    ("community", "round=2022&community=330102-2019-001", [HEADING, PLOTLY]),
    ("leaderboard", "round=2022&level=city", [TABLE, PLOTLY]),
    ("criteria", "round=2022&level=county&dim=C&indicator=C4", [PLOTLY]),
    ("bonus", "round=2022", [PLOTLY]),
    ("benchmark", "round=2022&unit=330400", [PLOTLY]),
    ("profile", "round=2022&unit=330106", [PLOTLY]),
    ("methodology", "round=2022", [PLOTLY]),
]

PAGES = PAGES_ALL


def wait_rendered(page, selectors: list[str]) -> None:
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    # A deep link must open its page, not Streamlit's "page not found" dialog.
    assert page.get_by_text("Page not found").count() == 0
    for selector in selectors:
        page.wait_for_selector(selector, state="visible", timeout=30_000)
    # Streamlit shows a running indicator while the script runs; wait for it to go.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    page.wait_for_timeout(500)


@pytest.mark.parametrize(("path", "query", "selectors"), PAGES, ids=[p[0] for p in PAGES])
def test_page_by_deep_link(server, watched, path, query, selectors) -> None:
    page = watched.page
    page.goto(f"{server}/{'' if path == 'home' else path}?{query}")
    wait_rendered(page, selectors)
    watched.screenshot(f"{path}-zh")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text(t("page_failed", "zh")).count() == 0
    assert watched.console_errors == []
    assert watched.failed == []
    assert watched.external == []
    assert serious_violations(page) == []


# The small maps of these pages are plotly SVG (figures.flatmap): no deck.gl, no WebGL canvas.
SMALL_MAPS = [("progress", "round=2022", "progress.map"),
              ("profile", "round=2022&unit=330100", "profile.map")]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("path", "query", "key"), SMALL_MAPS, ids=[m[0] for m in SMALL_MAPS])
def test_small_map_is_svg_with_a_tooltip(server, watched, path, query, key, lang) -> None:
    page = watched.page
    page.goto(f"{server}/{path}?{query}&lang={lang}")
    chart = f'.st-key-{key.replace(".", "-")} [data-testid="stPlotlyChart"]'
    wait_rendered(page, [f"{chart} .main-svg"])
    assert page.locator('[data-testid="stDeckGlJsonChart"]').count() == 0
    assert page.locator(f"{chart} canvas").count() == 0  # SVG, no WebGL (tables use 2D canvas)
    regions = page.locator(f"{chart} .scatterlayer .trace").first
    assert regions.locator("path.js-fill").count() == 1
    points = page.locator(f"{chart} .scatterlayer .trace .points path")
    assert points.count() > 100
    assert page.locator(f"{chart} .legend .traces").count() >= 2
    page.locator(chart).scroll_into_view_if_needed()
    watched.screenshot(f"{path}-page-{lang}")
    page.locator(chart).screenshot(path=str(SHOTS / f"{path}-map-{lang}.png"))
    box = points.last.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(f"{chart} .hoverlayer .hovertext")
    tip.wait_for(state="visible", timeout=5_000)
    assert ("户" if lang == "zh" else "household") in tip.text_content()
    page.locator(chart).screenshot(path=str(SHOTS / f"{path}-map-{lang}-hover.png"))
    assert watched.console_errors == [] and watched.external == []


def test_english_labels(server, watched) -> None:
    page = watched.page
    page.goto(f"{server}/leaderboard?round=2022&level=county&lang=en")
    wait_rendered(page, [TABLE, PLOTLY])
    watched.screenshot("leaderboard-en")
    assert page.get_by_role("heading", name="Leaderboard").count() == 1


def test_clicking_a_unit_opens_its_profile(server, watched) -> None:
    page = watched.page
    page.goto(f"{server}/leaderboard?round=2022&level=city")
    wait_rendered(page, [TABLE, PLOTLY])
    grid = page.locator(TABLE).first.bounding_box()
    # The first data row's selection checkbox: left column, just below the header row.
    page.mouse.click(grid["x"] + 18, grid["y"] + 35 + 18)
    page.wait_for_url("**/profile?*unit=330100*", timeout=30_000)
    wait_rendered(page, [PLOTLY])
    watched.screenshot("profile-from-leaderboard")
    assert page.get_by_text("杭州市").count() > 0
    assert watched.external == []


def test_every_registered_page_is_covered() -> None:
    from evalcore.navigation import PAGES as REGISTRY

    assert {p.url_path for p in REGISTRY} == {p[0] for p in PAGES_ALL}
