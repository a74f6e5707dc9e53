"""Issue #15 §3: no CSV or XLSX the product writes can run anything when opened.

User text that starts like a formula is planted in community names, case titles, review
notes, score notes, deduction reasons and the audit log; every page is opened as an
administrator and every download it offers is made (deferred ones called, as a click would)
and read back: no XLSX cell is a formula, no CSV cell starts with a formula character unless
it carries the `'` prefix or is a plain number. The export functions and the import template
are tested directly, and a scan of the source finds every CSV/XLSX writer.
"""

from __future__ import annotations

import ast
import csv
import io
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from evalcore import exports
from evalcore.importer.template import write_score_template
from evalcore.navigation import DATA_PAGE, PAGES
from evalcore.rubric import load_rubric
from tests.pages_helper import open_page

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
HARMLESS = ["＝1"]  # a full-width equals sign starts no formula: left as it is
PLANTED = HOSTILE + HARMLESS
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROOT = Path(__file__).resolve().parent.parent


# -- reading a download back -----------------------------------------------------------

def csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _cr(text: str) -> str:
    """Text as an XLSX reader may return it: a carriage return as a line feed."""
    return text.replace("\r", "\n")


def looks_numeric(text: str) -> bool:
    try:
        float(text.replace(",", "").removesuffix("%"))
    except ValueError:
        return False
    return True


def assert_csv_safe(data: bytes, name: str) -> list[str]:
    cells = csv_cells(data)
    bad = [c for c in cells if c.startswith(FORMULA_STARTS) and not looks_numeric(c)]
    assert not bad, f"{name}: cells that a spreadsheet would run: {bad[:5]}"
    return cells


def xlsx_cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_xlsx_safe(data: bytes, name: str) -> list:
    cells = xlsx_cells(data)
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert not formulas, f"{name}: formula cells {formulas[:5]}"
    return cells


# -- the export functions --------------------------------------------------------------

def hostile_frame() -> pd.DataFrame:
    n = len(PLANTED)
    return pd.DataFrame({
        "name": PLANTED,
        "delta": [-2.5, -1.0, 0.0, 1.5, -3.25, 4.0, -0.5][:n],
        "rank": pd.array(range(-3, n - 3), dtype="Int64"),
        "formatted": ["-2.5", "-3.2%", "+1", "1,234", "-", "–", "=1"][:n],
    })


def test_csv_neutralises_text_cells_and_keeps_numbers() -> None:
    cells = assert_csv_safe(exports.csv_bytes(hostile_frame()), "frame.csv")
    for text in HOSTILE:
        assert "'" + text in cells
    assert "＝1" in cells  # harmless, unchanged
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(hostile_frame()).decode("utf-8-sig"),
                                       newline="")))
    assert [r[1] for r in rows[1:]] == ["-2.5", "-1.0", "0.0", "1.5", "-3.25", "4.0", "-0.5"]
    assert [r[2] for r in rows[1:]] == [str(i) for i in range(-3, 4)]
    # text that is a plain number stays as it is; text that is not gets the prefix
    assert [r[3] for r in rows[1:]] == ["-2.5", "-3.2%", "+1", "1,234", "'-", "–", "'=1"]


def test_csv_headers_are_neutralised_too() -> None:
    frame = pd.DataFrame({"=cmd|' /C calc'!A0": [1]})
    assert csv_cells(exports.csv_bytes(frame))[0] == "'=cmd|' /C calc'!A0"


def test_xlsx_writes_text_as_strings_and_numbers_as_numbers() -> None:
    cells = assert_xlsx_safe(exports.xlsx_bytes(hostile_frame()), "frame.xlsx")
    by_column: dict[str, list] = {}
    for cell in cells[4:]:
        by_column.setdefault(cell.column_letter, []).append(cell)
    # A carriage return reads back as a line feed (XML's normalisation) or, where openpyxl
    # writes through lxml (installed with python-docx), as itself: both are text.
    assert [_cr(c.value) for c in by_column["A"]] == [_cr(t) for t in PLANTED]
    assert {c.data_type for c in by_column["A"] + by_column["D"]} == {"s"}
    assert [c.value for c in by_column["B"]] == [-2.5, -1, 0, 1.5, -3.25, 4, -0.5]
    assert {c.data_type for c in by_column["B"] + by_column["C"]} == {"n"}
    assert [c.value for c in by_column["C"]] == list(range(-3, 4))


def test_xlsx_drops_characters_xml_cannot_hold_and_keeps_types() -> None:
    frame = pd.DataFrame({"text": ["bell\x07=1", None], "when": pd.to_datetime(
        ["2023-05-01", None]), "flag": [True, False], "n": [float("nan"), 2.0]})
    cells = assert_xlsx_safe(exports.xlsx_bytes(frame), "odd.xlsx")
    values = [c.value for c in cells[4:]]
    assert values[0] == "bell=1" and values[1].year == 2023 and values[2] is True
    assert values[3] is None and values[4] is None and values[7] == 2


