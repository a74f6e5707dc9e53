"""Signing in through the real form, importing a file through the real uploader, and what
the public can reach: in real headless Chromium."""

from __future__ import annotations

import pytest

from evalcore.importer.scores import score_columns
from evalcore.rubric import load_rubric
from tests.e2e.conftest import ADMIN
from tests.e2e.test_pages_e2e import TABLE, wait_rendered

pytestmark = pytest.mark.e2e


def sign_in(page, username: str, password: str) -> None:
    page.get_by_text("🔐 登录").click()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_public_deep_link_to_data_page_shows_no_data_management(server, watched) -> None:
    page = watched.page
    page.goto(f"{server}/data")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_timeout(3000)
    watched.screenshot("data-public")
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.get_by_text("数据管理").count() == 0


def test_public_deep_link_to_the_draft_round_shows_published_data(server, watched) -> None:
    page = watched.page
    page.goto(f"{server}/leaderboard?round=2023&level=city")
    wait_rendered(page, [TABLE])
    assert page.get_by_text("2022 · 设区市").count() > 0
    assert page.get_by_text("草稿").count() == 0


def test_wrong_password_gives_the_generic_message(server, watched) -> None:
    page = watched.page
    page.goto(f"{server}/")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    sign_in(page, ADMIN[0], "wrong password!!")
    page.get_by_text("用户名或密码错误").wait_for(timeout=90_000)  # argon2 and the failure delay on a loaded machine
    assert page.get_by_text("用户名或密码错误").count() == 1


def test_admin_signs_in_and_imports_a_file(server, watched, tmp_path) -> None:
    rubric = load_rubric("zj-2020")
    n = len(rubric.manual_indicators())
    csv = tmp_path / "cross-2023.csv"
    csv.write_text(",".join(score_columns(rubric)) + "\n" +
                   ",".join(["西湖区", "", *["1.5"] * n, "第1组", "<script>alert(1)</script>"]),
                   encoding="utf-8")
    page = watched.page
    page.goto(f"{server}/")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    sign_in(page, *ADMIN)
    page.get_by_role("link", name="数据管理").click(timeout=30_000)
    page.wait_for_selector('[data-testid="stFileUploader"]')
    page.get_by_text("交叉互查").count()
    # the scores uploader: the first (bonus cases and deductions have theirs below)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(
        str(csv))
    page.get_by_text("校验通过").wait_for(timeout=30_000)
    watched.screenshot("data-preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入，审计编号").wait_for(timeout=30_000)
    watched.screenshot("data-imported")
    assert watched.console_errors == [] and watched.external == []
