"""A Chinese user who uploads a bad file reads every problem in Chinese; an English user reads
English. The real importer runs over real CSV and XLSX files with each kind of problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evalcore.__main__ import main
from evalcore.access import FULL, Viewer
from evalcore.importer import ImportRejected, Problem, prepare_communities, prepare_scores
from evalcore.importer.communities import CommunityRow
from evalcore.importer.problems import problem_count
from evalcore.importer.rows import ERROR_CODES, _message
from evalcore.importer.scores import score_columns
from evalcore.importer.units import resolve_unit
from evalcore.messages import MESSAGES, Message, render
from evalcore.rubric import load_rubric
from evalcore.views.data import problems_frame
from tests.hostile_files import CASES as HOSTILE_CASES
from tests.test_import import COMMUNITY_HEADER, WEST_LAKE, _community, write_csv, write_xlsx


@pytest.fixture(scope="session")
def demo_db_path(workflow_free_db_path):
    """These tests start from a round where nothing of the workflow has happened yet."""
    return workflow_free_db_path

RUBRIC = load_rubric("zj-2020")
HEADER = score_columns(RUBRIC)
MANUAL = [i.code for i in RUBRIC.manual_indicators()]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Technical names a Chinese text may keep as they are: formats, encodings, the date pattern,
# and snake_case column names (what the file's header says).
TECHNICAL = re.compile(r"GBK/GB18030|UTF-8|UTF-16|CSV|Excel|\.csv|\.xlsx|YYYY-MM-DD|--round|"
                       r"--stage|[a-z]+(?:_[a-z0-9]+)+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _flat(value) -> list[str]:
    if isinstance(value, tuple):
        return [s for v in value for s in _flat(v)]
    if isinstance(value, Message):
        return [s for v in value.params.values() for s in _flat(v)]
    return [str(value), f"{value:g}" if isinstance(value, float) else str(value)]


def _without_data(text: str, problem: Problem) -> str:
    """The text with the file's own words taken out: file name, column, and parameter values
    (a unit name, a typed value, a list of codes) are data, shown as the file has them."""
    data = [problem.file, str(problem.column), *_flat(problem.message)]
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def assert_chinese(text: str, problem: Problem) -> None:
    left = TECHNICAL.sub(" ", _without_data(text, problem))
    assert CJK.search(left), text
    assert not ENGLISH_WORD.findall(left), f"English in a Chinese message: {text!r}"


def assert_english(text: str, problem: Problem) -> None:
    left = _without_data(text, problem)
    assert not CJK.search(left), f"Chinese in an English message: {text!r}"
    assert len(ENGLISH_WORD.findall(left)) >= 2, text


# -- the files --------------------------------------------------------------------------

def _good(unit: str = "330106", value: object = 2.0) -> list:
    return [unit, "", *[value] * len(MANUAL), "第1组", "备注"]


def _set(row: list, column: str, value: object) -> list:
    row = list(row)
    row[HEADER.index(column)] = value
    return row


def _renamed(old: str, new: str) -> list[str]:
    return [new if c == old else c for c in HEADER]


SCORE_CASES = {  # case: (header, rows), written as CSV and as XLSX
    "unknown unit": (HEADER, [_good("火星区")]),
    "empty unit": (HEADER, [_good(""), _good("330108")]),
    "duplicate unit": (HEADER, [_good(), _good("西湖区")]),
    "above maximum": (HEADER, [_set(_good(), "A1", 4.5)]),
    "below minimum": (HEADER, [_set(_good(), "B2", -1)]),
    "not a number": (HEADER, [_set(_good(), "C3", "优")]),
    "infinite": (HEADER, [_set(_good(), "C3", "inf")]),
    "missing and unknown column": (_renamed("A3", "A3x"), [_good()]),
    "duplicate column": (_renamed("A3", "A2"), [_good()]),
    "derived indicator": ([*HEADER, "C1"], [[*_good(), 8]]),
    "header only": (HEADER, []),
    "no scores": (HEADER, [_good(value="")]),
}


COMMUNITY_FILE_HEADER = [*COMMUNITY_HEADER, "completion_date", "maintenance_fund"]


def _community_row(**changes) -> list:
    row = [*_community(*WEST_LAKE), "", ""]
    for column, value in changes.items():
        row[COMMUNITY_FILE_HEADER.index(column)] = value
    return row


COMMUNITY_CASES = {
    "outside its county": [_community(120.30, 30.28)],
    "outside the province": [_community(116.40, 39.90)],
    "unknown county": [_community(*WEST_LAKE, county="火星")],
    "bad status": [_community_row(status="done")],
    "not a whole number": [_community_row(households="3.5")],
    "not a date": [_community_row(start_date="2024/4/1")],
    "not yes or no": [_community_row(maintenance_fund="maybe")],
    "completion without start": [_community_row(start_date="", completion_date="2024-05-01")],
    "completion before start": [_community_row(completion_date="2024-01-01")],
    "missing name": [_community_row(name="")],
    "id too long": [_community_row(id="X" * 65)],
    "duplicate id": [_community(*WEST_LAKE), _community(*WEST_LAKE)],
}


def _score_file_problems(store, tmp_path: Path, case: str, fmt: str) -> list[Problem]:
    header, rows = SCORE_CASES[case]
    path = (write_csv if fmt == "csv" else write_xlsx)(tmp_path / f"得分.{fmt}", header, rows)
    return _refused(lambda: prepare_scores(store, path, 2023, "cross"))


def _refused(prepare) -> list[Problem]:
    with pytest.raises(ImportRejected) as info:
        prepare()
    assert info.value.problems
    return info.value.problems


def _raw_file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _formula_file(tmp_path: Path) -> Path:
    path = write_xlsx(tmp_path / "f.xlsx", HEADER, [_good()])
    book = load_workbook(path)
    book.active["C2"] = "=1+1"
    book.save(path)
    return path


def _other_problems(store, tmp_path: Path) -> dict[str, list[Problem]]:
    """Problems with the file as a whole, and with what was asked for."""
    good = write_csv(tmp_path / "good.csv", HEADER, [_good()])
    files = {
        "empty": _raw_file(tmp_path, "e.csv", b""),
        "utf-16": _raw_file(tmp_path, "u.csv", "unit_code,A1\n330106,1\n".encode("utf-16")),
        "undecodable": _raw_file(tmp_path, "b.csv", b"unit_code,A1\n\xff\xfe\xfa,1\n"),
        "row too wide": _raw_file(tmp_path, "w.csv", b"unit_code,A1\n330106,1,2\n"),
        "not a workbook": _raw_file(tmp_path, "x.xlsx", b"not a zip file"),
        "wrong type": _raw_file(tmp_path, "s.txt", b"unit_code\n"),
        "not found": tmp_path / "missing.csv",
        "formula": _formula_file(tmp_path),
    }
    out = {case: _refused(lambda p=path: prepare_scores(store, p, 2023, "cross"))
           for case, path in files.items()}
    for case, (name, build, _) in HOSTILE_CASES.items():  # tests/hostile_files.py
        out[case] = _refused(lambda n=name, b=build: prepare_scores(store, n, 2023, "cross",
                                                                    data=b()))
    out["unknown stage"] = _refused(lambda: prepare_scores(store, good, 2023, "peer"))
    out["missing round"] = _refused(lambda: prepare_scores(store, good, 2031, "cross"))
    out["unknown crs"] = _refused(lambda: prepare_communities(store, good, "utm"))
    out["communities by a unit"] = _refused(
        lambda: prepare_communities(store, good, "wgs84", Viewer("unit", unit_code="330106")))
    return out


@pytest.fixture(scope="module")
def all_problems(demo_db_path, tmp_path_factory) -> dict[str, list[Problem]]:
    """Every case's problems, from the real importer over files on disk (nothing is written)."""
    from evalcore.db import Store

    tmp = tmp_path_factory.mktemp("bad-files")
    with Store(demo_db_path) as store:
        out = {f"{case} ({fmt})": _score_file_problems(store, tmp, case, fmt)
               for case in SCORE_CASES for fmt in ("csv", "xlsx")}
        for case, rows in COMMUNITY_CASES.items():
            path = write_csv(tmp / f"小区-{len(out)}.csv", COMMUNITY_FILE_HEADER, rows)
            out[case] = _refused(lambda p=path: prepare_communities(store, p, "wgs84", FULL))
        out |= _other_problems(store, tmp)
    out |= _entry_problems(demo_db_path, tmp)
    return out


