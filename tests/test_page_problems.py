"""The problems page (整改): offered to accounts that may read problems, never the public;
each role sees its own units' problems (a unit its own, a group its inspected units, the
third party, leaders and administrators all) and the forms it may use; writes through the
page are audited, refusals said in the user's language with nothing written."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from evalcore import actions
from evalcore import actions_problems as ap
from evalcore.db import Store
from tests.pages_helper import open_page, private_copy


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

YEAR = 2023
GROUP = {"group_city_code": "330200"}  # 宁波 leads the group inspecting 绍兴 in 2023
UNIT = {"unit_code": "330602"}  # 越城区, 绍兴


def _seed(db: Path) -> None:
    """Three problems of 2023: 越城区 open (deadline passed), 柯桥区 answered, 西湖区 closed;
    and one of the published 2022, 越城区's, open."""
    now = datetime(2024, 1, 10)
    with Store(db, read_only=False) as store:
        for unit, text in (("330602", "楼道堆物未清理"), ("330603", "雨污分流不彻底"),
                           ("330106", "加装电梯未验收")):
            ap.record_problem(store, actions.CLI, YEAR, unit, text, "major", date(2024, 3, 31),
                              now=now)
        ap.record_problem(store, actions.CLI, 2022, "330602", "2022 年的问题", "minor",
                          date(2022, 12, 31), now=now)  # 4: of the published round
        ap.answer_problem(store, actions.CLI, 2, "已完成管网改造", now=now)
        ap.answer_problem(store, actions.CLI, 3, "已验收", now=now)
        ap.close_problem(store, actions.CLI, 3, now=now)


@pytest.fixture(scope="module")
def seeded(demo_db_path: Path, tmp_path_factory) -> Path:
    """A copy with the three problems, shared by the read-only tests."""
    db = private_copy(demo_db_path)
    _seed(db)
    return db


@pytest.fixture
def writable(demo_db_path: Path) -> Path:
    db = private_copy(demo_db_path)
    _seed(db)
    return db


def _store(db: Path) -> Store:
    from evalcore.ui.loaders import _store as cached

    return cached(str(db))  # the app's own connection (it holds the file read-write)


def page(seeded_db: Path, demo_db_path: Path, monkeypatch, role, codes=None, lang="zh",
         private: Path | None = None):
    return open_page(demo_db_path, monkeypatch, "problems", role=role, codes=codes,
                     private=private or seeded_db, round=str(YEAR), lang=lang)


def listed(at):
    """The problem list (its first column is the problem's number), or None."""
    tables = [d.value for d in at.dataframe if d.value.columns[0] in ("编号", "No.")]
    return tables[0] if tables else None


def ids_listed(at) -> list[int]:
    return sorted(int(i) for i in listed(at).iloc[:, 0])


def test_the_public_is_not_offered_the_page(demo_db_path, monkeypatch) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(demo_db_path, monkeypatch, "problems")


@pytest.mark.parametrize(("role", "codes", "ids", "tabs"), [
    ("leader", None, [1, 2, 3], ["问题清单", "按单位统计"]),
    ("admin", None, [1, 2, 3], ["问题清单", "按单位统计", "记录问题", "报送整改", "销号或退回"]),
    ("third_party", None, [1, 2, 3], ["问题清单", "按单位统计", "记录问题", "销号或退回"]),
    ("group", GROUP, [1, 2], ["问题清单", "按单位统计", "记录问题", "销号或退回"]),
    ("unit", UNIT, [1], ["问题清单", "按单位统计", "报送整改"]),
])
def test_each_role_sees_its_units_and_its_forms(seeded, demo_db_path, monkeypatch, role,
                                               codes, ids, tabs) -> None:
    at = page(seeded, demo_db_path, monkeypatch, role, codes)
    assert at.title[0].value == "🛠️ 问题整改"
    assert [t.label for t in at.tabs] == tabs
    assert ids_listed(at) == ids
    recorded = [m for m in at.metric if m.label == "发现问题"]
    assert recorded[0].value == str(len(ids))


def test_english_labels_and_the_overdue_flag(seeded, demo_db_path, monkeypatch) -> None:
    at = page(seeded, demo_db_path, monkeypatch, "leader", lang="en")
    assert at.title[0].value == "🛠️ Problems & rectification"
    table = listed(at)
    row = table.set_index("No.").loc[1]
    assert row["Status"] == "open" and row["Overdue"] == "⚠️ overdue"  # past 2024-03-31
    assert table.set_index("No.").loc[3, "Overdue"] == ""  # closed: never overdue
    assert {m.label: m.value for m in at.metric} == {
        "Recorded": "3", "Not closed": "2", "Overdue": "2", "Closed": "1"}
    at.checkbox(key="problems.f_overdue").check().run()
    assert ids_listed(at) == [1, 2]
    at.selectbox(key="problems.f_status").set_value("closed").run()
    assert listed(at) is None
    assert "No problem matches." in [i.value for i in at.info]


