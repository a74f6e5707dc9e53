"""Importing problems found (整改) in bulk: `import FILE --kind problems --round YEAR`, the
template and the export; every row checked, messages naming file, row and column, a file with
any problem refused whole."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from evalcore import actions
from evalcore.access import Viewer
from evalcore.db import Store
from evalcore.importer import ImportRejected
from evalcore.importer.problem_rows import (
    TEMPLATE_COLUMNS,
    import_problems,
    prepare_problems,
)
from evalcore.importer.problem_template import write_problem_template
from evalcore.paths import ROOT


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

GOOD = ("unit_code,unit_name,community_id,indicator_code,description,severity,deadline\n"
        "越城区,,,B3,楼道堆物未清理,较重,2024-03-31\n"
        "330603,,,,雨污分流不彻底,minor,2024-04-30\n")


@pytest.fixture
def db(demo_db_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "i.duckdb"
    shutil.copyfile(demo_db_path, path)
    return path


def write(tmp_path: Path, text: str, name: str = "problems.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_records_every_row_in_one_audited_entry(db: Path, tmp_path: Path) -> None:
    result = import_problems(db, write(tmp_path, GOOD), 2023, actor="cli:tester")
    assert (result.rows, result.new) == (2, 2)
    with Store(db) as store:
        found = store.problems(2023)
        entry = store.audit_entries(action="record-problem").iloc[0]
    assert found["id"].tolist() == [1, 2]
    assert found["unit_code"].tolist() == ["330602", "330603"]
    assert found["severity"].tolist() == ["major", "minor"]
    assert set(found["found_by"]) == {"cli:tester"} and set(found["found_stage"]) == {"admin"}
    assert '"file": "problems.csv"' in entry["detail"] and '"ids": [1, 2]' in entry["detail"]


def test_a_bad_file_is_refused_whole_naming_row_and_column(db: Path, tmp_path: Path) -> None:
    bad = GOOD + ("火星区,,,,x,minor,2024-01-01\n"
                  "330603,,330106-2019-001,Z9,y,minor,2024-01-01\n"
                  "330603,,,,,fatal,2022-04-30\n"
                  "330603,,,,z,minor,2022-12-31\n")
    with Store(db) as store, pytest.raises(ImportRejected) as caught:
        prepare_problems(store, write(tmp_path, bad), 2023)
    said = [p.render("en") if hasattr(p, "render") else str(p) for p in caught.value.problems]
    text = "\n".join(said)
    assert "row 4, column unit_code: unknown unit '火星区'" in text
    assert "row 5, column community_id: community '330106-2019-001' does not exist or is " \
           "not in 330603" in text
    assert "row 5, column indicator_code: indicator 'Z9' is not in this round's rubric" in text
    assert "row 6, column description" in text and "row 6, column severity" in text
    assert "row 7, column deadline: the deadline 2022-12-31 is not between 2023 and 2026" \
        in text
    with Store(db) as store:
        assert store.problems(2023).empty and store.audit_entries(
            action="record-problem").empty


def test_a_group_imports_only_for_the_units_it_inspects(db: Path, tmp_path: Path) -> None:
    viewer = Viewer("group", group_city_code="330200")  # inspects 绍兴 in 2023
    other = GOOD + "西湖区,,,,电梯未验收,major,2024-05-31\n"
    with Store(db, read_only=False) as store:
        with pytest.raises(ImportRejected) as caught:
            prepare_problems(store, write(tmp_path, other), 2023, viewer)
        [problem] = caught.value.problems
        assert problem.row == 4 and problem.column == "unit_code"
        assert "does not inspect 西湖区 (330106) in 2023" in str(problem)
        prepared = prepare_problems(store, write(tmp_path, GOOD), 2023, viewer)
        accounts = SimpleNamespace(current_account=lambda name: SimpleNamespace(
            role="group", unit_code=None, group_city_code="330200"))
        actions.import_prepared(store, actions.Actor("g", accounts), prepared)
        found = store.problems(2023)
    assert set(found["found_stage"]) == {"cross"} and set(found["found_by"]) == {"group:g"}


def test_the_template_imports_once_filled(db: Path, tmp_path: Path) -> None:
    path = write_problem_template(tmp_path / "t.xlsx", 2023)
    book = load_workbook(path)
    sheet = book["problems"]
    assert [c.value for c in sheet[1]] == TEMPLATE_COLUMNS
    assert "2023" in book["说明 guide"]["A1"].value
    sheet.append(["330604", "", "", "C1", "开工滞后", "serious", date(2024, 6, 30)])
    book.save(path)
    assert import_problems(db, path, 2023).rows == 1


def test_the_export_lists_the_rounds_problems_and_text_stays_text(db: Path,
                                                                 tmp_path: Path) -> None:
    import_problems(db, write(tmp_path, GOOD.replace("楼道堆物未清理", "=HYPERLINK(1)")), 2023)
    with Store(db) as store:
        buffer = io.BytesIO()
        write_problem_template(buffer, 2023, store.problems(2023))
    sheet = load_workbook(buffer)["problems"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["330602", "330603"]
    assert sheet["E2"].value == "=HYPERLINK(1)" and sheet["E2"].data_type == "s"


def test_the_command_line(db: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "evalcore", *args, "--db", str(db)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    missing = run("import", str(write(tmp_path, GOOD)), "--kind", "problems")
    assert missing.returncode == 2 and "--round" in missing.stderr
    bad = run("import", str(write(tmp_path, GOOD + "火星区,,,,x,minor,2024-01-01\n", "b.csv")),
              "--kind", "problems", "--round", "2023", "--lang", "zh")
    assert bad.returncode == 1 and "b.csv，第 4 行，“unit_code”列：未知的单位“火星区”" in bad.stderr
    good = run("import", str(write(tmp_path, GOOD)), "--kind", "problems", "--round", "2023")
    assert good.returncode == 0 and "imported 2 rows" in good.stdout
    out = tmp_path / "export.xlsx"
    assert run("template", "--kind", "problems", "--round", "2023", "--out",
               str(out)).returncode == 0
    assert load_workbook(out)["problems"].max_row == 3