def _entry_problems(demo_db_path: Path, tmp: Path) -> dict[str, list[Problem]]:
    """A submitted (locked) stage, and a stage outside its window for a unit user
    (evalcore/actions_entry.py): on a copy where both are set."""
    import shutil
    from datetime import date, datetime

    from evalcore import actions
    from evalcore.db import Store

    copy = tmp / "entry.duckdb"
    shutil.copyfile(demo_db_path, copy)
    good = write_csv(tmp / "entry.csv", HEADER, [_good()])
    unit = Viewer("unit", unit_code="330106")
    with Store(copy, read_only=False) as store:
        actions.submit_stage(store, actions.CLI, 2023, "330106", "cross")
        actions.set_deadlines(store, actions.CLI, 2023, {"self": (date(2024, 2, 1),
                                                                  date(2024, 3, 31))})
        return {
            "locked stage": _refused(lambda: prepare_scores(store, good, 2023, "cross")),
            "window not open": _refused(lambda: prepare_scores(
                store, good, 2023, "self", unit, datetime(2024, 1, 31))),
            "window closed": _refused(lambda: prepare_scores(
                store, good, 2023, "self", unit, datetime(2024, 4, 1))),
        }


def _cases():
    score = [f"{c} ({f})" for c in SCORE_CASES for f in ("csv", "xlsx")]
    other = ["empty", "utf-16", "undecodable", "row too wide", "not a workbook", "wrong type",
             "not found", "formula", "unknown stage", "missing round", "unknown crs",
             "communities by a unit", "locked stage", "window not open", "window closed",
             *HOSTILE_CASES]
    return [*score, *COMMUNITY_CASES, *other]


