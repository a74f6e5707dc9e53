"""The Content-Security-Policy of deploy/nginx-security.conf, as the browser applies it: every
page renders its charts and maps, and an administrator signs in and uploads a file, with no
violation. The header is added here to each page the server sends, as nginx adds it.

A page answered by the test (route.fulfill) rather than by the network counts for Chromium as
coming from outside the local network, and its Local Network Access checks then block its
websocket to 127.0.0.1: this test's browser runs with those checks off (nginx needs no such
thing; the page and the websocket come from one origin there)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from evalcore.paths import ROOT
from tests.e2e.conftest import ADMIN, CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, Watched
from tests.e2e.test_data_e2e import sign_in
from tests.e2e.test_pages_e2e import PAGES, wait_rendered

pytestmark = pytest.mark.e2e

CONF = ROOT / "deploy" / "nginx-security.conf"
REPORT = """document.addEventListener('securitypolicyviolation', e => console.error(
  'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '')))"""


def policy() -> str:
    [csp] = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;',
                       CONF.read_text(encoding="utf-8"))
    return csp


@pytest.fixture(scope="module")
def lna_off_browser(browser):
    """A second Chromium from the session's Playwright, with Local Network Access off."""
    other = browser.browser_type.launch(executable_path=CHROMIUM, args=[
        *CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"])
    yield other
    other.close()


@pytest.fixture
def csp_page(lna_off_browser):
    csp = policy()
    context = lna_off_browser.new_context(viewport={"width": 1400, "height": 1000},
                                          locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    watched = Watched(page)  # blocks and records requests leaving loopback

    def with_policy(route) -> None:
        local = urlparse(route.request.url).hostname in LOCAL_HOSTS
        if route.request.resource_type != "document" or not local:
            route.fallback()
            return
        response = route.fetch()
        route.fulfill(response=response,
                      headers={**response.headers, "content-security-policy": csp})

    page.route("**/*", with_policy)
    page.add_init_script(REPORT)
    yield watched
    context.close()


def violations(watched) -> list[str]:
    return [e for e in watched.console_errors
            if "Content Security Policy" in e or "CSP violation" in e]


@pytest.mark.parametrize(("path", "query", "selectors"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_renders_under_the_policy(server, csp_page, path, query, selectors) -> None:
    page = csp_page.page
    page.goto(f"{server}/{'' if path == 'home' else path}?{query}")
    wait_rendered(page, selectors)
    assert violations(csp_page) == []


def test_sign_in_and_upload_under_the_policy(server, csp_page, tmp_path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("unit_code,A1\n火星区,1\n", encoding="utf-8")
    page = csp_page.page
    page.goto(f"{server}/")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    sign_in(page, *ADMIN)
    page.get_by_role("link", name="数据管理").click(timeout=30_000)
    page.wait_for_selector('[data-testid="stFileUploader"]')
    # the scores uploader: the first (bonus cases and deductions have theirs below)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(csv))
    page.get_by_text("文件未通过校验").first.wait_for(timeout=30_000)  # uploaded, read, refused
    assert violations(csp_page) == [] and csp_page.external == []
