"""Bonus cases and deductions (evalcore/actions_bonus.py) and evidence (actions.add_evidence):
each write is audited, versioned and revertible; each bad input is refused with its message and
nothing is written (neither rows nor the audit log). Who may is walked in
tests/test_access_matrix.py."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pandas as pd
import pytest

from evalcore import actions, evidence
from evalcore import actions_bonus as ab
from evalcore.access import Viewer
from evalcore.db import Store
from evalcore.rubric import load_rubric
from evalcore.scoring import bonus as engine


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

AT = datetime(2024, 3, 1, 9, 0)
DRAFT, PUBLISHED = 2023, 2022
UNIT = "330602"  # 越城区, Shaoxing: inspected in 2023 by the group Ningbo leads
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Accounts:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    def current_account(self, username: str):
        from types import SimpleNamespace

        return SimpleNamespace(role=self.viewer.role, unit_code=self.viewer.unit_code,
                               group_city_code=self.viewer.group_city_code)


def actor(role: str, **codes) -> actions.Actor:
    return actions.Actor(role, Accounts(Viewer(role, **codes)))


UNIT_USER = actor("unit", unit_code=UNIT)
GROUP = actor("group", group_city_code="330200")  # inspects 绍兴 in 2023
OTHER_GROUP = actor("group", group_city_code="330100")
THIRD = actor("third_party")
ADMIN = actor("admin")


@pytest.fixture
def store(writable_db):
    with Store(writable_db, read_only=False) as store:
        yield store


@pytest.fixture
def root(tmp_path):
    return tmp_path / "evidence"


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hi")
    return buffer.getvalue()


def claim(store, root, who=UNIT_USER, files=(("合同.pdf", PDF),), year=DRAFT, **kw):
    args = {"category": "F1", "title": "停车设施引入社会资本", "description": "以停车收费回收投资",
            "amount_wan": 320.0, **kw}
    return ab.claim_case(store, who, root, year, UNIT, files=files, now=AT, **args)


def refused(store, code: str, act) -> actions.Refused:
    before = store.table_counts()
    with pytest.raises(actions.Refused) as caught:
        act()
    assert caught.value.message.code == code, caught.value
    assert store.table_counts() == before  # nothing written, not even an audit entry
    for lang in ("zh", "en"):
        assert caught.value.render(lang).strip()
    return caught.value


def cases(store: Store, unit: str = UNIT) -> pd.DataFrame:
    rows = store.bonus_case_rows(DRAFT)
    return rows[rows["unit_code"] == unit]


# -- claims ----------------------------------------------------------------------------------

def test_a_claim_with_evidence_is_stored_with_its_file_and_reverts(store, root) -> None:
    entry = claim(store, root)
    rows = cases(store)
    mine = rows[(rows["category_code"] == "F1") & (rows["stage"] == "self")]
    new = mine[mine["case_title"] == "停车设施引入社会资本"].iloc[0]
    assert new["points_claimed"] == 1.0 and new["amount_wan"] == 320.0
    assert new["recorded_by"] == "unit:unit" and pd.isna(new["points_awarded"])
    files = store.evidence_rows(DRAFT, subject="bonus_case", unit=UNIT)
    assert list(files["subject_key"]) == [f"self/F1/{int(new['case_no'])}"]
    assert evidence.read(root, files.iloc[0]["sha256"]) == PDF
    assert set(store.changes(entry)["table_name"]) == {"bonus_claims", "evidence"}
    store.revert(entry, actor="admin", at=AT)
    assert len(cases(store)) == len(rows) - 1
    assert store.evidence_rows(DRAFT).empty


def test_edit_then_withdraw_while_not_reviewed(store, root) -> None:
    claim(store, root)
    number = int(cases(store).query("category_code == 'F1'")["case_no"].max())
    claim(store, root, files=(), case_no=number, title="改：停车设施")  # stored evidence counts
    assert "改：停车设施" in set(cases(store)["case_title"])
    entry = ab.withdraw_case(store, UNIT_USER, DRAFT, UNIT, "F1", number, now=AT)
    assert "改：停车设施" not in set(cases(store)["case_title"])
    assert store.evidence_rows(DRAFT).empty
    store.revert(entry, actor="admin", at=AT)  # a withdrawal can be undone
    assert "改：停车设施" in set(cases(store)["case_title"])
    assert len(store.evidence_rows(DRAFT)) == 1


def test_a_case_without_evidence_is_refused(store, root) -> None:
    message = refused(store, "bonus_case_no_evidence", lambda: claim(store, root, files=()))
    assert "佐证材料" in message.render("zh") and "evidence" in message.render("en")


@pytest.mark.parametrize(("data", "code"), [
    (b"#!/bin/sh\necho hi\n", "evidence_type"),  # a refused type
    (zip_bytes(), "evidence_type"),  # an archive, disguised as a PDF by its name
    (b"", "evidence_empty"),
])
def test_refused_evidence_refuses_the_claim(store, root, data, code) -> None:
    refused(store, code, lambda: claim(store, root, files=(("证明.pdf", data),)))
    assert not root.exists() or not any(root.rglob("*"))


def test_oversized_evidence_refused(store, root, monkeypatch) -> None:
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 100)
    refused(store, "evidence_too_large",
            lambda: claim(store, root, files=(("大.pdf", PDF + b"x" * 200),)))


def test_quota_per_unit_and_round(store, root, monkeypatch) -> None:
    monkeypatch.setattr(evidence, "MAX_UNIT_ROUND_BYTES", len(PDF) + 10)
    claim(store, root)
    refused(store, "evidence_quota", lambda: claim(store, root, files=(("b.png", PNG),)))


@pytest.mark.parametrize(("kw", "code"), [
    ({"category": "F9"}, "bonus_unknown_category"),
    ({"title": "  "}, "bonus_title_missing"),
    ({"amount_wan": -5.0}, "bonus_amount_invalid"),
    ({"case_no": 99}, "bonus_case_missing"),
])
def test_bad_claims_refused(store, root, kw, code) -> None:
    refused(store, code, lambda: claim(store, root, **kw))


def test_claim_in_a_published_round_refused(store, root) -> None:
    message = refused(store, "rights_round_published",
                      lambda: claim(store, root, year=PUBLISHED))
    assert "2022" in message.render("zh")


def test_claim_for_another_unit_refused(store, root) -> None:
    other = actor("unit", unit_code="330106")
    refused(store, "rights_unit_outside", lambda: claim(store, root, who=other))


# -- reviews ---------------------------------------------------------------------------------

def _new_case(store, root, category: str = "F1") -> int:
    claim(store, root, category=category)
    return int(cases(store).query("category_code == @category")["case_no"].max())


def test_the_inspecting_group_accepts_and_the_engine_counts_it(store, root) -> None:
    number = _new_case(store, root, "F2")
    rubric = load_rubric("zj-2020")
    before = engine.bonus_table(rubric, cases(store), pd.Index([UNIT]))
    ab.review_case(store, GROUP, DRAFT, UNIT, "F2", number, True, "现场核实有实例", now=AT)
    rows = cases(store)
    verdict = rows[(rows["stage"] == "cross") & (rows["case_no"] == number)
                   & (rows["category_code"] == "F2")].iloc[0]
    assert verdict["points_awarded"] == 1.0 and verdict["review_note"] == "现场核实有实例"
    after = engine.bonus_table(rubric, rows, pd.Index([UNIT])).set_index("category_code")
    assert after.loc["F2", "awarded"] == 1.0
    assert before.set_index("category_code").loc["F2", "claimed"] == 1.0
    # once reviewed, the unit can neither edit nor withdraw it
    refused(store, "bonus_case_reviewed",
            lambda: ab.withdraw_case(store, UNIT_USER, DRAFT, UNIT, "F2", number))
    refused(store, "bonus_case_reviewed", lambda: claim(store, root, category="F2",
                                                        case_no=number))


def test_a_rejection_needs_a_reason_and_counts_nothing(store, root) -> None:
    number = _new_case(store, root)
    refused(store, "bonus_review_note_missing",
            lambda: ab.review_case(store, GROUP, DRAFT, UNIT, "F1", number, False, " "))
    ab.review_case(store, GROUP, DRAFT, UNIT, "F1", number, False, "无实例", now=AT)
    verdict = cases(store).query("stage == 'cross' and case_no == @number "
                                 "and category_code == 'F1'").iloc[0]
    assert verdict["points_awarded"] == 0.0


def test_a_group_that_does_not_inspect_the_unit_is_refused(store, root) -> None:
    number = _new_case(store, root)
    refused(store, "rights_unit_outside", lambda: ab.review_case(
        store, OTHER_GROUP, DRAFT, UNIT, "F1", number, True, "好"))


def test_review_at_the_wrong_stage_is_refused(store, root) -> None:
    number = _new_case(store, root, "R1")  # verified by the third party
    message = refused(store, "bonus_wrong_stage", lambda: ab.review_case(
        store, GROUP, DRAFT, UNIT, "R1", number, True, "好"))
    assert "第三方" in message.render("zh")
    refused(store, "bonus_wrong_stage", lambda: ab.review_case(
        store, ADMIN, DRAFT, UNIT, "R1", number, True, "好", stage="cross"))
    ab.review_case(store, THIRD, DRAFT, UNIT, "R1", number, True, "入选省级推广", now=AT)


def test_review_of_a_missing_case_is_refused(store) -> None:
    refused(store, "bonus_case_missing", lambda: ab.review_case(
        store, GROUP, DRAFT, UNIT, "F1", 77, True, "好"))


# -- deductions and vetoes -------------------------------------------------------------------

def test_a_deduction_is_stored_with_its_reason_stage_and_evidence(store, root) -> None:
    entry = ab.enter_deduction(store, THIRD, root, DRAFT, UNIT, "P1", 2, "集中信访",
                               files=(("信访记录.png", PNG),), now=AT)
    rows = store.deduction_entries(DRAFT).query("unit_code == @UNIT").iloc[-1]
    assert (rows["code"], rows["points"], rows["stage"]) == ("P1", 2.0, "third_party")
    files = store.evidence_rows(DRAFT, subject="deduction", unit=UNIT)
    assert list(files["subject_key"]) == [str(int(rows["seq"]))]
    store.revert(entry, actor="admin", at=AT)
    assert store.deduction_entries(DRAFT).query("unit_code == @UNIT").empty


def test_a_veto_carries_no_points_and_ranks_last(store, root) -> None:
    from evalcore.access import FULL
    from evalcore.reader import Reader

    ab.enter_deduction(store, ADMIN, root, DRAFT, UNIT, "V1", None, "重大安全事故", now=AT)
    row = store.deduction_entries(DRAFT).query("unit_code == @UNIT").iloc[-1]
    assert row["points"] == 0.0 and pd.isna(row["stage"])
    board = Reader(store, FULL).board(DRAFT, "county", "final", None)
    mine = board.set_index("unit_code").loc[UNIT]
    assert mine["vetoed"] and mine["rank"] == len(board)
    assert mine["grade"] == load_rubric("zj-2020").lowest_grade().code


@pytest.mark.parametrize(("code", "points", "message"), [
    ("P1", 3.5, "deduction_out_of_range"),  # above the maximum
    ("P1", 0.5, "deduction_out_of_range"),  # below the minimum
    ("P1", -1, "deduction_out_of_range"),
    ("P1", None, "deduction_out_of_range"),
    ("SC", 1, "deduction_out_of_range"),
    ("V1", 2, "deduction_veto_points"),
    ("X9", 1, "deduction_unknown_code"),
])
def test_bad_deductions_refused_not_clipped(store, root, code, points, message) -> None:
    found = refused(store, message, lambda: ab.enter_deduction(
        store, ADMIN, root, DRAFT, UNIT, code, points, "理由"))
    if message == "deduction_out_of_range":
        assert "1–3" in found.render("en") or "2–2" in found.render("en")


def test_a_deduction_needs_a_reason(store, root) -> None:
    refused(store, "deduction_reason_missing", lambda: ab.enter_deduction(
        store, ADMIN, root, DRAFT, UNIT, "P1", 1, ""))


@pytest.mark.parametrize("who", [UNIT_USER, GROUP])
def test_a_unit_or_group_user_cannot_enter_deductions(store, root, who) -> None:
    refused(store, "store_not_allowed", lambda: ab.enter_deduction(
        store, who, root, DRAFT, UNIT, "P1", 1, "理由"))


def test_deduction_in_a_published_round_refused_for_the_third_party(store, root) -> None:
    refused(store, "rights_round_published", lambda: ab.enter_deduction(
        store, THIRD, root, PUBLISHED, UNIT, "P1", 1, "理由"))


# -- evidence on its own -------------------------------------------------------------------

def test_add_evidence_to_a_case_then_claim_without_files(store, root) -> None:
    number = ab.next_case_no(store, DRAFT, UNIT, "F3")
    added = actions.add_evidence(store, UNIT_USER, root, DRAFT, UNIT, "bonus_case",
                                 ab.case_key("F3", number), PNG, "../../etc/照片.png", now=AT)
    assert added.file_name == "照片.png"  # never a path
    claim(store, root, category="F3", files=())
    assert cases(store).query("category_code == 'F3'")["case_no"].max() == number


def test_add_evidence_refused_outside_rights(store, root) -> None:
    refused(store, "evidence_not_allowed", lambda: actions.add_evidence(
        store, UNIT_USER, root, DRAFT, UNIT, "deduction", "1", PNG, "x.png"))
    refused(store, "evidence_not_allowed", lambda: actions.add_evidence(
        store, GROUP, root, DRAFT, "330106", "bonus_case", "cross/F1/1", PNG, "x.png"))
