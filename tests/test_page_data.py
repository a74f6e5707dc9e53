"""Data management page: refused to the public and to leaders, rights by role, publishing."""

from __future__ import annotations

import io

import pytest

from evalcore.importer.scores import score_columns
from evalcore.rubric import load_rubric
from tests.pages_helper import app_copy, open_page, private_copy


@pytest.mark.parametrize("role", [None, "leader"])
def test_public_and_leaders_have_no_data_page(demo_db_path, monkeypatch, role) -> None:
    # Not in their navigation at all (and the page refuses them itself: see the e2e test).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(demo_db_path, monkeypatch, "data", role=role)


def test_admin_sees_import_audit_and_publishing(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", lang="en")
    assert [t.label for t in at.tabs] == ["Import", "Audit log", "Publishing"]
    assert at.selectbox(key="data.stage").options == ["Self-evaluation", "Cross inspection",
                                                      "Third-party evaluation"]
    assert [b.label for b in at.button if b.key and b.key.startswith("data.publish")][:1] == [
        "Publish 2023"]
    audit = at.dataframe[0].value
    assert "build demo data" in set(audit["Action"])  # the action build-demo, labelled


def test_unit_user_imports_only_its_self_evaluation(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "data", role="unit",
                   codes={"unit_code": "330106"})
    assert [t.label for t in at.tabs] == ["导入", "审计日志"]
    assert at.selectbox(key="data.stage").options == ["市县自评"]


def test_publish_button_publishes_and_audits(demo_db_path, monkeypatch) -> None:
    from evalcore import ui

    db = private_copy(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", private=db)
    at.button(key="data.publish.2023").click().run()
    store = ui._store(str(db))
    assert bool(store.rounds().set_index("year").loc[2023, "published"])
    assert store.audit_entries(action="publish").iloc[0]["actor"] == "admin:test-admin"


class Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes) -> None:
        super().__init__(data)
        self.name = name


@pytest.mark.parametrize("role", ["admin"])
def test_prepare_and_apply_an_upload(demo_db_path, monkeypatch, role) -> None:
    from evalcore import ui
    from evalcore.access import FULL
    from evalcore.ui import Context

    rubric = load_rubric("zj-2020")
    header = score_columns(rubric)
    n = len(rubric.manual_indicators())
    csv = ",".join(header) + "\n" + ",".join(["西湖区", ""] + ["1.5"] * n + ["组", "<b>x</b>"])
    path = str(app_copy(demo_db_path))
    ctx = Context(path, FULL, 2023, "county", "final", "zh", True, True)
    prepared, problems = ui.prepare_upload(ctx, Upload("s.csv", csv.encode()), 2023, "cross")
    assert problems == [] and prepared.result.rows == n
    bad = csv.replace("1.5", "99", 1)
    none, problems = ui.prepare_upload(ctx, Upload("bad.csv", bad.encode()), 2023, "cross")
    assert none is None and "bad.csv, row 2, column A1: 99 is above the maximum 4" == str(
        problems[0])


def test_admin_creates_a_draft_round(demo_db_path, monkeypatch) -> None:
    from evalcore import ui

    db = private_copy(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "data", role="admin", private=db)
    at.number_input[0].set_value(2024)
    next(b for b in at.button if b.label == "新建考评年度").click()
    at.run()
    store = ui._store(str(db))
    rounds = store.rounds().set_index("year")
    assert 2024 in rounds.index and not rounds.loc[2024, "published"]
    assert store.audit_entries(action="create-round").iloc[0]["detail"].startswith("{")
