"""Online entry, submissions, deadlines and evidence (evalcore/actions_entry.py): each write
re-checked in its transaction; every bad input refused with its message and nothing written.

The demo's 2023 is a draft round: 西湖区 (330106) is a county of 杭州; the group led by 宁波
(330200) inspects 绍兴 (330600) and its counties that round.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from evalcore import actions, actions_entry, evidence
from evalcore.access import FULL, Viewer
from evalcore.db import Store
from evalcore.importer import ImportRejected, prepare_scores
from evalcore.messages import Message, render
from evalcore.paths import evidence_dir
from evalcore.reader import Reader
from evalcore.rubric import load_rubric
from tests.test_evidence import PDF, PNG


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

DRAFT, PUBLISHED = 2023, 2022
NOW = datetime(2024, 1, 15, 10, 0)
COUNTY = Viewer("unit", unit_code="330106")
GROUP = Viewer("group", group_city_code="330200")
THIRD = Viewer("third_party")


class Accounts:
    """The account an action re-reads (the real AccountStore is tested in test_auth)."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    def current_account(self, username: str):
        v = self.viewer
        return SimpleNamespace(role=v.role, unit_code=v.unit_code,
                               group_city_code=v.group_city_code)


def actor(viewer: Viewer) -> actions.Actor:
    return actions.CLI if viewer == FULL else actions.Actor(f"u-{viewer.role}",
                                                             Accounts(viewer))