@pytest.mark.parametrize("case", _cases())
def test_every_problem_reads_in_chinese_and_in_english(all_problems, case) -> None:
    problems = all_problems[case]
    for p in problems:
        assert_chinese(p.reason("zh"), p)
        assert_chinese(p.render("zh"), p)
        assert_english(p.reason("en"), p)
        assert p.render("en") == str(p)
    table = problems_frame(problems, "zh")
    assert list(table.columns) == ["文件", "行", "列", "原因"]
    assert table["原因"].tolist() == [p.reason("zh") for p in problems]
    head = ImportRejected(problems).render("zh").splitlines()[0]
    # the count of every problem, listed or (beyond the first 200) only counted
    assert head == f"导入被拒绝，未写入任何数据（{problem_count(problems)} 个问题）："


# Codes the importer's files cannot reach with Zhejiang's regions and these models, each
# tested directly below; every other importer code must come out of a case above.
NOT_FROM_FILES = {"ambiguous_unit", "invalid_value", "text_too_short"}
NOT_IMPORT_PROBLEMS = {"problem_in_file", "problem_at_row", "problem_at_column",
                       "problem_at_cell", "import_refused_head", "import_summary",
                       "import_needs_round_stage"}


def test_the_cases_cover_every_import_problem_code(all_problems) -> None:
    seen = {p.code for problems in all_problems.values() for p in problems}
    # setup_ codes (a round's targets, groups, deadlines): tests/test_import_setup.py;
    # submit_, reopen_ (submitting a stage, reopening it): tests/test_actions_entry.py;
    # bonus_ and deduction_ codes (bonus cases, deductions): tests/test_import_bonus.py and
    # tests/test_actions_bonus.py; problem_ codes of recording problems:
    # tests/test_import_problems.py and tests/test_actions_problems.py; notice_ and pack_
    # (documents for leadership): tests/test_notice.py and tests/test_pack.py
    importer = {c for c in MESSAGES
                if not c.startswith(("store_", "rights_", "evidence_", "setup_", "submit_",
                                     "reopen_", "bonus_", "deduction_", "problem_",
                                     "notice_", "pack_", "incentive"))}
    assert importer - NOT_IMPORT_PROBLEMS - NOT_FROM_FILES == seen


