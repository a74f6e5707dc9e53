"""The public display in real headless Chromium: every public page on phones (390×844 and
360×800: no sideways scrolling, selectors without the sidebar, 44 px controls, the map whole,
axe clean), the evaluation pages' accessibility on a phone, and the big screen on a 1920×1080
display (no chrome, no scrolling, large type, panels turning, a newly published round shown
within one rotation). Screenshots: test-output/screenshots/public-*.png and screen-*.png."""

from __future__ import annotations

import time

import pytest

from evalcore.labels import t
from evalcore.navigation import PUBLIC_PAGES
from tests.e2e.a11y import PHONES, serious_violations, shoot, small_tap_targets, widths
from tests.e2e.conftest import ADMIN, Watched
from tests.e2e.test_data_e2e import sign_in
from tests.e2e.test_pages_e2e import PAGES_ALL, wait_rendered

pytestmark = pytest.mark.e2e

QUERIES = {path: (query, selectors) for path, query, selectors in PAGES_ALL}
SELECTORS_ROW = '[data-testid="stMain"] .st-key-frame-selectors'
# Each public page in Chinese on the larger phone and in English on the smaller one.
PHONE_CASES = [(path, size, lang) for path in PUBLIC_PAGES
               for size, lang in (("390x844", "zh"), ("360x800", "en"))]


@pytest.fixture
def phone(browser, request):
    """A phone-sized touch page (the size comes from the test's `size` parameter)."""
    width, height = PHONES[request.node.callspec.params["size"]]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield Watched(page)
    context.close()


@pytest.mark.parametrize(("path", "size", "lang"), PHONE_CASES,
                         ids=[f"{p}-{s}-{lang}" for p, s, lang in PHONE_CASES])
def test_public_page_on_a_phone(server, phone, path, size, lang) -> None:
    query, selectors = QUERIES[path]
    page = phone.page
    page.goto(f"{server}/{'' if path == 'home' else path}?{query}&lang={lang}")
    wait_rendered(page, selectors)
    shoot(page, f"public-{path}-{size}-{lang}")
    sizes = widths(page)
    assert sizes["document"] <= sizes["inner"] and sizes["main"] <= sizes["inner"], sizes
    # The sidebar is collapsed on a phone: round, level and language are on the page itself.
    assert page.locator('[data-testid="stSidebar"][aria-expanded="true"]').count() == 0
    row = page.locator(SELECTORS_ROW)
    assert row.is_visible() and row.locator('[data-testid="stSelectbox"]').count() >= 3
    assert small_tap_targets(page) == []
    assert serious_violations(page) == []
    assert page.get_by_text(t("page_failed", lang)).count() == 0
    assert phone.console_errors == [] and phone.external == []


@pytest.mark.parametrize("size", ["360x800"])
def test_the_map_shows_the_whole_province_on_a_phone(server, phone, size) -> None:
    """Every region is inside the window, Zhoushan's islands in the east included."""
    page = phone.page
    page.goto(f"{server}/map?round=2022&level=county")
    wait_rendered(page, ['.st-key-map-chart [data-testid="stPlotlyChart"] .main-svg'])
    box = page.evaluate("""() => {
        const paths = [...document.querySelectorAll('.st-key-map-chart .scatterlayer path.js-fill')];
        const rects = paths.map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
        return {left: Math.min(...rects.map(r => r.left)), right: Math.max(...rects.map(r => r.right)),
                width: innerWidth, regions: rects.length};
    }""")
    assert box["regions"] >= 4 and box["left"] >= 0 and box["right"] <= box["width"], box
    names = page.locator('.st-key-map-chart .textpoint text')
    assert names.count() == 11  # the cities are named over the county map
    assert {"杭州", "宁波", "舟山", "温州"} <= set(names.all_text_contents())


@pytest.mark.parametrize("size", ["390x844"])
@pytest.mark.parametrize("path", ["criteria", "bonus", "benchmark"])
def test_evaluation_pages_on_a_phone_are_accessible(server, phone, path, size) -> None:
    query, selectors = QUERIES[path]
    page = phone.page
    page.goto(f"{server}/{path}?{query}")
    wait_rendered(page, selectors)
    shoot(page, f"public-{path}-{size}")
    sizes = widths(page)
    assert sizes["document"] <= sizes["inner"], sizes
    assert serious_violations(page) == []