@pytest.fixture
def db(demo_db_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "entry.duckdb"
    shutil.copyfile(demo_db_path, path)
    return path


@pytest.fixture
def store(db: Path):
    with Store(db, read_only=False) as opened:
        yield opened


def form(store: Store, viewer: Viewer, unit: str, stage: str, points: dict,
         notes: dict | None = None, year: int = DRAFT, now: datetime = NOW):
    prepared = actions_entry.prepare_form(store, viewer, year, stage, unit, points,
                                          notes or {}, "张三", now)
    return actions.enter_scores(store, actor(viewer), prepared, now)


MANUAL = [i.code for i in load_rubric("zj-2020").manual_indicators()]


def row_csv(unit: str) -> bytes:
    """An import file of one unit's row: A1 = 1, every other indicator blank."""
    return (",".join(["unit_code", *MANUAL]) + "\n"
            + ",".join([unit, "1", *[""] * (len(MANUAL) - 1)]) + "\n").encode()


def message_of(refused: pytest.ExceptionInfo) -> Message:
    return refused.value.message


# -- entering a stage online ------------------------------------------------------------

def test_a_form_and_an_import_of_the_same_rows_store_the_same(demo_db_path, tmp_path) -> None:
    points = {"A1": 3.5, "A2": 5.0, "B3": 0.0}
    stored = []
    for way in ("form", "import"):
        path = tmp_path / f"{way}.duckdb"
        shutil.copyfile(demo_db_path, path)
        with Store(path, read_only=False) as store:
            if way == "form":
                form(store, COUNTY, "330106", "self", points, {"A1": "会议纪要"})
            else:
                header = ["unit_code", *MANUAL, "evaluator", "A1_note"]
                cells = {"unit_code": "330106", "A1": "3.5", "A2": "5", "B3": "0",
                         "evaluator": "张三", "A1_note": "会议纪要"}
                csv = (",".join(header) + "\n"
                       + ",".join(cells.get(c, "") for c in header) + "\n").encode()
                prepared = prepare_scores(store, "self.csv", DRAFT, "self", COUNTY, NOW,
                                          data=csv)
                actions.import_prepared(store, actor(COUNTY), prepared, NOW)
            stored.append(store.query(
                "SELECT * FROM scores WHERE round_year = ? AND unit_code = '330106' "
                "AND stage = 'self' ORDER BY indicator_code", [DRAFT]))
    pd.testing.assert_frame_equal(*stored)
    rows = stored[0].set_index("indicator_code")
    assert rows.loc["A1", "points"] == 3.5 and rows.loc["A1", "note"] == "会议纪要"
    assert rows.loc["A2", "evaluator"] == "张三"


def test_entering_scores_is_audited_and_revertible(store) -> None:
    entry = form(store, COUNTY, "330106", "self", {"A1": 1.0})
    audit = store.audit_entries(action="enter-scores").iloc[0]
    assert int(audit["id"]) == entry and audit["actor"] == "unit:u-unit"
    assert '"kind": "form"' in audit["detail"]
    assert len(store.changes(entry)) == 1
    actions.revert(store, actions.CLI, entry)


@pytest.mark.parametrize(("value", "code"), [(4.5, "above_maximum"), (-1.0, "below_minimum")])
def test_points_out_of_range_are_refused(store, value, code) -> None:
    before = store.table_counts()
    with pytest.raises(ImportRejected) as refused:
        form(store, COUNTY, "330106", "self", {"A1": value})
    [problem] = refused.value.problems
    assert problem.code == code and problem.column == "A1"
    assert "4" in problem.render("zh") or "0" in problem.render("zh")
    assert store.table_counts() == before


@pytest.mark.parametrize(("viewer", "unit", "stage", "code"), [
    (COUNTY, "330102", "self", "rights_unit_outside"),  # another county
    (GROUP, "330100", "cross", "rights_unit_outside"),  # a city it does not inspect
    (COUNTY, "330106", "cross", "rights_role_stage_only"),  # a unit for the cross stage
    (THIRD, "330106", "self", "rights_role_stage_only"),
])
def test_entry_outside_ones_rights_is_refused(store, viewer, unit, stage, code) -> None:
    before = store.table_counts()
    with pytest.raises(ImportRejected) as refused:
        form(store, viewer, unit, stage, {"A1": 1.0})
    assert refused.value.problems[0].code == code
    assert store.table_counts() == before


def test_rights_are_checked_again_at_the_write(store) -> None:
    prepared = actions_entry.prepare_form(store, FULL, DRAFT, "self", "330102", {"A1": 1.0},
                                          {}, "x", NOW)
    before = store.table_counts()
    with pytest.raises(actions.Refused):
        actions.enter_scores(store, actor(COUNTY), prepared, NOW)
    assert store.table_counts() == before


def test_group_and_third_party_enter_their_stages(store) -> None:
    form(store, GROUP, "330602", "cross", {"A1": 2.0})  # 越城区, 绍兴
    form(store, THIRD, "330106", "third_party", {"B3": 3.0})
    scores = store.scores(DRAFT)
    assert ((scores["unit_code"] == "330602") & (scores["stage"] == "cross")
            & (scores["indicator_code"] == "A1") & (scores["points"] == 2.0)).any()


# -- submitting, the lock, reopening -----------------------------------------------------

def test_submit_locks_the_stage_for_form_and_import(store) -> None:
    actions.submit_stage(store, actor(COUNTY), DRAFT, "330106", "self", NOW)
    [row] = store.stage_submissions(DRAFT, COUNTY).itertuples()
    assert (row.unit_code, row.stage, row.status, row.submitted_by) == (
        "330106", "self", "submitted", "u-unit")
    before = store.table_counts()
    with pytest.raises(ImportRejected) as refused:
        form(store, COUNTY, "330106", "self", {"A1": 1.0})
    assert refused.value.problems[0].code == "entry_locked"
    assert "已提交并锁定" in refused.value.problems[0].render("zh")
    csv = row_csv("330106")
    with pytest.raises(ImportRejected):  # the data page's import: told before confirming
        prepare_scores(store, "s.csv", DRAFT, "self", COUNTY, NOW, data=csv)
    # At the write too, for an administrator as well: a file prepared before the submission.
    prepared = _with_unit(prepare_scores(store, "s.csv", DRAFT, "self", FULL, NOW,
                                         data=row_csv("330102")), "330106")
    with pytest.raises(actions.Refused) as again:
        actions.import_prepared(store, actions.CLI, prepared, NOW)
    assert message_of(again).code == "entry_locked"
    assert store.table_counts() == before


def _with_unit(prepared, unit: str):
    from dataclasses import replace

    return replace(prepared, rows=prepared.rows.assign(unit_code=unit))


def test_submitting_nothing_is_refused(store) -> None:
    store.query("DELETE FROM scores WHERE round_year = 2023 AND unit_code = '330106' "
                "AND stage = 'self'")
    before = store.table_counts()
    with pytest.raises(actions.Refused) as refused:
        actions.submit_stage(store, actor(COUNTY), DRAFT, "330106", "self", NOW)
    assert message_of(refused).code == "submit_nothing"
    assert store.table_counts() == before


def test_only_an_administrator_reopens_with_a_reason(store) -> None:
    actions.submit_stage(store, actor(COUNTY), DRAFT, "330106", "self", NOW)
    for who, reason, code in ((COUNTY, "改错", "store_not_allowed"),
                              (FULL, "  ", "reopen_reason_required")):
        before = store.table_counts()
        with pytest.raises(actions.Refused) as refused:
            actions.reopen_stage(store, actor(who), DRAFT, "330106", "self", reason, NOW)
        assert message_of(refused).code == code
        assert store.table_counts() == before
    entry = actions.reopen_stage(store, actions.CLI, DRAFT, "330106", "self", "分数录错", NOW)
    row = store.stage_submissions(DRAFT, FULL).iloc[0]
    assert row["status"] == "reopened" and row["reopen_reason"] == "分数录错"
    assert row["submitted_by"] == "u-unit"
    assert store.audit_entries(action="reopen-stage").iloc[0]["id"] == entry
    form(store, COUNTY, "330106", "self", {"A1": 1.0})  # entry possible again
    actions.submit_stage(store, actor(COUNTY), DRAFT, "330106", "self", NOW)
    row = store.stage_submissions(DRAFT, FULL).iloc[0]
    assert row["status"] == "submitted" and row["reopen_reason"] == "分数录错"


def test_reopening_a_draft_is_refused(store) -> None:
    with pytest.raises(actions.Refused) as refused:
        actions.reopen_stage(store, actions.CLI, DRAFT, "330106", "self", "why", NOW)
    assert message_of(refused).code == "reopen_not_submitted"


def test_submission_outside_ones_rights_is_refused(store) -> None:
    before = store.table_counts()
    for who, unit, stage in ((COUNTY, "330102", "self"), (COUNTY, "330106", "cross"),
                             (GROUP, "330100", "cross"), (THIRD, "330106", "self")):
        with pytest.raises(actions.Refused):
            actions.submit_stage(store, actor(who), DRAFT, unit, stage, NOW)
    assert store.table_counts() == before


# -- deadlines ---------------------------------------------------------------------------

@pytest.mark.parametrize(("today", "code"), [(date(2024, 1, 31), "entry_window_before"),
                                              (date(2024, 4, 1), "entry_window_after")])
def test_entry_outside_the_window_is_refused_for_non_admins(store, today, code) -> None:
    actions.set_deadlines(store, actions.CLI, DRAFT,
                          {"self": (date(2024, 2, 1), date(2024, 3, 31))})
    now = datetime.combine(today, datetime.min.time())
    before = store.table_counts()
    with pytest.raises(ImportRejected) as refused:
        form(store, COUNTY, "330106", "self", {"A1": 1.0}, now=now)
    assert refused.value.problems[0].code == code
    with pytest.raises(actions.Refused) as late:
        actions.submit_stage(store, actor(COUNTY), DRAFT, "330106", "self", now)
    assert message_of(late).code == code
    assert store.table_counts() == before
    text = render(refused.value.problems[0].message, "en")
    assert "2024-03-31" in text and str(today) in text


def test_inside_the_window_and_on_its_last_day_entry_is_open(store) -> None:
    actions.set_deadlines(store, actions.CLI, DRAFT,
                          {"self": (date(2024, 2, 1), date(2024, 3, 31))})
    form(store, COUNTY, "330106", "self", {"A1": 1.0}, now=datetime(2024, 3, 31, 23, 59))
    entry = store.audit_entries(action="enter-scores").iloc[0]
    assert "outside_window" not in entry["detail"]


def test_an_admin_writes_outside_the_window_and_the_audit_says_so(store) -> None:
    actions.set_deadlines(store, actions.CLI, DRAFT, {"self": (None, date(2024, 1, 10))})
    form(store, FULL, "330106", "self", {"A1": 1.0})
    detail = store.audit_entries(action="enter-scores").iloc[0]["detail"]
    assert '"outside_window"' in detail and '"closes": "2024-01-10"' in detail
    actions.submit_stage(store, actions.CLI, DRAFT, "330106", "self", NOW)
    assert '"outside_window"' in store.audit_entries(action="submit-stage").iloc[0]["detail"]


def test_no_deadline_row_means_no_window(store) -> None:
    assert store.round_stages(DRAFT).empty
    form(store, COUNTY, "330106", "self", {"A1": 1.0}, now=datetime(2099, 1, 1))


# -- evidence ----------------------------------------------------------------------------

def add(store: Store, viewer: Viewer, data: bytes, name: str = "证明.pdf",
        unit: str = "330106", subject: str = "score", key: str = "self/A1"):
    return actions.add_evidence(store, actor(viewer), evidence_dir(store.path), DRAFT, unit,
                                subject, key, data, name, NOW)


def test_evidence_is_stored_by_hash_and_recorded(store) -> None:
    accepted = add(store, COUNTY, PDF)
    path = evidence.stored_path(evidence_dir(store.path), accepted.sha256)
    assert path.read_bytes() == PDF
    [row] = store.evidence_rows(DRAFT, COUNTY).itertuples()
    assert (row.subject, row.subject_key, row.file_name, row.media_type, row.uploaded_by) == (
        "score", "self/A1", "证明.pdf", "application/pdf", "u-unit")
    assert store.evidence_used_bytes(DRAFT, "330106") == len(PDF)
    add(store, COUNTY, PDF, key="self/A2")  # the same file again: counted once
    assert store.evidence_used_bytes(DRAFT, "330106") == len(PDF)
    assert store.audit_entries(action="add-evidence")["actor"].tolist() == ["unit:u-unit"] * 2


@pytest.mark.parametrize(("viewer", "sees"), [
    (Viewer(), False), (COUNTY, True), (Viewer("unit", unit_code="330102"), False),
    (GROUP, False), (THIRD, True), (Viewer("leader"), True), (FULL, True)])
def test_evidence_is_read_only_where_the_policy_grants_it(store, viewer, sees) -> None:
    accepted = add(store, COUNTY, PNG, "photo.png")
    reader = Reader(store, viewer)
    assert len(reader.evidence(DRAFT)) == (1 if sees else 0)
    got = reader.evidence_file(DRAFT, "330106", accepted.sha256, evidence_dir(store.path))
    assert got == (PNG if sees else None)


def zip_renamed() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("secret.txt", b"not a document")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "name", "code"), [
    (b"#!/bin/sh\necho hi\n", "run.pdf", "evidence_type"),
    (zip_renamed(), "报告.docx", "evidence_type"),
    (b"", "empty.pdf", "evidence_empty"),
])
def test_refused_files_write_nothing(store, data, name, code) -> None:
    before = store.table_counts()
    with pytest.raises(actions.Refused) as refused:
        add(store, COUNTY, data, name)
    assert message_of(refused).code == code
    assert name in render(message_of(refused), "zh")
    assert store.table_counts() == before
    assert not evidence_dir(store.path).exists()


