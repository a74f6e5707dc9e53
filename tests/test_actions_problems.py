"""Problems and rectification (整改): recording, answering, signing off and sending back, each
audited and versioned; every bad input refused with its message and nothing written."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from evalcore import actions
from evalcore import actions_problems as ap
from evalcore.access import Viewer
from evalcore.db import Store, StoreError
from evalcore.messages import render
from tests.test_evidence import PDF, PNG


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

DRAFT, PUBLISHED = 2023, 2022
GROUP = Viewer("group", group_city_code="330200")  # 宁波 leads the group inspecting 绍兴 (2023)
UNIT = Viewer("unit", unit_code="330602")  # 越城区, 绍兴
OTHER_UNIT = Viewer("unit", unit_code="330106")  # 西湖区, 杭州
THIRD = Viewer("third_party")
NOW = datetime(2024, 1, 10, 9, 0)


class Accounts:
    """The accounts an action re-reads: one account per name, with its rights."""

    def __init__(self, **viewers: Viewer) -> None:
        self.viewers = viewers

    def current_account(self, username: str):
        v = self.viewers.get(username)
        return None if v is None else SimpleNamespace(
            role=v.role, unit_code=v.unit_code, group_city_code=v.group_city_code)


ACCOUNTS = Accounts(group=GROUP, other_group=Viewer("group", group_city_code="330100"),
                    unit=UNIT, other_unit=OTHER_UNIT, third=THIRD, admin=Viewer("admin"),
                    leader=Viewer("leader"))


def actor(name: str) -> actions.Actor:
    return actions.Actor(name, ACCOUNTS)


@pytest.fixture
def store(demo_db_path: Path, tmp_path: Path):
    path = tmp_path / "p.duckdb"
    shutil.copyfile(demo_db_path, path)
    with Store(path, read_only=False) as s:
        yield s


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


def community_of(store: Store, county: str) -> str:
    rows = store.community_rows()
    return str(rows.loc[rows["county_code"] == county, "id"].sort_values().iloc[0])


def record(store: Store, who: str = "group", unit: str = "330602", **changes):
    fields = {"description": "楼道堆物未清理", "severity": "major",
              "deadline": date(DRAFT + 1, 3, 31)} | changes
    return ap.record_problem(store, actor(who), DRAFT, unit, now=NOW, **fields)


def refused(store: Store, root: Path | None, call, code: str) -> StoreError:
    """`call` is refused with `code`, and nothing is written: no row, no entry, no file."""
    before = store.table_counts()
    with pytest.raises(StoreError) as caught:
        call()
    assert caught.value.message.code == code, caught.value
    assert store.table_counts() == before
    if root is not None:
        assert not root.exists() or not any(root.rglob("*"))
    return caught.value


# -- the whole flow -----------------------------------------------------------------------

def test_record_answer_return_answer_close(store: Store, root: Path) -> None:
    community = community_of(store, "330602")
    found = ap.record_problem(store, actor("group"), DRAFT, "330602", "楼道堆物未清理", "major",
                              date(2024, 3, 31), community_id=community, indicator_code="B3",
                              files=[("现场.png", PNG)], root=root, now=NOW)
    assert found.problem_ids == [1]
    row = store.problem_row(1).iloc[0]
    assert (row["found_stage"], row["found_by"], row["status"]) == ("cross", "group:group",
                                                                    "open")
    assert row["community_id"] == community and row["indicator_code"] == "B3"
    files = store.evidence_rows(DRAFT, GROUP, subject="problem")
    assert files["subject_key"].tolist() == ["1"] and (root / files["sha256"][0][:2]).exists()

    ap.answer_problem(store, actor("unit"), 1, "已清理", files=[("整改.pdf", PDF)], root=root,
                      now=NOW)
    assert store.problem_row(1).iloc[0]["status"] == "answered"
    assert store.evidence_rows(DRAFT, UNIT, subject="rectification")["subject_key"].tolist() \
        == ["1"]
    ap.return_problem(store, actor("group"), 1, "照片看不清", now=NOW)
    row = store.problem_row(1).iloc[0]
    assert (row["status"], row["review_note"]) == ("returned", "照片看不清")
    ap.answer_problem(store, actor("unit"), 1, "已重新清理并拍照", now=NOW)
    entry = ap.close_problem(store, actor("group"), 1, now=NOW)
    row = store.problem_row(1).iloc[0]
    assert (row["status"], row["closed_by"], row["answer"]) == ("closed", "group:group",
                                                                "已重新清理并拍照")
    log = store.audit_entries()
    assert log["action"].head(7).tolist() == [
        "close-problem", "answer-problem", "return-problem", "add-evidence",
        "answer-problem", "add-evidence", "record-problem"]
    # versioned: reverting the sign-off puts the answered problem back
    assert len(store.changes(entry)) == 1
    actions.revert(store, actions.CLI, entry)
    assert store.problem_row(1).iloc[0]["status"] == "answered"


def test_ids_are_allocated_in_order_and_an_admin_signs_off_anyones(store: Store) -> None:
    assert record(store).problem_ids == [1]
    assert record(store, "third", unit="330106").problem_ids == [2]
    assert store.problem_row(2).iloc[0]["found_stage"] == "third_party"
    ap.answer_problem(store, actor("other_unit"), 2, "已整改", now=NOW)
    ap.close_problem(store, actor("admin"), 2, "同意销号", now=NOW)
    assert store.problem_row(2).iloc[0]["closed_by"] == "admin:admin"


def test_problem_metric_rows_follow_results_not_problems(store: Store) -> None:
    record(store)
    assert store.problems(DRAFT, Viewer("public")).empty  # the public never reads problems
    assert store.problem_metric_rows(DRAFT, Viewer("public")).empty  # a draft: no results
    assert store.problem_metric_rows(DRAFT, UNIT)["unit_code"].tolist() == ["330602"]
    assert store.problems(DRAFT, OTHER_UNIT).empty


# -- bad input: each refused with its message, nothing written ----------------------------

def test_signed_off_by_someone_else_than_its_finder_or_an_admin(store: Store) -> None:
    record(store)
    ap.answer_problem(store, actor("unit"), 1, "已清理", now=NOW)
    error = refused(store, None, lambda: ap.close_problem(store, actor("third"), 1, now=NOW),
                    "problem_not_finder")
    assert render(error.message, "zh") == ("只有发现问题 1 的账号（group:group）或管理员可以销号或退回，"
                                           "未写入任何数据")
    assert "only the account that found problem 1" in render(error.message, "en")
    refused(store, None, lambda: ap.return_problem(store, actor("other_group"), 1, "不行"),
            "problem_not_finder")
    refused(store, None, lambda: ap.close_problem(store, actor("unit"), 1), "store_not_allowed")
    refused(store, None, lambda: ap.close_problem(store, actor("leader"), 1),
            "store_not_allowed")


def test_answered_by_another_unit(store: Store) -> None:
    record(store)
    error = refused(store, None, lambda: ap.answer_problem(store, actor("other_unit"), 1, "x"),
                    "problem_not_your_unit")
    assert render(error.message, "zh") == ("问题 1 属于越城区 (330602)：您只能报送本单位问题的整改情况，"
                                           "未写入任何数据")
    assert render(error.message, "en").startswith("problem 1 belongs to 越城区 (330602)")
    refused(store, None, lambda: ap.answer_problem(store, actor("group"), 1, "x"),
            "store_not_allowed")


def test_recorded_by_a_group_for_a_unit_it_does_not_inspect(store: Store) -> None:
    error = refused(store, None, lambda: record(store, unit="330106"), "problem_not_inspected")
    assert render(error.message, "zh") == ("您的检查组在 2023 年度不检查西湖区 (330106)，不能为其记录问题，"
                                           "未写入任何数据")
    assert "does not inspect 西湖区 (330106) in 2023" in render(error.message, "en")


def test_only_finders_roles_record_and_only_in_a_draft_round(store: Store) -> None:
    refused(store, None, lambda: record(store, "unit"), "store_not_allowed")
    refused(store, None, lambda: record(store, "leader"), "store_not_allowed")
    refused(store, None, lambda: ap.record_problem(
        store, actor("group"), PUBLISHED, "330602", "x", "minor", date(2022, 12, 1)),
            "store_not_allowed")


@pytest.mark.parametrize(("changes", "code", "zh"), [
    ({"community_id": "330106-2019-001"}, "problem_unknown_community",
     "小区“330106-2019-001”不存在或不属于330602"),
    ({"community_id": "nowhere"}, "problem_unknown_community", "小区“nowhere”不存在或不属于330602"),
    ({"indicator_code": "Z9"}, "problem_unknown_indicator", "指标“Z9”不在本年度的评分标准中"),
    ({"description": "  "}, "problem_text_empty", "问题描述不能为空"),
    ({"deadline": date(2022, 12, 31)}, "problem_deadline_out_of_range",
     "整改期限 2022-12-31 不在 2023 年至 2026 年之间（不能早于考评年度）"),
    ({"deadline": None}, "problem_deadline_missing", "缺少整改期限（日期，格式 YYYY-MM-DD）"),
    ({"severity": "fatal"}, "not_one_of", "“fatal”不是可选值之一：minor、major、serious"),
])
def test_bad_fields_refused(store: Store, changes, code, zh) -> None:
    error = refused(store, None, lambda: record(store, **changes), code)
    assert render(error.message, "zh") == zh


def test_several_bad_fields_are_named_together(store: Store) -> None:
    error = refused(store, None, lambda: record(store, description="", indicator_code="Z9"),
                    "problem_refused")
    assert "问题描述不能为空" in render(error.message, "zh")
    assert "indicator 'Z9' is not in this round's rubric" in render(error.message, "en")


def test_evidence_of_a_refused_type_writes_nothing(store: Store, root: Path) -> None:
    def with_zip():
        return record(store, files=[("照片.png", b"PK\x03\x04" + b"\0" * 40)], root=root)

    error = refused(store, root, with_zip, "evidence_type")
    assert render(error.message, "zh").startswith("照片.png：只接受以下类型的佐证材料")
    record(store)
    error = refused(store, root, lambda: ap.answer_problem(
        store, actor("unit"), 1, "已整改", files=[("a.exe", b"MZ" + b"\0" * 64)], root=root),
        "evidence_type")
    assert store.problem_row(1).iloc[0]["status"] == "open"


def test_state_rules(store: Store) -> None:
    record(store)
    refused(store, None, lambda: ap.close_problem(store, actor("group"), 1),
            "problem_not_reviewable")
    refused(store, None, lambda: ap.return_problem(store, actor("group"), 1, ""),
            "problem_text_empty")
    refused(store, None, lambda: ap.answer_problem(store, actor("unit"), 1, " "),
            "problem_text_empty")
    refused(store, None, lambda: ap.answer_problem(store, actor("unit"), 99, "x"),
            "problem_missing")
    ap.answer_problem(store, actor("unit"), 1, "已整改", now=NOW)
    refused(store, None, lambda: ap.answer_problem(store, actor("unit"), 1, "again"),
            "problem_not_answerable")
    refused(store, None, lambda: ap.return_problem(store, actor("group"), 1, " "),
            "problem_text_empty")
