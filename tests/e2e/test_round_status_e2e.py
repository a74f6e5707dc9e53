"""The round status page in real headless Chromium (issue 11): an administrator and a unit
user open 考评进度 / Round status from the menu, in Chinese and in English; the public is not
offered it. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from evalcore import auth
from evalcore.labels import t
from tests.e2e.conftest import ADMIN, served


@pytest.fixture(scope="session")
def demo_db_path(workflow_demo_db_path):
    """This module tests the demo's round workflow in progress (the shipped demo)."""
    return workflow_demo_db_path

pytestmark = pytest.mark.e2e

UNIT = ("e2e-xihu", "correct horse battery staple")


@pytest.fixture(scope="module")
def status_server(demo_db_path, tmp_path_factory):
    users = tmp_path_factory.mktemp("status-users") / "users.duckdb"
    with auth.AccountStore(users) as accounts:
        accounts.add(*ADMIN, "admin", display_name="E2E 管理员")
        accounts.add(*UNIT, "unit", unit_code="330106", display_name="西湖区住建局")
    folder = tmp_path_factory.mktemp("status-server")
    with served(demo_db_path, folder, users) as url:
        yield url


def _open_as(page, url: str, account: tuple[str, str], lang: str) -> None:
    page.goto(f"{url}/?round=2023&level=county&lang={lang}")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.get_by_text(t("login", lang)).click()
    page.get_by_label(t("username", lang)).fill(account[0])
    page.get_by_role("textbox", name=t("password", lang)).fill(account[1])
    page.get_by_role("button", name=t("login", lang).removeprefix("🔐 ")).click()
    page.get_by_text(t("signed_in_as", lang).rstrip("：")).first.wait_for(timeout=90_000)
    page.get_by_role("link", name=t("page_round_status", lang)).click(timeout=90_000)
    page.get_by_text(t("status_units", lang)).wait_for(timeout=90_000)
    # The public saw the last published round; signed in, the draft 2023 can be chosen.
    page.locator('[data-testid="stSelectbox"]').filter(has_text=t("round", lang)).click()
    page.get_by_role("option", name=re.compile("2023")).click()
    page.get_by_text("2024-03-25").first.wait_for(timeout=90_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', state="visible")
    page.wait_for_timeout(1500)  # the tables' canvases draw after they appear


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_sees_where_the_round_stands(status_server, watched, lang) -> None:
    page = watched.page
    _open_as(page, status_server, ADMIN, lang)
    assert page.get_by_text(t("status_unverified", lang)).count() >= 1
    assert page.get_by_text("2024-03-25").count() >= 1
    # Six tables once the rerun has drawn them all (on a loaded machine, not all at once).
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(6, timeout=90_000)
    watched.screenshot(f"round-status-admin-{lang}")
    # The app scrolls inside its own container: a second shot shows the lower tables.
    page.get_by_text(t("status_problems", lang)).first.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    watched.screenshot(f"round-status-admin-{lang}-lower")
    assert watched.console_errors == [] and watched.external == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_user_sees_its_own_unit(status_server, watched, lang) -> None:
    page = watched.page
    _open_as(page, status_server, UNIT, lang)
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2
    assert page.get_by_text("西湖区").count() >= 1
    watched.screenshot(f"round-status-unit-{lang}")
    assert watched.console_errors == [] and watched.external == []


def test_the_public_is_not_offered_the_status(status_server, watched) -> None:
    page = watched.page
    page.goto(f"{status_server}/round-status")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_timeout(3000)
    assert page.get_by_text("考评进度").count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
