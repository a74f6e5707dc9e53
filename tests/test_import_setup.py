"""Importing a round's setup (targets, groups, deadlines) from real CSV and XLSX files: the
same validation and atomicity as scores; templates filled with what is stored, which import
back unchanged; the `import --kind` and `template --kind` commands."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore import actions, rounds_setup
from evalcore.__main__ import main
from evalcore.access import Viewer
from evalcore.db import Store
from evalcore.importer import ImportRejected, apply
from evalcore.importer.problems import Problem
from evalcore.importer.setup import TEMPLATE_COLUMNS, import_setup, prepare_setup
from evalcore.importer.setup_template import write_setup_template
from evalcore.messages import MESSAGES, Label, Message, placeholders, render
from tests.test_import import digest, write_csv, write_xlsx
from tests.test_import_messages import assert_chinese, assert_english

NOW = datetime(2024, 2, 1, 9, 30)
GROUP_HEADER = TEMPLATE_COLUMNS["groups"]
TARGET_HEADER = TEMPLATE_COLUMNS["targets"]
CITY_NAMES = ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市",
              "舟山市", "台州市", "丽水市"]


@pytest.fixture
def db(writable_db: Path) -> Path:
    """The demo with a new draft round 2024 (no groups, targets or deadlines)."""
    with Store(writable_db, read_only=False) as store:
        actions.create_round(store, actions.CLI, 2024, "zj-2020")
    return writable_db


def rotation_rows(year: int = 2024, k: int | None = None) -> list[list]:
    k = k or rounds_setup.rotation_step(11, year)
    return [[i + 1, c, CITY_NAMES[(i + k) % 11], f"组长{i + 1}", "副局长", "甲、乙"]
            for i, c in enumerate(CITY_NAMES)]


def problems(db: Path, path: Path, kind: str, year: int = 2024, **kw) -> list[str]:
    with Store(db, read_only=False) as store, pytest.raises(ImportRejected) as refused:
        prepare_setup(store, path, kind, year, **kw)
    return [str(p) for p in refused.value.problems]


# -- groups ----------------------------------------------------------------------------------

@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_groups_file_round_trip(db, tmp_path, writer) -> None:
    path = writer(tmp_path / f"groups.{'csv' if writer is write_csv else 'xlsx'}",
                  GROUP_HEADER, rotation_rows())
    result = import_setup(db, path, "groups", 2024, actor="cli:test", now=NOW)
    assert (result.rows, result.new, result.changed) == (11, 11, 0)
    with Store(db) as store:
        groups = store.group_assignments(2024)
        entry = store.audit_entries(action="import").iloc[0]
    expected = rounds_setup.suggest_groups(groups["leader_city_code"], 2024)
    assert groups["inspected_city_code"].tolist() == expected["inspected_city_code"].tolist()
    assert groups.loc[0, ["leader_name", "leader_title", "members"]].tolist() == [
        "组长1", "副局长", "甲、乙"]
    assert '"kind": "groups"' in entry["detail"] and '"round": 2024' in entry["detail"]


def test_a_group_inspecting_its_own_city_refuses_the_file_and_writes_nothing(db, tmp_path) -> None:
    rows = rotation_rows()
    rows[0][2] = "杭州"  # group 1, led by 杭州市, inspecting 杭州 (short name)
    path = write_xlsx(tmp_path / "groups.xlsx", GROUP_HEADER, rows)
    before = digest(db)
    found = problems(db, path, "groups")
    assert "groups.xlsx, row 2, column inspected_city: group 1 is led by 杭州市 and cannot " \
           "inspect its own city" in found
    assert any("is inspected by more than one group" in p for p in found)
    assert digest(db) == before


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda r: r.__setitem__(0, [1, "火星市", "宁波", "", "", ""]),
     "groups.csv, row 2, column leader_city: unknown unit '火星市'"),
    (lambda r: r.__setitem__(1, [1, *r[1][1:]]), "group 1 appears more than once"),
    (lambda r: r.__setitem__(0, ["一", *r[0][1:]]),
     "groups.csv, row 2, column group_no: '一' is not a whole number"),
    (lambda r: r.pop(), "there must be 11 groups (one led by each city); there are 10"),
    (lambda r: r.__setitem__(0, [*r[0][:3], "名" * 51, "", ""]),
     "groups.csv, row 2, column leader_name: the text is too long: at most 50 characters"),
])
def test_bad_group_files_are_refused(db, tmp_path, edit, expected) -> None:
    rows = rotation_rows()
    edit(rows)
    path = write_csv(tmp_path / "groups.csv", GROUP_HEADER, rows)
    before = digest(db)
    assert any(expected in p for p in problems(db, path, "groups")), problems(db, path, "groups")
    assert digest(db) == before


def test_only_those_the_policy_lets_import_setup_files(db, tmp_path) -> None:
    path = write_csv(tmp_path / "groups.csv", GROUP_HEADER, rotation_rows())
    for viewer in (Viewer("leader"), Viewer("unit", unit_code="330106"),
                   Viewer("group", group_city_code="330200")):
        assert problems(db, path, "groups", viewer=viewer) == [
            "groups.csv: your account may not import inspection groups"]


def test_a_file_for_a_missing_round_is_refused(db, tmp_path) -> None:
    path = write_csv(tmp_path / "groups.csv", GROUP_HEADER, rotation_rows())
    assert problems(db, path, "groups", year=2031) == ["groups.csv: round 2031 does not exist"]


# -- targets ---------------------------------------------------------------------------------

@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_targets_by_code_or_name(db, tmp_path, writer) -> None:
    rows = [["330000", "", 576, 190000, 750000.5], ["杭州市", "", 120, "", ""],
            ["西湖", "", 8, 2400, 1200]]
    path = writer(tmp_path / f"t.{'csv' if writer is write_csv else 'xlsx'}", TARGET_HEADER, rows)
    result = import_setup(db, path, "targets", 2024, now=NOW)
    assert (result.rows, result.new) == (3, 3)
    with Store(db) as store:
        targets = store.targets().query("year == 2024").set_index("unit_code")
    assert targets["communities"].to_dict() == {"330000": 576, "330100": 120, "330106": 8}
    assert targets.loc["330000", "investment_wan"] == 750000.5
    assert targets.loc["330100", ["households", "investment_wan"]].isna().all()


@pytest.mark.parametrize(("row", "expected"), [
    (["330106", "", -1, "", ""], "row 2, column communities: -1 is below the minimum 0"),
    (["330106", "", 1.5, "", ""], "row 2, column communities: '1.5' is not a whole number"),
    (["330106", "", "", 100, ""], "row 2, column communities: a value is required"),
    (["330106", "", 3, -5, ""], "row 2, column households: -5 is below the minimum 0"),
    (["330106", "", 3, "", "lots"], "row 2, column investment_wan: 'lots' is not a valid number"),
    (["火星区", "", 3, "", ""], "row 2, column unit_code: unknown unit '火星区'"),
])
def test_bad_targets_are_refused_with_row_and_column(db, tmp_path, row, expected) -> None:
    path = write_csv(tmp_path / "t.csv", TARGET_HEADER, [["330100", "", 10, "", ""], row])
    before = digest(db)
    found = problems(db, path, "targets")
    assert any(expected.replace("row 2", "row 3") in p for p in found), found
    assert digest(db) == before


def test_blank_rows_are_not_set_and_a_file_of_only_blank_rows_is_refused(db, tmp_path) -> None:
    path = write_csv(tmp_path / "t.csv", TARGET_HEADER, [["330100", "", 10, "", ""],
                                                        ["330106", "西湖区", "", "", ""]])
    assert import_setup(db, path, "targets", 2024, now=NOW).rows == 1
    blank = write_csv(tmp_path / "e.csv", TARGET_HEADER, [["330106", "西湖区", "", "", ""]])
    assert problems(db, blank, "targets") == ["e.csv: no targets found: every row's values are "
                                              "empty"]
    blank = write_csv(tmp_path / "d.csv", TEMPLATE_COLUMNS["deadlines"], [["self", "", ""]])
    assert problems(db, blank, "deadlines") == ["d.csv: no date given: set at least one stage"]


def test_a_duplicate_unit_and_an_unknown_column_are_refused(db, tmp_path) -> None:
    path = write_csv(tmp_path / "t.csv", TARGET_HEADER, [["330100", "", 10, "", ""],
                                                        ["杭州", "", 11, "", ""]])
    assert any("duplicate row: unit 330100 is also on row 2" in p
               for p in problems(db, path, "targets"))
    path = write_csv(tmp_path / "u.csv", [*TARGET_HEADER, "budget"], [["330100", "", 10, "", "",
                                                                        1]])
    assert problems(db, path, "targets") == ["u.csv, column budget: unknown column 'budget'"]


def test_a_targets_import_is_versioned_and_revertible(db, tmp_path) -> None:
    first = write_csv(tmp_path / "a.csv", TARGET_HEADER, [["330100", "", 10, "", ""]])
    second = write_csv(tmp_path / "b.csv", TARGET_HEADER, [["330100", "", 12, "", ""]])
    import_setup(db, first, "targets", 2024, now=NOW)
    with Store(db, read_only=False) as store:
        prepared = prepare_setup(store, second, "targets", 2024)
        assert prepared.preview["change"].tolist() == ["changed"]
        entry = apply(store, prepared, "cli:test", NOW)
        assert store.targets().query("year == 2024")["communities"].tolist() == [12]
        store.revert(entry, actor="admin", at=NOW)
        assert store.targets().query("year == 2024")["communities"].tolist() == [10]


# -- deadlines -------------------------------------------------------------------------------

def test_deadlines_by_stage_code_or_label(db, tmp_path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", TEMPLATE_COLUMNS["deadlines"], [
        ["市县自评", "", date(2024, 3, 31)], ["cross", "2024-04-01", "2024-04-30"]])
    import_setup(db, path, "deadlines", 2024, now=NOW)
    with Store(db) as store:
        stages = store.round_stages(2024)
    assert stages["stage"].tolist() == ["self", "cross"]
    bad = write_csv(tmp_path / "e.csv", TEMPLATE_COLUMNS["deadlines"],
                    [["third_party", "2024-03-01", "2024-05-31"]])
    assert problems(db, bad, "deadlines") == [
        "e.csv: the third-party window opens on 2024-03-01, before the cross inspection opens "
        "on 2024-04-01"]  # checked with the stored cross window


# -- templates: filled with what is stored, and importable as they are ------------------------

@pytest.mark.parametrize("kind", ["targets", "groups", "deadlines"])
def test_a_template_imports_back_unchanged(demo_db_path, writable_db, tmp_path, kind) -> None:
    with Store(writable_db, read_only=False) as store:
        actions.set_deadlines(store, actions.CLI, 2023, {"self": (None, date(2024, 1, 31))})
        from evalcore.importer.setup import stored_setup

        out = write_setup_template(tmp_path / f"{kind}.xlsx", kind, 2023, store.regions(),
                                   stored_setup(store, kind, 2023))
        book = load_workbook(out)
        assert [c.value for c in book.worksheets[0][1]] == TEMPLATE_COLUMNS[kind]
        assert book.sheetnames[1] == "说明 guide"
        prepared = prepare_setup(store, out, kind, 2023)
        assert set(prepared.preview["change"]) == {"unchanged"}
        # the self-evaluation's deadline set above (the test database has no other)
        assert len(prepared.rows) == {"targets": 102, "groups": 11, "deadlines": 1}[kind]


def test_the_targets_template_lists_every_unit_with_its_stored_targets(demo_store,
                                                                      tmp_path) -> None:
    from evalcore.importer.setup import stored_setup

    out = write_setup_template(tmp_path / "t.xlsx", "targets", 2023, demo_store.regions(),
                               stored_setup(demo_store, "targets", 2023))
    rows = list(load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 102 and rows[0][:3] == ("330000", "浙江省", 377)


def test_the_groups_template_of_a_round_without_groups_holds_the_rotation(db, tmp_path) -> None:
    assert main(["template", "--kind", "groups", "--round", "2024", "--out",
                 str(tmp_path / "g.xlsx"), "--db", str(db)]) == 0
    rows = list(load_workbook(tmp_path / "g.xlsx").worksheets[0].iter_rows(min_row=2,
                                                                           values_only=True))
    assert [r[:3] for r in rows] == [tuple(r[:3]) for r in rotation_rows()]


# -- the command ---------------------------------------------------------------------------

def test_import_command_kinds(db, tmp_path, capsys) -> None:
    path = write_csv(tmp_path / "groups.csv", GROUP_HEADER, rotation_rows())
    assert main(["import", str(path), "--kind", "groups", "--db", str(db)]) == 2
    assert "importing inspection groups needs --round YEAR" in capsys.readouterr().err
    assert main(["import", str(path), "--kind", "groups", "--round", "2024", "--db",
                 str(db)]) == 0
    assert "imported 11 rows from groups.csv: 11 new" in capsys.readouterr().out
    rows = rotation_rows()
    rows[0][2] = "杭州市"
    write_csv(path, GROUP_HEADER, rows)
    assert main(["import", str(path), "--kind", "groups", "--round", "2024", "--db", str(db),
                 "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "导入被拒绝，未写入任何数据" in err and "第 1 组由杭州市牵头，不能检查本市" in err
    assert "Traceback" not in err


# -- messages ----------------------------------------------------------------------------

SAMPLES = {"group": 3, "city": "温州市", "value": "火星市", "n": 11, "found": 10,
           "groups": [2, 5], "column": Label("setup_leader_name"), "max": 50,
           "stage": Label("cross"), "opens": "2024-05-01", "closes": "2024-04-01",
           "date": "2030-01-01", "first": "2023-01-01", "last": "2025-12-31",
           "due": "2024-04-15", "third": "2024-03-01", "cross": "2024-04-01", "unit": "西湖区",
           "year": 2024, "previous": 2023, "rubric": "zj-2020", "id": 12,
           "kind": Label("setup_targets"), "other_row": 4,
           "problems": [Message("setup_group_own_city", {"group": 1, "city": "杭州市"}),
                        Message("setup_city_not_inspected", {"city": "绍兴市"})]}


@pytest.mark.parametrize("code", sorted(c for c in MESSAGES if c.startswith("setup_")))
def test_setup_messages_read_in_both_languages(code) -> None:
    """Every setup_ code, with sample values: Chinese with no English word of its own, English
    with no Chinese beyond the values (city and unit names are data)."""
    message = Message(code, {k: SAMPLES[k] for k in placeholders(code)})
    p = Problem("g.csv", message)
    assert_chinese(render(message, "zh"), p)
    assert_english(render(message, "en"), p)