def test_codes_no_file_reaches_read_in_both_languages() -> None:
    lookup = {"西湖区": "330106", "鼓楼区": None}
    _, ambiguous = resolve_unit("鼓楼区", lookup)
    unknown = _message({"type": "uuid_parsing", "loc": ("id",), "input": "x-1"}, CommunityRow)
    short = _message({"type": "string_too_short", "loc": ("id",), "input": "",
                      "ctx": {"min_length": 2}}, CommunityRow)
    assert (ambiguous.code, unknown.code, short.code) == tuple(sorted(NOT_FROM_FILES))
    for message in (ambiguous, unknown, short):
        p = Problem("f.csv", message, row=2, column="id")
        assert_chinese(p.render("zh"), p)
        assert_english(p.render("en"), p)
    assert render(short, "en") == "the text is too short: at least 2 characters"


def test_every_pydantic_error_code_is_a_message() -> None:
    assert set(ERROR_CODES.values()) <= set(MESSAGES)


@pytest.mark.parametrize("code", sorted(c for c in MESSAGES if c.startswith(("store_", "rights_"))))
def test_store_and_rights_messages_read_in_both_languages(code) -> None:
    """Codes for evalcore/db.py and importer/rights.py, rendered with sample values."""
    from evalcore.messages import Label, placeholders

    samples = {"path": "data/evaluation.duckdb", "reason": "IO Error", "year": 2023, "id": 7,
               "later": 9, "unit": "330108", "role": Label("role_unit"), "stage": Label("self"),
               "version": "zj-2099", "name": "nobody", "found": 1, "supported": 2,
               "command": "python -m evalcore migrate --db data/evaluation.duckdb",
               "backup": "data/evaluation.duckdb.v1.bak", "dir": "/backups/20261129T020000Z",
               "file": "MANIFEST.json", "files": 3, "size": 11546624, "manifest": 2,
               "evidence": "data/evaluation.duckdb.evidence",
               "before": "data/evaluation.duckdb.before-restore-20261129T020000Z",
               "kind": Label("setup_groups")}
    message = Message(code, {k: samples[k] for k in placeholders(code)})
    p = Problem("s.csv", message)
    assert_chinese(render(message, "zh"), p)
    assert_english(render(message, "en"), p)


def test_role_and_stage_parameters_are_labels_in_the_readers_language() -> None:
    from evalcore.messages import Label

    m = Message("rights_role_stage_only", {"role": Label("role_unit"), "stage": Label("self")})
    assert render(m, "zh") == "市县用户只能导入“市县自评”阶段的得分"
    assert render(m, "en") == "the unit user role imports only the 'Self-evaluation' stage"


def test_rights_refusals_read_in_chinese(demo_db_path, tmp_path) -> None:
    from evalcore.db import Store

    path = write_csv(tmp_path / "s.csv", HEADER, [_good()])
    with Store(demo_db_path) as store:
        problems = _refused(lambda: prepare_scores(store, path, 2023, "cross", Viewer("leader")))
    for p in problems:
        assert_chinese(p.render("zh"), p)


def test_cli_prints_problems_in_the_chosen_language(writable_db, tmp_path, capsys) -> None:
    path = write_csv(tmp_path / "s.csv", HEADER, [_good("火星区")])
    args = ["import", str(path), "--round", "2023", "--stage", "cross", "--db", str(writable_db)]
    assert main([*args, "--lang", "zh"]) == 1
    assert "s.csv，第 2 行，“unit_code”列：未知的单位“火星区”（请填写代码、全称或简称）" in \
        capsys.readouterr().err
    assert main(args) == 1
    assert "s.csv, row 2, column unit_code: unknown unit '火星区'" in capsys.readouterr().err


def test_cli_summary_in_chinese(writable_db, tmp_path, capsys) -> None:
    path = write_csv(tmp_path / "s.csv", HEADER, [_good()])
    assert main(["import", str(path), "--round", "2023", "--stage", "cross",
                 "--db", str(writable_db), "--lang", "zh"]) == 0
    assert f"已从 s.csv 导入 {len(MANUAL)} 行：" in capsys.readouterr().out