def test_oversized_and_over_quota_files_are_refused(store, monkeypatch) -> None:
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", len(PDF) - 1)
    before = store.table_counts()
    with pytest.raises(actions.Refused) as big:
        add(store, COUNTY, PDF)
    assert message_of(big).code == "evidence_too_large"
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 10**6)
    monkeypatch.setattr(evidence, "MAX_UNIT_ROUND_BYTES", len(PDF) + 10)
    add(store, COUNTY, PDF)
    with pytest.raises(actions.Refused) as full:
        add(store, COUNTY, PNG, "p.png")
    assert message_of(full).code == "evidence_quota"
    assert store.table_counts()["evidence"] == before["evidence"] + 1


@pytest.mark.parametrize(("viewer", "unit", "subject", "key"), [
    (Viewer(), "330106", "score", "self/A1"),  # the public
    (COUNTY, "330102", "score", "self/A1"),  # another county
    (COUNTY, "330106", "score", "cross/A1"),  # a stage it does not write
    (GROUP, "330100", "score", "cross/A1"),  # a city it does not inspect
    (Viewer("leader"), "330106", "score", "self/A1"),  # reads, never writes
    (COUNTY, "330106", "deduction", "1"),  # deductions: admin and third party only
])
def test_evidence_without_the_right_is_refused(store, viewer, unit, subject, key) -> None:
    before = store.table_counts()
    with pytest.raises(actions.Refused) as refused:
        add(store, viewer, PDF, unit=unit, subject=subject, key=key)
    assert message_of(refused).code in ("evidence_not_allowed", "store_account_gone",
                                        "store_not_allowed")
    assert store.table_counts() == before
    assert not evidence_dir(store.path).exists()


def test_evidence_of_a_locked_stage_is_refused(store) -> None:
    actions.submit_stage(store, actor(COUNTY), DRAFT, "330106", "self", NOW)
    with pytest.raises(actions.Refused) as refused:
        add(store, COUNTY, PDF)
    assert message_of(refused).code == "entry_locked"


@pytest.mark.parametrize(("subject", "key"), [("score", "A1"), ("score", "later/A1"),
                                               ("bonus_case", "self/D1/x"), ("problem", "p1"),
                                               ("anything", "1")])
def test_evidence_subject_keys_have_a_shape(store, subject, key) -> None:
    with pytest.raises(actions.Refused) as refused:
        add(store, FULL, PDF, subject=subject, key=key)
    assert message_of(refused).code == "evidence_bad_subject"


def test_other_subjects_follow_their_write_rights(store) -> None:
    add(store, COUNTY, PDF, subject="bonus_case", key="self/SC/1")
    add(store, THIRD, PDF, unit="330102", subject="deduction", key="1")
    add(store, COUNTY, PDF, subject="rectification", key="7")
    add(store, GROUP, PDF, unit="330602", subject="problem", key="7")
    assert len(store.evidence_rows(DRAFT, FULL)) == 4
