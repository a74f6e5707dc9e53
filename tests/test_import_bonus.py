"""Importing bonus cases and deductions (evalcore/importer/bonus.py): the same validation,
messages (file, row, column) and atomicity as scores; templates that are also the export and
import back unchanged; the command line."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from evalcore import actions
from evalcore import actions_bonus as ab
from evalcore.__main__ import main
from evalcore.access import FULL, Viewer
from evalcore.db import Store
from evalcore.importer import ImportRejected
from evalcore.importer.bonus import prepare_bonus
from evalcore.importer.bonus_template import write_bonus_template
from evalcore.rubric import load_rubric
from tests.test_actions_bonus import GROUP, PDF, UNIT, Accounts


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

DRAFT = 2023
AT = datetime(2024, 3, 1)
BONUS_HEAD = ["unit_code", "category_code", "case_no", "stage", "case_title", "case_description",
              "amount_wan", "verdict", "review_note"]
DEDUCTION_HEAD = ["unit_code", "seq", "code", "points", "reason"]


@pytest.fixture
def store(writable_db, tmp_path):
    with Store(writable_db, read_only=False) as store:
        ab.claim_case(store, actions.CLI, tmp_path / "ev", DRAFT, UNIT, "F1", "停车设施",
                      files=[("a.pdf", PDF)], now=AT)
        yield store


def number(store: Store) -> int:
    rows = store.bonus_case_rows(DRAFT)
    return int(rows.query("unit_code == @UNIT and category_code == 'F1'")["case_no"].max())


def write_csv(path: Path, head: list[str], rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([head, *rows])
    return path


def rejected(store: Store, path: Path, kind: str, viewer: Viewer = FULL,
             year: int = DRAFT) -> list:
    before = store.table_counts()
    with pytest.raises(ImportRejected) as caught:
        prepare_bonus(store, path, kind, year, viewer)
    assert store.table_counts() == before
    return caught.value.problems


def test_a_verdict_file_from_the_inspecting_group_is_written(store, tmp_path) -> None:
    n = number(store)
    path = write_csv(tmp_path / "v.csv", BONUS_HEAD,
                     [[UNIT, "F1", n, "cross", "", "", "", "accepted", "核实有实例"]])
    viewer = Viewer("group", group_city_code="330200")
    prepared = prepare_bonus(store, path, "bonus", DRAFT, viewer, now=AT)
    assert (prepared.result.new, prepared.result.rows) == (1, 1)
    actions.import_prepared(store, GROUP, prepared)
    row = store.bonus_case_rows(DRAFT).query(
        "unit_code == @UNIT and stage == 'cross' and case_no == @n").iloc[0]
    assert row["points_awarded"] == 1.0 and row["case_title"] == "停车设施"  # copied


@pytest.mark.parametrize(("row", "code", "column"), [
    ([UNIT, "F2", 1, "self", "居民出资", "", "", "", ""], "bonus_case_no_evidence", "case_no"),
    ([UNIT, "F9", 1, "self", "x", "", "", "", ""], "bonus_unknown_category", "category_code"),
    ([UNIT, "F1", "{n}", "third_party", "", "", "", "accepted", "好"], "bonus_wrong_stage",
     "stage"),
    ([UNIT, "F1", "{n}", "cross", "", "", "", "maybe", "好"], "bonus_verdict_invalid",
     "verdict"),
    ([UNIT, "F1", "{n}", "cross", "", "", "", "rejected", ""], "bonus_review_note_missing",
     "review_note"),
    ([UNIT, "F1", 42, "cross", "", "", "", "rejected", "无"], "bonus_review_without_claim",
     "case_no"),
    ([UNIT, "F1", 50, "self", "", "", "", "", ""], "bonus_title_missing", "case_title"),
    ([UNIT, "F1", 51, "self", "停车", "", "-3", "", ""], "below_minimum", "amount_wan"),
])
def test_bad_bonus_rows_are_named_by_row_and_column(store, tmp_path, row, code, column) -> None:
    good = [UNIT, "F1", number(store), "self", "停车设施（改）", "", "", "", ""]
    row = [str(number(store)) if v == "{n}" else v for v in row]
    path = write_csv(tmp_path / "b.csv", BONUS_HEAD, [good, row])  # one good row, one bad
    problems = rejected(store, path, "bonus")
    assert [(p.code, p.row, p.column) for p in problems] == [(code, 3, column)]
    assert problems[0].render("zh").startswith("b.csv，第 3 行")


@pytest.mark.parametrize(("viewer", "code"), [
    (Viewer("unit", unit_code=UNIT), "rights_cannot_import_setup"),  # a unit gives no verdict
    (Viewer("group", group_city_code="330100"), "rights_unit_outside"),  # not its unit
])
def test_verdict_rights(store, tmp_path, viewer, code) -> None:
    path = write_csv(tmp_path / "v.csv", BONUS_HEAD,
                     [[UNIT, "F1", number(store), "cross", "", "", "", "accepted", "好"]])
    assert [p.code for p in rejected(store, path, "bonus", viewer)] == [code]


def test_claims_in_a_published_round_refused(store, tmp_path) -> None:
    path = write_csv(tmp_path / "c.csv", BONUS_HEAD,
                     [[UNIT, "F1", 1, "self", "x", "", "", "", ""]])
    problems = rejected(store, path, "bonus", Viewer("unit", unit_code=UNIT), year=2022)
    assert "bonus_case_no_evidence" in {p.code for p in problems}  # no file in 2022 either


@pytest.mark.parametrize(("row", "code", "column"), [
    ([UNIT, "", "P1", "4", "信访"], "deduction_out_of_range", "points"),
    ([UNIT, "", "P1", "", "信访"], "deduction_out_of_range", "points"),
    ([UNIT, "", "X9", "1", "信访"], "deduction_unknown_code", "code"),
    ([UNIT, "", "V1", "2", "事故"], "deduction_veto_points", "points"),
    ([UNIT, "", "P1", "1", ""], "value_required", "reason"),
])
def test_bad_deduction_rows_refused_not_clipped(store, tmp_path, row, code, column) -> None:
    path = write_csv(tmp_path / "d.csv", DEDUCTION_HEAD, [[UNIT, "", "P1", "2", "信访"], row])
    problems = rejected(store, path, "deductions")
    assert [(p.code, p.row, p.column) for p in problems] == [(code, 3, column)]


def test_a_unit_user_cannot_import_deductions(store, tmp_path) -> None:
    path = write_csv(tmp_path / "d.csv", DEDUCTION_HEAD, [[UNIT, "", "P1", "2", "信访"]])
    assert [p.code for p in rejected(store, path, "deductions",
                                     Viewer("unit", unit_code=UNIT))] == [
        "rights_cannot_import_setup"]


def test_deductions_written_with_new_numbers_and_the_template_imports_back_unchanged(
        store, tmp_path) -> None:
    path = write_csv(tmp_path / "d.csv", DEDUCTION_HEAD,
                     [[UNIT, "", "P1", "2", "信访"], [UNIT, "", "V2", "", "数据造假"]])
    prepared = prepare_bonus(store, path, "deductions", DRAFT, now=AT)
    actions.import_prepared(store, actions.Actor("t", Accounts(Viewer("third_party"))),
                            prepared)
    mine = store.deduction_entries(DRAFT).query("unit_code == @UNIT")
    assert list(mine["seq"]) == [1, 2] and list(mine["points"]) == [2.0, 0.0]
    # The rows this test wrote (the demo's own were recorded by others, at other times).
    for kind, stored in (("deductions", store.deduction_entries(DRAFT).query(
                             "unit_code == @UNIT")),
                         ("bonus", store.bonus_case_rows(DRAFT).query(
                             "unit_code == @UNIT and recorded_at == @AT"))):
        template = write_bonus_template(tmp_path / f"{kind}.xlsx", kind, DRAFT,
                                        load_rubric("zj-2020"), store.regions(), stored)
        again = prepare_bonus(store, template, kind, DRAFT, now=AT)
        assert again.result.unchanged == len(stored) and again.result.changed == 0


def test_the_command_line_imports_and_needs_a_round(store, tmp_path, writable_db,
                                                    capsys) -> None:
    path = write_csv(tmp_path / "d.csv", DEDUCTION_HEAD, [[UNIT, "", "P1", "2", "信访"]])
    store.close()
    assert main(["import", str(path), "--kind", "deductions", "--db", str(writable_db)]) == 2
    assert "--round" in capsys.readouterr().err
    assert main(["import", str(path), "--kind", "deductions", "--round", "2023", "--db",
                 str(writable_db)]) == 0
    bad = write_csv(tmp_path / "bad.csv", DEDUCTION_HEAD, [[UNIT, "", "P1", "9", "信访"]])
    assert main(["import", str(bad), "--kind", "deductions", "--round", "2023", "--lang", "zh",
                 "--db", str(writable_db)]) == 1
    assert "不会自动截断" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["bonus", "deductions"])
def test_the_template_command_writes_the_export(demo_db_path, tmp_path, capsys, kind) -> None:
    from openpyxl import load_workbook

    out = tmp_path / f"{kind}.xlsx"
    assert main(["template", "--kind", kind, "--round", "2023", "--out", str(out), "--db",
                 str(demo_db_path)]) == 0
    book = load_workbook(out)
    assert book.sheetnames == [kind, "codes", "说明 guide"]
    with Store(demo_db_path) as store:
        stored = store.bonus_case_rows(2023) if kind == "bonus" else store.deduction_entries(2023)
    assert book[kind].max_row == len(stored) + 1