# -- the big screen -----------------------------------------------------------------------

@pytest.fixture
def display(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield Watched(page)
    context.close()


HEADLINE_VALUE = '.st-key-screen-headline [data-testid="stMetricValue"] p'
PANEL_TITLE = '.st-key-screen-body h3'


@pytest.mark.parametrize(("theme", "lang", "panel"), [("light", "zh", "map"),
                                                      ("dark", "en", "cities"),
                                                      ("dark", "zh", "ranking")])
def test_big_screen_fills_a_display(server, display, theme, lang, panel) -> None:
    page = display.page
    page.goto(f"{server}/screen?rotate=600&theme={theme}&lang={lang}&panel={panel}")
    wait_rendered(page, [HEADLINE_VALUE] + ([] if panel == "ranking" else
                                             ['[data-testid="stPlotlyChart"] .main-svg']))
    shoot(page, f"screen-{theme}-{lang}-{panel}")
    for chrome in ("stSidebar", "stHeader", "stToolbar", "stSidebarNav",
                   "stExpandSidebarButton"):
        assert not page.locator(f'[data-testid="{chrome}"]').is_visible(), chrome
    fits = page.evaluate("""() => ({tall: document.querySelector('[data-testid="stMain"]')
                                      .scrollHeight, high: innerHeight,
                                    wide: document.documentElement.scrollWidth, width: innerWidth})""")
    assert fits["tall"] <= fits["high"] and fits["wide"] <= fits["width"], fits
    size = page.locator(HEADLINE_VALUE).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 80  # read from across a room
    year = "2022年度" if lang == "zh" else "· 2022"
    assert year in page.locator('[data-testid="stMain"] h1').text_content()
    background = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")
    assert (background == "rgb(14, 26, 43)") is (theme == "dark")
    assert serious_violations(page) == []
    assert display.console_errors == [] and display.external == []


def test_big_screen_turns_its_panels(server, display) -> None:
    page = display.page
    page.goto(f"{server}/screen?rotate=2&lang=en")
    wait_rendered(page, [HEADLINE_VALUE])
    seen = []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(set(seen)) < 3:
        seen.append(page.locator(PANEL_TITLE).first.text_content())
        page.wait_for_timeout(700)
    assert len(set(seen)) >= 3, seen
    assert page.locator('[data-testid="stSidebar"]').is_visible() is False
    assert display.console_errors == [] and display.external == []


def test_big_screen_shows_a_newly_published_round_within_one_rotation(fresh_server, browser,
                                                                      display) -> None:
    """An administrator publishes 2023 on the data page; the screen, left alone, shows it at
    its next refresh."""
    rotate = 4
    screen = display.page
    screen.goto(f"{fresh_server}/screen?rotate={rotate}&panel=map")
    wait_rendered(screen, [HEADLINE_VALUE])
    assert "2022年度" in screen.locator('[data-testid="stMain"] h1').text_content()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    try:
        admin = context.new_page()
        admin.goto(f"{fresh_server}/")
        admin.wait_for_selector('[data-testid="stAppViewContainer"]')
        sign_in(admin, *ADMIN)
        admin.get_by_role("link", name=t("page_data", "zh")).click(timeout=30_000)
        admin.get_by_role("tab", name=t("tab_publish", "zh")).click()
        admin.get_by_role("button", name=f"{t('publish', 'zh')} 2023").click()
        admin.get_by_text("已发布，审计编号").wait_for(timeout=30_000)
        published = time.monotonic()
    finally:
        context.close()
    screen.get_by_role("heading", name="2023年度").first.wait_for(timeout=(rotate + 8) * 1000)
    waited = time.monotonic() - published
    # The rest of the screen follows as the refresh draws it (its numbers computed afresh).
    screen.get_by_text("2023年已开工小区").wait_for(timeout=30_000)
    screen.get_by_text("2023年开工目标完成率").wait_for(timeout=30_000)
    shoot(screen, "screen-after-publishing")
    assert waited <= rotate + 3, waited  # one rotation, and the refresh's own time
    assert display.console_errors == [] and display.external == []