def test_import_template_writes_unit_names_and_rubric_text_as_text(demo_store) -> None:
    regions = demo_store.regions().copy()
    regions["name"] = [PLANTED[i % len(PLANTED)] for i in range(len(regions))]
    buffer = io.BytesIO()
    write_score_template(buffer, load_rubric("zj-2020"), regions, 2023, "self")
    cells = assert_xlsx_safe(buffer.getvalue(), "template.xlsx")
    texts = {_cr(c.value) for c in cells if c.data_type == "s"}
    assert {_cr(t) for t in PLANTED} <= texts


def test_score_cli_csv_goes_through_exports() -> None:
    frame = pd.DataFrame({"unit_name": ["=1+1"], "total": [-1.5]})
    assert exports.csv_text(frame) == "unit_name,total\n'=1+1,-1.5\n"


# -- the source: every CSV/XLSX writer goes through evalcore.exports ---------------------

SOURCES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"),
                  *(ROOT / "evalcore").rglob("*.py")])
WRITERS = (".to_csv(", ".to_excel(", "ExcelWriter", "csv.writer(", "csv.DictWriter(")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_csv_or_xlsx_is_written_outside_exports(path: Path) -> None:
    if path.name == "exports.py" and path.parent.name == "evalcore":
        return
    text = path.read_text(encoding="utf-8")
    assert not [w for w in WRITERS if w in text], "write CSV/XLSX through evalcore.exports"
    if "Workbook(" in text:  # the import template: every row through exports.append_row
        assert path.name in ("template.py", "setup_template.py", "problem_template.py",
                             "bonus_template.py")
        assert ".append(" not in text and ".value =" not in text


def _download_calls() -> list[tuple[str, str, str]]:
    """(file, file_name expression, data expression) of every download_button call."""
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "download_button":
                kwargs = {k.arg: ast.unparse(k.value) for k in node.keywords}
                data = ast.unparse(node.args[1]) if len(node.args) > 1 else kwargs["data"]
                calls.append((path.relative_to(ROOT).as_posix(), kwargs["file_name"], data))
    return calls


def test_every_csv_or_xlsx_download_is_made_by_exports() -> None:
    calls = _download_calls()
    assert len(calls) >= 5
    for file, name, data in calls:
        if "evidence_bytes" in data or "evidence_file" in data:
            # An evidence file (佐证材料) handed back as uploaded, under its own name: a
            # user's file, checked by content on the way in, not one the product writes.
            continue
        if ".csv" in name or ".xlsx" in name:
            assert "exports." in data or "template_bytes" in data, (file, name, data)
        else:
            assert ".html" in name or ".pdf" in name or ".docx" in name, (file, name)


# -- every download of every page, with hostile text planted ---------------------------

def _plant(con: duckdb.DuckDBPyConnection, table: str, column: str, order: str) -> None:
    """Cycle the planted strings through a text column, so each appears in every listing."""
    con.execute(
        f"UPDATE {table} AS t SET {column} = list_extract($texts::VARCHAR[], "  # noqa: S608
        f"(n.k % {len(PLANTED)})::INTEGER + 1) FROM (SELECT rowid AS r, row_number() OVER "
        f"(ORDER BY {order}) AS k FROM {table}) AS n WHERE t.rowid = n.r",
        {"texts": PLANTED})


