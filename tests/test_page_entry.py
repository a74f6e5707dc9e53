"""The online entry page: offered to accounts that enter scores (unit, group, third party,
admin), never to the public or leaders; each chooses only the stages and units it may write;
the form saves through the import's validation, submits (locks), an administrator reopens;
evidence files are uploaded and listed; every refusal is said in the user's language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from evalcore import actions
from evalcore.access import FULL
from evalcore.db import Store
from evalcore.labels import t
from tests.pages_helper import open_page, private_copy
from tests.test_evidence import PDF


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

DRAFT = 2023
XIHU = "330106"  # 西湖区, a county of 杭州


def _store(db: Path) -> Store:
    from evalcore.ui.loaders import _store as cached

    return cached(str(db))  # the app's own connection (it holds the file read-write)


def entry_page(db: Path, monkeypatch, role: str, codes: dict | None = None, lang: str = "zh",
               private: Path | None = None):
    return open_page(db, monkeypatch, "entry", role=role, codes=codes, lang=lang,
                     private=private)


@pytest.mark.parametrize(("role", "codes"), [(None, None), ("leader", None)])
def test_public_and_leaders_have_no_entry_page(demo_db_path, monkeypatch, role, codes) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(demo_db_path, monkeypatch, "entry", role=role, codes=codes)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_enters_its_own_self_evaluation(demo_db_path, monkeypatch, lang) -> None:
    at = entry_page(demo_db_path, monkeypatch, "unit", {"unit_code": XIHU}, lang)
    assert at.title[0].value == "✍️ " + t("page_entry", lang)
    assert at.selectbox(key="entry.round").options == ["2023"]  # draft rounds only
    assert at.selectbox(key=f"entry.stage.{lang}").options == [t("self", lang)]
    assert at.selectbox(key="entry.unit").options == [f"西湖区 ({XIHU})"]
    inputs = {n.key.rsplit(".", 1)[1]: n for n in at.number_input}
    assert len(inputs) == 18  # every hand-scored indicator, as the import template has
    assert inputs["A1"].label == t("entry_points", lang).format(max="4")
    assert inputs["A1"].max == 4.0 and inputs["A1"].min == 0.0
    assert "C1" not in inputs  # derived: computed, not typed
    derived = t("entry_derived", lang).split("{")[0]
    assert sum(m.value.startswith(derived) for m in at.markdown) == 5
    assert at.info[0].value.startswith(t("entry_state_draft", lang))
    captions = " ".join(c.value for c in at.caption)
    assert t("entry_counts_until", lang).format(stage=t("cross", lang)) in captions


@pytest.mark.parametrize(("role", "codes", "stages", "n_units", "first"), [
    ("group", {"group_city_code": "330200"}, ["cross"], 7, "绍兴市 (330600)"),
    ("third_party", None, ["third_party"], 101, "杭州市 (330100)"),
    ("admin", None, ["self", "cross", "third_party"], 101, "杭州市 (330100)"),
])
def test_each_role_chooses_only_what_it_may_write(demo_db_path, monkeypatch, role, codes,
                                                  stages, n_units, first) -> None:
    at = entry_page(demo_db_path, monkeypatch, role, codes, "en")
    assert at.selectbox(key="entry.stage.en").options == [t(s, "en") for s in stages]
    units = at.selectbox(key="entry.unit").options
    assert len(units) == n_units and units[0] == first


def test_the_data_page_offers_the_third_party_its_stage(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "data", role="third_party", lang="en")
    assert at.selectbox(key="data.stage").options == [t("third_party", "en")]


def test_save_submit_lock_and_reopen(demo_db_path, monkeypatch) -> None:
    db = private_copy(demo_db_path)
    at = entry_page(demo_db_path, monkeypatch, "unit", {"unit_code": XIHU}, private=db)
    at.number_input(key=f"entry.points.{DRAFT}.self.{XIHU}.A1").set_value(1.5)
    at.text_input(key=f"entry.note.{DRAFT}.self.{XIHU}.A1").set_value("纪要两份")
    at.text_input(key="entry.evaluator").set_value("王五")
    at.button[0].click().run()  # the form's save button
    assert at.success[0].value.startswith("已保存草稿，审计编号")
    scores = _store(db).scores(DRAFT).query("unit_code == @XIHU and stage == 'self'")
    a1 = scores.set_index("indicator_code").loc["A1"]
    assert (a1["points"], a1["note"], a1["evaluator"]) == (1.5, "纪要两份", "王五")
    assert _store(db).audit_entries(action="enter-scores").iloc[0]["actor"] == "unit:test-unit"

    assert at.button(key="entry.submit").disabled  # until confirmed
    at.checkbox(key="entry.confirm").check().run()
    at.button(key="entry.submit").click().run()
    assert at.success[0].value.startswith("已提交并锁定")
    assert at.success[1].value.startswith("状态：已由 test-unit")
    assert all(n.disabled for n in at.number_input)
    assert not [b for b in at.button if b.key == "entry.submit"]
    assert not [b for b in at.button if b.key == "entry.reopen"]  # a unit cannot reopen
    assert _store(db).stage_submissions(DRAFT, FULL).iloc[0]["status"] == "submitted"


def test_a_locked_stage_refuses_a_save_in_the_users_language(demo_db_path,
                                                             monkeypatch) -> None:
    db = private_copy(demo_db_path)
    at = entry_page(demo_db_path, monkeypatch, "unit", {"unit_code": XIHU}, lang="en",
                    private=db)
    actions.submit_stage(_store(db), actions.CLI, DRAFT, XIHU, "self")
    before = _store(db).table_counts()
    at.button[0].click().run()  # a page drawn before the submission: saved anyway
    assert "the 'Self-evaluation' stage was submitted and is locked" in at.error[0].value
    assert _store(db).table_counts() == before


def test_an_administrator_reopens_with_a_reason(demo_db_path, monkeypatch) -> None:
    db = private_copy(demo_db_path)
    actions.submit_stage(_store(db), actions.CLI, DRAFT, "330100", "self")
    at = entry_page(demo_db_path, monkeypatch, "admin", private=db)
    at.button(key="entry.reopen").click().run()  # no reason
    assert at.error[0].value == "重新开放须填写理由"
    at.text_input(key="entry.reopen_reason").set_value("数据录错").run()
    at.button(key="entry.reopen").click().run()
    assert at.success[0].value.startswith("已重新开放")
    assert "数据录错" in at.info[0].value
    assert not any(n.disabled for n in at.number_input)


def test_entry_outside_the_window_is_refused_and_said(demo_db_path, monkeypatch) -> None:
    db = private_copy(demo_db_path)
    actions.set_deadlines(_store(db), actions.CLI, DRAFT, {"self": (None, date(2024, 1, 31))})
    at = entry_page(demo_db_path, monkeypatch, "unit", {"unit_code": XIHU}, private=db)
    assert "已截止" in at.warning[0].value and "2024-01-31" in at.warning[0].value
    before = _store(db).table_counts()
    at.button[0].click().run()
    assert "已于 2024-01-31 截止" in at.error[0].value
    assert _store(db).table_counts() == before


def test_evidence_is_uploaded_listed_and_refused_by_content(demo_db_path, monkeypatch) -> None:
    db = private_copy(demo_db_path)
    at = entry_page(demo_db_path, monkeypatch, "unit", {"unit_code": XIHU}, private=db)
    at.selectbox(key="entry.evidence_indicator").set_value("A2")
    at.get("file_uploader")[0].set_value(("会议纪要.pdf", PDF, "application/pdf")).run()
    at.button(key="entry.evidence_add").click().run()
    assert at.success[0].value == "已上传佐证材料 会议纪要.pdf"
    [button] = at.get("download_button")
    assert "A2 · 会议纪要\\.pdf" in button.proto.label
    rows = _store(db).evidence_rows(DRAFT, FULL)
    assert rows["subject_key"].tolist() == ["self/A2"]
    before = _store(db).table_counts()
    at.get("file_uploader")[0].set_value(("伪装.docx", b"PK\x03\x04" + b"\x00" * 40,
                                          "application/octet-stream")).run()
    at.button(key="entry.evidence_add").click().run()
    assert at.error and "伪装.docx" in at.error[0].value
    assert _store(db).table_counts() == before
