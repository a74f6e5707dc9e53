"""What the frame offers, in real headless Chromium: the very first visitor of a freshly
started server gets the registered navigation (never Streamlit's list of the files in pages/,
whose links such as /app, /criterion or /data lead nowhere or to pages not theirs), and a
read-only instance offers no sign-in and no data management."""

from __future__ import annotations

import pytest

from evalcore.labels import t
from evalcore.navigation import DEFAULT_PAGE, PAGES
from tests.e2e.test_pages_e2e import PLOTLY, TABLE, wait_rendered

pytestmark = pytest.mark.e2e

# Every path the sidebar navigation ever links to, from the first paint on.
RECORD_LINKS = """
window.__navLinks = new Set();
new MutationObserver(() => {
  for (const a of document.querySelectorAll('[data-testid="stSidebarNav"] a')) {
    window.__navLinks.add(new URL(a.href).pathname);
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
# The default page is served at "/"; the data page is listed only for users who may import.
PUBLIC_NAVIGATION = {"/"} | {f"/{p.url_path}" for p in PAGES if p.url_path != DEFAULT_PAGE}


def links_seen(page) -> set[str]:
    return set(page.evaluate("[...window.__navLinks]"))


@pytest.mark.parametrize(("path", "selectors"), [("leaderboard?round=2022", [TABLE, PLOTLY]),
                                                 ("", ['[data-testid="stPageLink"]'])],
                         ids=["deep-link", "root"])
def test_the_first_visitor_of_a_fresh_server_sees_the_registered_navigation(
        fresh_server, watched, path, selectors) -> None:
    page = watched.page
    page.add_init_script(RECORD_LINKS)
    page.goto(f"{fresh_server}/{path}")
    wait_rendered(page, selectors)
    watched.screenshot(f"first-visitor-{path.split('?')[0] or 'home'}")
    assert links_seen(page) == PUBLIC_NAVIGATION
    assert page.locator('[data-testid="stException"]').count() == 0
    assert watched.console_errors == [] and watched.external == []


def test_a_read_only_instance_offers_no_sign_in_and_no_data_page(read_only_server,
                                                                 watched) -> None:
    page = watched.page
    page.add_init_script(RECORD_LINKS)
    page.goto(f"{read_only_server}/leaderboard?round=2023&level=city")
    wait_rendered(page, [TABLE, PLOTLY])
    assert links_seen(page) == PUBLIC_NAVIGATION  # no /data
    assert page.get_by_text("🔐 登录").count() == 0 and page.get_by_label("密码").count() == 0
    assert page.get_by_text("2022 · 设区市").count() > 0  # the public's latest round
    page.goto(f"{read_only_server}/data")
    page.get_by_text(t("data_read_only", "zh")).wait_for(timeout=30_000)
    watched.screenshot("data-read-only")
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert watched.console_errors == [] and watched.external == []
