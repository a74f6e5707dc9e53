"""Online entry in real headless Chromium: a county user signs in, opens 在线填报, types a
score and a note, saves the draft, uploads an evidence file, and reads the page in Chinese and
in English; the public cannot reach the page."""

from __future__ import annotations

import pytest

from evalcore import auth
from tests.e2e.conftest import served
from tests.e2e.test_data_e2e import sign_in
from tests.test_evidence import PDF

pytestmark = pytest.mark.e2e

UNIT = ("e2e-xihu", "correct horse battery staple")


@pytest.fixture
def unit_server(demo_db_path, tmp_path):
    users = tmp_path / "users.duckdb"
    with auth.AccountStore(users) as accounts:
        accounts.add(*UNIT, "unit", unit_code="330106", display_name="西湖区住建局")
    folder = tmp_path / "server"
    folder.mkdir()
    with served(demo_db_path, folder, users) as url:
        yield url


def test_a_unit_saves_its_self_evaluation_with_evidence(unit_server, watched, tmp_path) -> None:
    page = watched.page
    page.goto(f"{unit_server}/")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    sign_in(page, *UNIT)
    page.get_by_text("已登录").wait_for(timeout=90_000)
    page.get_by_role("link", name="在线填报").click(timeout=90_000)
    page.get_by_text("A1 · 领导小组").wait_for(timeout=90_000)
    first = page.get_by_label("得分（0–4）").first
    first.fill("3.5")
    page.get_by_label("说明").first.fill("政府主要领导任组长，全年召开会议3次")
    page.get_by_label("评分人").fill("张三")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("已保存草稿，审计编号").wait_for(timeout=90_000)
    settle(page)
    evidence = tmp_path / "会议纪要.pdf"
    evidence.write_bytes(PDF)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(evidence))
    page.locator('[data-testid="stFileUploader"]').get_by_text("会议纪要.pdf").wait_for(
        timeout=30_000)
    settle(page)
    page.get_by_role("button", name="上传佐证材料").click()
    page.get_by_text("已上传佐证材料 会议纪要.pdf").wait_for(timeout=90_000)
    page.get_by_role("button", name="📎 A1 · 会议纪要.pdf").wait_for(timeout=90_000)
    page.get_by_text("A1 · 领导小组").wait_for(timeout=90_000)
    page.wait_for_timeout(2000)  # the rerun's last elements
    shoot_top_and_evidence(watched, "zh", "佐证材料")

    page.locator('[data-testid="stSelectbox"]').first.click()
    page.keyboard.type("English")
    page.keyboard.press("Enter")
    page.get_by_text("Status: draft (not submitted).").wait_for(timeout=90_000)
    page.get_by_text("A1 · Leading group").wait_for(timeout=90_000)
    settle(page)
    assert page.get_by_text("市县自评").count() == 0  # the stage selector in English too
    shoot_top_and_evidence(watched, "en", "Evidence files")
    assert watched.console_errors == [] and watched.external == []


def settle(page) -> None:
    """Wait until the app's rerun has finished (its running indicator gone)."""
    page.wait_for_timeout(1000)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(500)


def shoot_top_and_evidence(watched, lang: str, header: str) -> None:
    """The page's top (selectors, state, the first indicators) and its evidence and submit
    part: Streamlit scrolls inside its own container, so two views rather than one."""
    page = watched.page
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.get_by_role("heading", name="✍️").first.scroll_into_view_if_needed()
    watched.screenshot(f"entry-unit-{lang}")
    page.get_by_role("heading", name=header).scroll_into_view_if_needed()
    watched.screenshot(f"entry-unit-{lang}-evidence")


def test_public_deep_link_shows_no_entry(server, watched) -> None:
    page = watched.page
    page.goto(f"{server}/entry")
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    page.wait_for_timeout(3000)
    assert page.get_by_text("在线填报").count() == 0
    assert page.locator('[data-testid="stNumberInput"]').count() == 0
