"""Problems and rectification (整改) in real headless Chromium: an inspection group's user
signs in, opens 问题整改, records a problem with an evidence file; the same page in English;
the public cannot reach it. Screenshots: test-output/screenshots/problems-*.png."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from evalcore import actions, auth
from evalcore import actions_problems as ap
from evalcore.db import Store
from tests.e2e.conftest import served
from tests.test_evidence import PNG

pytestmark = pytest.mark.e2e
GROUP = ("e2e-group", "correct horse battery staple")


@pytest.fixture(scope="module")
def problems_server(demo_db_path, tmp_path_factory):
    """A server on a copy of the demo with three problems of 2023 (绍兴's units: one open
    and overdue, one answered, one closed), and a users database with the user of the
    group led by 宁波, which inspects 绍兴 in 2023."""
    folder = tmp_path_factory.mktemp("problems-e2e")
    db = folder / "seeded.duckdb"
    db.write_bytes(demo_db_path.read_bytes())
    now = datetime(2024, 1, 10)
    with Store(db, read_only=False) as store:
        for unit, text in (("330602", "楼道堆物未清理，消防通道受阻"), ("330603", "雨污分流不彻底"),
                           ("330604", "加装电梯未验收")):
            ap.record_problem(store, actions.CLI, 2023, unit, text, "major", date(2024, 3, 31),
                              now=now)
        ap.answer_problem(store, actions.CLI, 2, "已完成管网改造", now=now)
        ap.answer_problem(store, actions.CLI, 3, "已验收", now=now)
        ap.close_problem(store, actions.CLI, 3, now=now)
    users = folder / "users.duckdb"
    with auth.AccountStore(users) as accounts:
        accounts.add(*GROUP, "group", group_city_code="330200", display_name="宁波检查组")
    with served(db, folder, users) as url:
        yield url


def _sign_in(page, url: str, lang: str) -> None:
    page.goto(f"{url}/?round=2023&lang={lang}")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    zh = lang == "zh"
    page.get_by_text("🔐 登录" if zh else "🔐 Sign in").click()
    page.get_by_label("用户名" if zh else "Username").fill(GROUP[0])
    page.get_by_label("密码" if zh else "Password", exact=True).fill(GROUP[1])
    page.get_by_role("button", name="登录" if zh else "Sign in").click()
    page.get_by_text("已登录" if zh else "Signed in as").wait_for(timeout=90_000)


def _choose_2023(page, shown: str) -> None:
    """The draft round 2023 in the selector row (a signed-in page opens on the latest
    published round)."""
    page.get_by_text(shown).first.wait_for(timeout=90_000)  # the page, on 2022
    page.locator('[data-testid="stSelectbox"]').nth(1).click()  # language, round, level
    page.get_by_role("option").filter(has_text="2023").first.click()


def test_a_group_records_a_problem_with_evidence(problems_server, watched, tmp_path) -> None:
    page = watched.page
    _sign_in(page, problems_server, "zh")
    page.get_by_role("link", name="问题整改").click(timeout=90_000)
    _choose_2023(page, "2022 年度考评中发现的问题")
    page.get_by_text("2023 年度考评中发现的问题").wait_for(timeout=90_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', state="visible")
    watched.screenshot("problems-list-zh")
    page.get_by_role("tab", name="记录问题").click()
    page.get_by_label("问题描述").fill("小区消防通道被占用")
    evidence = tmp_path / "现场照片.png"
    evidence.write_bytes(PNG)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        str(evidence))
    page.get_by_text("现场照片.png").wait_for(timeout=30_000)
    page.get_by_role("button", name="记录问题").click()
    page.get_by_text("已记录问题，审计编号").wait_for(timeout=90_000)
    watched.screenshot("problems-recorded-zh")
    assert watched.console_errors == [] and watched.external == []


def test_the_page_in_english(problems_server, watched) -> None:
    page = watched.page
    _sign_in(page, problems_server, "en")
    page.get_by_role("link", name="Problems & rectification").click(timeout=90_000)
    _choose_2023(page, "Problems found in the 2022 round")
    page.get_by_text("Problems found in the 2023 round").wait_for(timeout=90_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', state="visible")
    watched.screenshot("problems-list-en")
    page.get_by_role("tab", name="By unit").click()
    page.get_by_role("tab", name="Sign off or send back").click()
    page.get_by_text("Only the account that found the problem").wait_for(timeout=30_000)
    watched.screenshot("problems-review-en")
    assert watched.console_errors == [] and watched.external == []


def test_the_public_cannot_reach_the_page(problems_server, watched) -> None:
    page = watched.page
    page.goto(f"{problems_server}/problems")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_timeout(3000)
    watched.screenshot("problems-public")
    assert page.get_by_text("问题整改").count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