@pytest.fixture(scope="module")
def hostile_db(demo_db_path: Path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    shutil.copyfile(demo_db_path, path)
    con = duckdb.connect(str(path))
    try:
        _plant(con, "communities", "name", "county_code, id")
        _plant(con, "bonus_claims", "case_title", "round_year, unit_code, category_code, case_no")
        _plant(con, "bonus_claims", "review_note", "round_year, unit_code, case_no, stage")
        _plant(con, "scores", "note", "unit_code, indicator_code, stage, round_year")
        _plant(con, "scores", "evaluator", "indicator_code, unit_code, stage, round_year")
        _plant(con, "deductions", "reason", "round_year, unit_code, seq")
        for i, text in enumerate(PLANTED):
            con.execute("INSERT INTO audit_log (\"at\", actor, action, detail) VALUES "
                        "(TIMESTAMP '2024-01-01' + to_minutes(?::INTEGER), ?, 'import', ?)",
                        [i, text, '{"file": "x.csv"}'])
    finally:
        con.close()
    return path


@pytest.fixture
def downloads(monkeypatch) -> list[tuple[str, object]]:
    """(file name, data or its callable) of every download button the app registers."""
    seen: list[tuple[str, object]] = []
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record(self, data, mimetype, coordinates, file_name=None, **kw):
        seen.append((file_name, data))
        return add(self, data, mimetype, coordinates, file_name, **kw)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        seen.append((file_name, data_callable))
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return seen


PAGE_FILES = [p.script.removeprefix("pages/").removesuffix(".py") for p in (*PAGES, DATA_PAGE)]
# Views that list more user text than a page's default view shows.
VARIANTS = {
    "bonus": [{"bonus_view": "table"}, {"level": "county", "bonus_view": "table"}],
    "profile": [{"level": "county", "unit": "330304"}, {"unit": "330100"}],
    "community": [{"community": "330102-2019-001"}],  # the card's table (the search has none)
}
# The downloads where every planted string must be found (the sweep is not vacuous).
CARRIERS = {"bonus": "bonus-cases", "profile": "communities", "data": "audit-log"}


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_download_of_every_page_writes_text_as_text(hostile_db, monkeypatch, downloads,
                                                          page) -> None:
    for params in VARIANTS.get(page, [{}]):
        open_page(hostile_db, monkeypatch, page, role="admin", private=hostile_db,
                  round="2023", **params)
    spreadsheets = [(n, d) for n, d in downloads  # (images, such as a QR code, have no name)
                    if n and n.endswith((".csv", ".xlsx"))]
    assert spreadsheets or page in ("home", "map"), "no table download found"
    found_csv, found_xlsx = set(), set()
    for name, data in spreadsheets:
        content = data() if callable(data) else data
        if name.endswith(".csv"):
            cells = set(assert_csv_safe(content, name))
            found_csv |= {t for t in HOSTILE if "'" + t in cells} | (set(HARMLESS) & cells)
        else:
            texts = {c.value for c in assert_xlsx_safe(content, name) if c.data_type == "s"}
            texts = {_cr(v) for v in texts}
            found_xlsx |= {t for t in PLANTED if _cr(t) in texts}
    if page in CARRIERS:
        assert any(CARRIERS[page] in n for n, _ in spreadsheets)
        assert found_csv == set(PLANTED) and found_xlsx == set(PLANTED)


# -- plain values (issue #12 §5) ---------------------------------------------------------

@pytest.mark.parametrize(("text", "lang", "plain"), [
    ("🟢 优秀", "zh", "优秀"),
    ("🔴 不合格 ⛔", "zh", "不合格（一票否决）"),
    ("🔴 Fail ⛔", "en", "Fail (veto)"),
    ("⛔", "zh", "一票否决"),
    ("✅ 已认定", "zh", "已认定"),
    ("⚠ 未核验", "zh", "未核验"),
    ("·", "zh", ""),
    ("▲2", "zh", "▲2"),
    ("\t=1", "zh", "\t=1"),  # other text exactly as it was
])
def test_plain_text_drops_badges(text, lang, plain) -> None:
    assert exports.plain_text(text, lang) == plain


def test_plain_frame_keeps_numbers_numbers_and_codes_text() -> None:
    frame = pd.DataFrame({"等次": ["🟢 优秀", "🔵 良好"], "户数": ["1,234", "56"],
                          "开工率": ["50.0%", "101.5%"], "代码": ["330100", "330200"],
                          "总分": [91.5, 85.0]})
    plain = exports.plain_frame(frame)
    assert list(plain["等次"]) == ["优秀", "良好"]
    assert list(plain["户数"]) == [1234.0, 56.0]
    assert list(plain["开工率"]) == [0.5, 1.015]
    assert list(plain["代码"]) == ["330100", "330200"]
    assert plain.attrs["percent_columns"] == ["开工率"]
    assert list(frame["等次"]) == ["🟢 优秀", "🔵 良好"]  # the screen's frame untouched


def test_formatted_xlsx_freezes_header_sets_widths_and_formats() -> None:
    frame = exports.plain_frame(pd.DataFrame({
        "单位名称": ["杭州市", "宁波市"], "总分": [91.25, 85.5], "排名": [1, 2],
        "开工率": ["50.0%", "75.5%"]}))
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(frame, formatted=True)))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 8
    assert [c.value for c in sheet[1]] == ["单位名称", "总分", "排名", "开工率"]
    assert sheet["B2"].number_format == "#,##0.00" and sheet["B2"].value == 91.25
    assert sheet["C2"].number_format == "#,##0" and sheet["C2"].data_type == "n"
    assert sheet["D2"].number_format == "0.0%" and sheet["D2"].value == 0.5


def test_leaderboard_download_is_plain(demo_db_path, monkeypatch, downloads) -> None:
    open_page(demo_db_path, monkeypatch, "leaderboard", round="2022", lang="en")
    files = dict((n, d) for n, d in downloads if n and n.endswith((".csv", ".xlsx")))
    name = next(n for n in files if n.startswith("leaderboard") and n.endswith(".xlsx"))
    data = files[name]() if callable(files[name]) else files[name]
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert "Rank" in header or "rank" in " ".join(map(str, header)).lower()
    grades = [row[header.index("Grade")].value for row in sheet.iter_rows(min_row=2)]
    assert grades and not any(b in g for g in grades for b in ("🟢", "🔵", "🟡", "🔴", "⚫"))
    totals = [row[header.index("Total")].value for row in sheet.iter_rows(min_row=2)]
    assert all(isinstance(v, float | int) for v in totals)
    assert sheet.freeze_panes == "A2"