def test_a_group_records_a_problem_for_an_inspected_unit(writable, demo_db_path,
                                                        monkeypatch) -> None:
    at = page(writable, demo_db_path, monkeypatch, "group", GROUP, private=writable)
    units = at.selectbox(key="problems.unit").options
    assert len(units) == 7 and all("(3306" in u for u in units)  # 绍兴 and its counties
    at.selectbox(key="problems.unit").set_value("330603")
    at.text_area(key="problems.description").input("消防通道被占用")
    at.selectbox(key="problems.indicator").set_value("B3")
    at.button(key="problems.record").click().run()
    assert at.success[0].value.startswith("已记录问题，审计编号")
    row = _store(writable).problem_row(5).iloc[0]
    assert (row["unit_code"], row["found_by"], row["found_stage"], row["indicator_code"]) == (
        "330603", "group:test-group", "cross", "B3")


def test_an_empty_description_is_refused_and_nothing_written(writable, demo_db_path,
                                                            monkeypatch) -> None:
    at = page(writable, demo_db_path, monkeypatch, "group", GROUP, private=writable)
    before = _store(writable).table_counts()
    at.button(key="problems.record").click().run()
    assert [e.value for e in at.error] == ["问题描述不能为空"]
    assert _store(writable).table_counts() == before


def test_the_unit_answers_in_english(writable, demo_db_path, monkeypatch) -> None:
    at = page(writable, demo_db_path, monkeypatch, "unit", UNIT, lang="en", private=writable)
    assert at.selectbox(key="problems.answer_id").options[0].startswith("#1 · 越城区 (330602) · 楼道")
    at.text_area(key="problems.answer").input("Cleared and photographed")
    at.button(key="problems.submit_answer").click().run()
    assert at.success[0].value.startswith("Answer sent; audit entry")
    assert _store(writable).problem_row(1).iloc[0]["status"] == "answered"


def test_only_the_finder_or_an_admin_signs_off(writable, demo_db_path, monkeypatch) -> None:
    """Problem 2 was found by the command line: a group is not offered it, an admin is; a
    group signs off what it found itself."""
    at = page(writable, demo_db_path, monkeypatch, "group", GROUP, private=writable)
    assert "没有已报送、待销号的问题。" in [i.value for i in at.info]
    at = page(writable, demo_db_path, monkeypatch, "admin", private=writable)
    at.selectbox(key="problems.review_id").set_value(2)
    at.text_area(key="problems.review_note").input("照片不清楚")
    at.button(key="problems.return").click().run()
    assert at.success[0].value.startswith("已退回")
    row = _store(writable).problem_row(2).iloc[0]
    assert (row["status"], row["review_note"]) == ("returned", "照片不清楚")


def test_a_group_signs_off_what_it_found(writable, demo_db_path, monkeypatch) -> None:
    at = page(writable, demo_db_path, monkeypatch, "group", GROUP, private=writable)
    at.selectbox(key="problems.unit").set_value("330602")
    at.text_area(key="problems.description").input("消防通道被占用")
    at.button(key="problems.record").click().run()
    ap.answer_problem(_store(writable), actions.CLI, 5, "已清理")
    import streamlit as st

    st.cache_data.clear()  # written beside the app: its loaders would not know
    at.run()
    assert at.selectbox(key="problems.review_id").options == ["#5 · 越城区 (330602) · 消防通道被占用"]
    at.button(key="problems.close").click().run()
    assert at.success[0].value.startswith("已销号")
    assert _store(writable).problem_row(5).iloc[0]["closed_by"] == "group:test-group"


# -- the unit profile's counts ---------------------------------------------------------------

def _profile_counts(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric if m.label in (
        "发现问题", "未销号", "逾期", "已销号", "Recorded", "Not closed", "Overdue", "Closed")}


def test_the_profile_counts_problems_for_those_who_may_read_them(seeded, demo_db_path,
                                                                 monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", role="leader", private=seeded,
                   round="2023", unit="330600", lang="en")
    assert "Problems and rectification" in [h.value for h in at.subheader]
    # 绍兴 with its counties: 越城区 open and overdue, 柯桥区 answered and overdue
    assert _profile_counts(at) == {"Recorded": "2", "Not closed": "2", "Overdue": "2",
                                   "Closed": "0"}
    at = open_page(demo_db_path, monkeypatch, "profile", role="unit", codes=UNIT,
                   private=seeded, round="2023", unit="330602")
    assert _profile_counts(at) == {"发现问题": "1", "未销号": "1", "逾期": "1", "已销号": "0"}


@pytest.mark.parametrize(("role", "codes"), [(None, None), ("unit", {"unit_code": "330106"})])
def test_the_public_and_other_units_see_nothing_of_problems(seeded, demo_db_path, monkeypatch,
                                                            role, codes) -> None:
    at = open_page(demo_db_path, monkeypatch, "profile", role=role, codes=codes,
                   private=seeded, round="2022", unit="330602")
    assert "问题整改" not in [h.value for h in at.subheader]
    assert not _profile_counts(at)
