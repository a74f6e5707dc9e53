"""Data management rules without Streamlit: read-only deployments, who is offered the data page,
the template of a round, the audit entries and rounds a viewer may see (evalcore.manage)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from evalcore import manage
from evalcore.access import PUBLIC, Viewer
from evalcore.db import Store
from evalcore.importer import apply, prepare_scores
from evalcore.importer.scores import score_columns
from evalcore.rounds import round_rubric
from tests.test_import import HEADER, MANUAL, write_csv

ADMIN, LEADER = Viewer("admin"), Viewer("leader")
UNIT, GROUP = Viewer("unit", unit_code="330106"), Viewer("group", group_city_code="330200")


@pytest.mark.parametrize(("value", "read_only"), [("1", True), ("", False), ("0", False)])
def test_read_only_deployment_from_the_environment(monkeypatch, value, read_only) -> None:
    monkeypatch.setenv("EVAL_READ_ONLY", value)
    assert manage.read_only_deployment() is read_only


@pytest.mark.parametrize(("viewer", "writable", "read_only"), [
    (ADMIN, "visible", "hidden"),
    (UNIT, "visible", "hidden"),
    (GROUP, "visible", "hidden"),
    (LEADER, None, "hidden"),  # leaders import nothing
    (PUBLIC, None, "hidden"),
])
def test_the_data_page_is_offered_to_importers_and_never_on_a_read_only_instance(
        monkeypatch, viewer, writable, read_only) -> None:
    monkeypatch.delenv("EVAL_READ_ONLY", raising=False)
    assert manage.data_page_visibility(viewer) == writable
    assert manage.offers_data_page(viewer) is (writable == "visible")
    monkeypatch.setenv("EVAL_READ_ONLY", "1")
    assert manage.data_page_visibility(viewer) == read_only  # /data opens and says why not
    assert manage.offers_data_page(viewer) is False


@pytest.mark.parametrize(("viewer", "writable"), [
    (ADMIN, "visible"), (UNIT, None), (GROUP, None), (LEADER, None), (PUBLIC, None)])
def test_the_round_setup_page_is_offered_to_those_who_may_set_rounds_up(
        monkeypatch, viewer, writable) -> None:
    monkeypatch.delenv("EVAL_READ_ONLY", raising=False)
    assert manage.setup_page_visibility(viewer) == writable
    monkeypatch.setenv("EVAL_READ_ONLY", "1")
    assert manage.setup_page_visibility(viewer) == "hidden"  # /round-setup says why not


@pytest.mark.parametrize(("year", "stage"), [(2023, "self"), (2021, "cross")])
def test_the_template_has_the_columns_of_the_rounds_rubric(demo_store, year, stage) -> None:
    book = load_workbook(io.BytesIO(manage.score_template(demo_store, ADMIN, year, stage)))
    header = [c.value for c in next(book.worksheets[0].iter_rows())]
    assert header == score_columns(round_rubric(demo_store, year))


def test_audit_entries_follow_the_policy(writable_db, tmp_path) -> None:
    path = write_csv(tmp_path / "self.csv", HEADER, [["西湖区", "", *[1.0] * len(MANUAL), "", ""]])
    with Store(writable_db, read_only=False) as store:
        apply(store, prepare_scores(store, path, 2023, "self"), "unit:xihu", datetime(2024, 1, 2))
        everything = store.audit_entries()
        assert len(everything) >= 2  # the demo's own entry, and the unit's import
        admin = manage.audit_entries(store, ADMIN, "root", None, None)
        assert admin["id"].tolist() == everything["id"].tolist()  # "all"
        own = manage.audit_entries(store, UNIT, "xihu", None, None)
        assert own["actor"].tolist() == ["unit:xihu"]  # "own": the entries it made itself
        assert manage.audit_entries(store, UNIT, "other", None, None).empty
        assert manage.audit_entries(store, UNIT, None, None, None).empty
        assert manage.audit_entries(store, LEADER, "boss", None, None).empty  # no audit right
        assert manage.audit_entries(store, PUBLIC, None, None, None).empty
        filtered = manage.audit_entries(store, ADMIN, "root", "import", None)
        assert set(filtered["action"]) == {"import"}


def test_only_round_managers_get_the_rounds(demo_store) -> None:
    assert manage.managed_rounds(demo_store, ADMIN)["year"].tolist() == \
        demo_store.rounds()["year"].tolist()
    for viewer in (UNIT, GROUP, LEADER, PUBLIC):
        assert manage.managed_rounds(demo_store, viewer).empty
