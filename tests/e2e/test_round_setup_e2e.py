"""Round setup in real headless Chromium: an administrator signs in, opens 年度设置, asks for
the rotation and saves it; the public cannot reach the page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ADMIN, served
from tests.e2e.test_data_e2e import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def own_server(demo_db_path, tmp_path):
    """A server no other test has signed in to."""
    with served(demo_db_path, tmp_path) as url:
        yield url


def test_admin_saves_the_suggested_rotation(own_server, watched) -> None:
    page = watched.page
    page.goto(f"{own_server}/")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    sign_in(page, *ADMIN)
    # A fresh server's first sign-in (argon2, then the whole frame rerun) can take a while on
    # a loaded 2-core machine: wait for its outcome, not a fixed time.
    page.get_by_text("已登录").wait_for(timeout=90_000)
    page.get_by_role("link", name="年度设置").click(timeout=90_000)
    page.get_by_role("tab", name="检查组").click()
    page.get_by_role("button", name="按轮换规则生成建议").click()
    page.get_by_text("以下为建议的轮换，尚未保存。").wait_for(timeout=90_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', state="visible")
    watched.screenshot("round-setup-groups")
    page.get_by_role("button", name="保存检查组").click()
    page.get_by_text("已保存检查组，审计编号").wait_for(timeout=90_000)
    page.get_by_role("tab", name="修改记录").click()
    page.get_by_role("button", name="撤销此修改").wait_for(timeout=90_000)
    watched.screenshot("round-setup-saved")
    assert watched.console_errors == [] and watched.external == []


def test_public_deep_link_shows_no_round_setup(server, watched) -> None:
    page = watched.page
    page.goto(f"{server}/round-setup")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_timeout(3000)
    assert page.get_by_text("年度设置").count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
