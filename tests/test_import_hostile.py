"""Issue #15 §4: hostile and fuzzed imports. Whatever a file holds, the importer ends in a
result or in ImportRejected naming the file and the reason (in both languages), within bounded
time and memory, and writes nothing.

The fuzz tests run a small, fixed (derandomised) set of examples in CI, about a minute in all;
`EVAL_FUZZ=long` runs many more, with fresh random seeds, and the large files at the limits:

    EVAL_FUZZ=long $PY -m pytest tests/test_import_hostile.py -q -p no:cacheprovider
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from evalcore.db import Store
from evalcore.importer import ImportRejected, import_scores, prepare_communities, prepare_scores
from evalcore.importer.limits import LIMITS, MAX_ROWS
from evalcore.importer.reading import read_table
from evalcore.messages import MESSAGES
from evalcore.schema import TABLES
from tests.hostile_files import (
    CASES,
    HEADER,
    MANUAL,
    csv_bytes,
    good_row,
    scores_sheet,
    xlsx_bytes,
)
from tests.test_import import COMMUNITY_HEADER, WEST_LAKE, _community

LONG = os.environ.get("EVAL_FUZZ") == "long"
NOW = datetime(2024, 2, 1, 9, 30)
# Peak Python memory of one import, measured with tracemalloc (README, Security): a file at the
# limits (20,000 community rows) peaked at ~70 MB here; refusals before reading stay tiny.
MEMORY_BOUND_MB = 128
REFUSED_UNREAD_MB = 8
TIME_BOUND_S = 60  # per file on a loaded two-core machine; most cases take well under a second
FUZZ = settings(
    max_examples=1000 if LONG else 40,
    deadline=None if LONG else timedelta(seconds=20),
    derandomize=not LONG,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)


def checksums(db: Path) -> dict[str, tuple]:
    """Row count and a digest of every table's rows."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        digest = "SELECT count(*), md5(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR))"
        return {t: con.execute(f"{digest} FROM {t} t").fetchone()  # noqa: S608 (schema.TABLES)
                for t in TABLES}
    finally:
        con.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_reported(rejected: ImportRejected, name: str) -> None:
    """Every problem names the file and has a reason in both languages."""
    assert rejected.problems
    for p in rejected.problems:
        assert p.file == name and p.code in MESSAGES, p
        assert name in p.render("zh") and name in p.render("en")
    assert rejected.render("zh") and rejected.render("en")


def outcome(prepare, name: str):
    """The prepared import, or None after checking the refusal is a proper report."""
    try:
        return prepare()
    except ImportRejected as rejected:
        assert_reported(rejected, name)
        return None


@pytest.fixture(scope="module")
def store(demo_db_path):
    with Store(demo_db_path, read_only=True) as s:
        yield s


@pytest.fixture(scope="module", autouse=True)
def database_untouched(demo_db_path):
    """The demo database every test here reads is byte-identical afterwards."""
    before = file_digest(demo_db_path)
    yield
    assert file_digest(demo_db_path) == before


# -- every hostile case: its reason, bounded time and memory ---------------------------

@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_with_its_reason(store, case) -> None:
    name, build, code = CASES[case]
    data = build()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRejected) as info:
            prepare_scores(store, name, 2023, "cross", data=data)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert code in {p.code for p in info.value.problems}
    assert_reported(info.value, name)
    assert elapsed < TIME_BOUND_S
    assert peak < MEMORY_BOUND_MB, f"{case}: {peak:.1f} MB"
    if code.startswith(("xlsx_", "file_too", "csv_is")):  # refused before reading anything
        assert peak < REFUSED_UNREAD_MB, f"{case}: {peak:.1f} MB"


def test_a_long_report_lists_200_problems_and_counts_the_rest(store) -> None:
    name, build, _ = CASES["too many problems"]
    with pytest.raises(ImportRejected) as info:
        prepare_scores(store, name, 2023, "cross", data=build())
    problems = info.value.problems
    assert len(problems) == 201 and info.value.count == 250
    assert problems[-1].render("zh") == f"{name}：另有 50 个问题未列出；请先改正以上问题后再上传"
    assert problems[-1].render("en") == (f"{name}: 50 more problem(s) not listed; fix those "
                                         "above and upload again")
    assert info.value.render("en").splitlines()[0].endswith("(250 problem(s)):")


@pytest.mark.parametrize("case", ["decompression bomb", "too many rows", "code and name disagree",
                                  "hidden first sheet", "merged cells"])
def test_the_command_line_writes_nothing_for_a_refused_file(writable_db, tmp_path, case) -> None:
    name, build, code = CASES[case]
    path = tmp_path / name
    path.write_bytes(build())
    before = checksums(writable_db)
    with pytest.raises(ImportRejected) as info:
        import_scores(writable_db, path, 2023, "cross", now=NOW)
    assert code in {p.code for p in info.value.problems}
    assert checksums(writable_db) == before


# -- what a refusal names, and what is accepted ----------------------------------------

def test_code_and_name_that_disagree_are_named_as_such(store) -> None:
    data = csv_bytes([HEADER, good_row("330100", name="宁波市"), good_row("330100", name="杭州市")])
    with pytest.raises(ImportRejected) as info:
        prepare_scores(store, "s.csv", 2023, "cross", data=data)
    [problem] = info.value.problems
    assert str(problem) == ("s.csv, row 2, column unit_code: code 330100 is 杭州市 but the unit "
                            "name says '宁波市' (code 330200): correct one of them")
    # a name that agrees (full or short), or names no unit at all, is fine
    data = csv_bytes([HEADER, good_row("330100", name="杭州"), good_row("330106", name="西湖区"),
                      good_row("330108", name="高新区（滨江）")])
    assert prepare_scores(store, "s.csv", 2023, "cross", data=data).result.rows == 3 * len(MANUAL)


def test_hidden_first_sheet_is_never_read(store) -> None:
    def build(book: Workbook) -> None:
        scores_sheet(book, [good_row("330108", 3.0)], title="old")
        book.active.sheet_state = "hidden"
        visible = book.create_sheet("mine")
        for row in [HEADER, good_row("330106", 1.0)]:
            visible.append(row)

    prepared = prepare_scores(store, "s.xlsx", 2023, "cross", data=xlsx_bytes(build))
    assert set(prepared.rows["unit_code"]) == {"330106"}
    assert set(prepared.rows["points"]) == {1.0}


def test_the_sheet_named_like_the_template_is_read_whatever_comes_first(store) -> None:
    def build(book: Workbook) -> None:
        book.active.title = "说明 guide"
        book.active.append(["这里是说明"])
        book.active.merge_cells("A1:C1")  # merged cells elsewhere do not matter
        sheet = book.create_sheet("Scores ")
        for row in [HEADER, good_row("330106", 1.0)]:
            sheet.append(row)

    prepared = prepare_scores(store, "s.xlsx", 2023, "cross", data=xlsx_bytes(build))
    assert set(prepared.rows["unit_code"]) == {"330106"}


def test_full_width_digits_and_numbers_as_text_read_as_numbers(store) -> None:
    rows = [["３３０１０６", "", *["１．５"] * len(MANUAL), "", ""],
            ["330108", "", *["1"] * len(MANUAL), "", ""]]
    csv_prepared = prepare_scores(store, "s.csv", 2023, "cross", data=csv_bytes([HEADER, *rows]))
    xlsx_prepared = prepare_scores(store, "s.xlsx", 2023, "cross",
                                   data=xlsx_bytes(lambda b: scores_sheet(b, rows)))
    for prepared in (csv_prepared, xlsx_prepared):
        points = prepared.rows.groupby("unit_code")["points"].unique()
        assert list(points["330106"]) == [1.5] and list(points["330108"]) == [1.0]


def _communities(rows: list[list], header=COMMUNITY_HEADER) -> bytes:
    return csv_bytes([header, *rows])


def test_community_numbers_and_dates_as_people_type_them(store) -> None:
    row = _community(*WEST_LAKE)
    row[7], row[8], row[9] = "１,２００", "1,200.5", "２０２４-０４-０１"
    prepared = prepare_communities(store, _path(_communities([row])), "wgs84")
    stored = prepared.rows.iloc[0]
    assert stored["households"] == 1200 and stored["planned_investment_wan"] == 1200.5
    assert str(stored["start_date"]) == "2024-04-01"


@pytest.mark.parametrize("value", ["1700006400", "0", "20240401", "2024-13-01", "45383"])
def test_a_date_is_never_a_count_of_seconds(store, value) -> None:
    row = _community(*WEST_LAKE)
    row[9] = value
    with pytest.raises(ImportRejected, match=rf"column start_date: '{value}' is not a valid date"):
        prepare_communities(store, _path(_communities([row])), "wgs84")


def test_dates_stored_as_text_in_a_workbook(store) -> None:
    row = _community(*WEST_LAKE)
    row[9] = "2024-04-01"  # a text cell, not a date cell

    def build(book: Workbook) -> None:
        for r in [COMMUNITY_HEADER, row]:
            book.active.append(r)

    path = _path(xlsx_bytes(build), "c.xlsx")
    assert str(prepare_communities(store, path, "wgs84").rows.iloc[0]["start_date"]) == \
        "2024-04-01"


@pytest.mark.parametrize(("header", "hint"), [("Unit_Code", "unit_code"), ("单位代码", "unit_code"),
                                              ("ｕｎｉｔ＿ｃｏｄｅ", "unit_code"),
                                              ("Unit code", "unit_code")])
def test_headers_written_another_way_say_which_header_is_meant(store, header, hint) -> None:
    data = csv_bytes([[header, *HEADER[1:]], good_row()])
    with pytest.raises(ImportRejected) as info:
        prepare_scores(store, "s.csv", 2023, "cross", data=data)
    hints = [p for p in info.value.problems if p.code == "header_hint"]
    assert [p.message.params["code"] for p in hints] == [hint]


def test_indicator_and_community_headers_by_name(store) -> None:
    from evalcore.importer.communities import OPTIONAL, REQUIRED
    from evalcore.importer.headers import COMMUNITY_ALIASES, header_hints
    from tests.hostile_files import RUBRIC

    first = RUBRIC.manual_indicators()[0]
    header = [first.name_zh if c == first.code else c for c in HEADER]
    with pytest.raises(ImportRejected) as info:
        prepare_scores(store, "s.csv", 2023, "cross", data=csv_bytes([header, good_row()]))
    assert [p.message.params["code"] for p in info.value.problems
            if p.code == "header_hint"] == [first.code]
    hints = header_hints(["户数", "Households", "id"], REQUIRED + OPTIONAL, COMMUNITY_ALIASES)
    assert {c: m.params["code"] for c, m in hints.items()} == {
        "户数": "households", "Households": "households"}


def test_duplicate_headers_are_named(store) -> None:
    data = csv_bytes([[*HEADER, "note"], [*good_row(), "x"]])
    with pytest.raises(ImportRejected, match="column 'note' appears more than once"):
        prepare_scores(store, "s.csv", 2023, "cross", data=data)


def test_xml_entities_are_refused_not_expanded() -> None:
    """defusedxml (pinned) makes openpyxl refuse DTDs: no billion laughs."""
    import openpyxl.xml

    from tests.hostile_files import _good_xlsx, rezip

    assert openpyxl.xml.DEFUSEDXML
    entities = b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10)
                        for i in range(8))
    doctype = b'<!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa">' + entities + b"]>"

    def laughs(name: str, content: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return content
        head, _, body = content.rpartition(b"?>")  # after the XML declaration, if any
        head = head + b"?>" if head else b""
        return head + doctype + body.replace(b'name="scores"', b'name="&i;"')

    data = rezip(_good_xlsx(), laughs)
    tracemalloc.start()
    try:
        with pytest.raises(ImportRejected) as info:
            read_table("s.xlsx", data)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert [p.code for p in info.value.problems] == ["xlsx_unreadable"]
    assert peak < REFUSED_UNREAD_MB


def _path(data: bytes, name: str = "c.csv") -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="hostile-")) / name
    path.write_bytes(data)
    return path


# -- at the limits: the memory bound -----------------------------------------------------

def _community_file(rows: int) -> bytes:
    body = [_community(WEST_LAKE[0] + (i % 50) * 1e-5, WEST_LAKE[1], cid=f"T-{i}")
            for i in range(rows)]
    return _communities(body)


def test_an_import_at_the_row_limit_stays_within_the_memory_bound(store) -> None:
    path = _path(_community_file(MAX_ROWS))
    tracemalloc.start()
    try:
        prepared = prepare_communities(store, path, "wgs84")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert len(prepared.rows) == MAX_ROWS
    assert peak < MEMORY_BOUND_MB, f"{peak:.1f} MB"


@pytest.mark.skipif(not LONG, reason="slow (openpyxl reads ~20,000 rows); EVAL_FUZZ=long")
def test_a_workbook_at_the_row_limit_stays_within_the_memory_bound(store) -> None:
    rows = [_community(WEST_LAKE[0], WEST_LAKE[1], cid=f"T-{i}") for i in range(MAX_ROWS)]

    def build(book: Workbook) -> None:
        for row in [COMMUNITY_HEADER, *rows]:
            book.active.append(row)

    path = _path(xlsx_bytes(build), "c.xlsx")
    tracemalloc.start()
    try:
        prepared = prepare_communities(store, path, "wgs84")
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert len(prepared.rows) == MAX_ROWS and peak < MEMORY_BOUND_MB, f"{peak:.1f} MB"


def test_every_limit_is_documented() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for limit in LIMITS:
        assert f"`{limit.name}`" in readme and f"{limit.value:,}" in readme, limit


# -- fuzzing ------------------------------------------------------------------------------

# Cell texts a careless or hostile file holds.
NASTY = st.sampled_from([
    "", " ", "330106", "西湖区", "宁波市", "３３０１０６", "１．５", "1,234", "1.5", "-1", "4.5",
    "1e309", "nan", "inf", "=1+1", "+1", "@SUM(A1)", "\ufeff330106", "\x00", "\r\n", '"',
    "''", "a" * 70_000, "2024-04-01", "2024/4/1", "1700006400", "是", "否", "true", "✓",
    "\u202e", "🏘️", "\t=cmd", "%s%s%n", "{n}", "{0}", "' OR 1=1 --", "<script>",
])
CELL = st.one_of(NASTY, st.text(max_size=30), st.integers(-10**12, 10**12).map(str),
                 st.floats(allow_nan=True).map(str))
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "latin-1"])


@st.composite
def score_tables(draw) -> list[list[str]]:
    header = draw(st.lists(st.sampled_from([*HEADER, "单位代码", "unit_code", "", "Z9", "C1"]),
                           min_size=1, max_size=len(HEADER) + 3))
    if draw(st.booleans()):
        header = list(HEADER)
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 2), max_size=8))
    return [header, *rows]


def _encode(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


@FUZZ
@given(table=score_tables(), encoding=ENCODING)
def test_fuzzed_csv_scores_end_in_a_result_or_a_report(store, table, encoding) -> None:
    data = _encode(table, encoding)
    prepared = outcome(lambda: prepare_scores(store, "f.csv", 2023, "cross", data=data), "f.csv")
    if prepared is not None:
        assert not prepared.rows.empty
        assert prepared.rows["points"].between(0, 10).all()


@FUZZ
@given(table=score_tables(), hidden=st.booleans(), title=st.sampled_from(["scores", "Sheet", "x"]),
       merge=st.booleans())
def test_fuzzed_xlsx_scores_end_in_a_result_or_a_report(store, table, hidden, title,
                                                        merge) -> None:
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.title = title
        for row in table:
            sheet.append([_typed(c) for c in row])
        if merge:
            sheet.merge_cells("A2:B2")
        if hidden:
            book.create_sheet("other")
            sheet.sheet_state = "hidden"

    try:
        data = xlsx_bytes(build)
    except (ValueError, IllegalCharacterError):  # openpyxl refuses control characters
        return
    outcome(lambda: prepare_scores(store, "f.xlsx", 2023, "cross", data=data), "f.xlsx")


def _typed(text: str) -> object:
    """Cells as Excel holds them: numbers as numbers, the rest as text (or a formula)."""
    try:
        return float(text) if text.strip() and text.isascii() else text
    except ValueError:
        return text


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=len(COMMUNITY_HEADER),
                              max_size=len(COMMUNITY_HEADER)), max_size=6),
       good=st.integers(0, 3), encoding=ENCODING)
def test_fuzzed_communities_end_in_a_result_or_a_report(store, rows, good, encoding) -> None:
    body = [_community(*WEST_LAKE, cid=f"G-{i}") for i in range(good)] + rows
    data = _encode([COMMUNITY_HEADER, *[[str(c) for c in r] for r in body]], encoding)
    path = _path(data)
    outcome(lambda: prepare_communities(store, path, "wgs84"), "c.csv")


def _seeds() -> list[tuple[str, bytes]]:
    """Valid files and every hostile case small enough to mutate quickly."""
    seeds = [("s.csv", csv_bytes([HEADER, good_row(), good_row("330108")])),
             ("s.csv", csv_bytes([HEADER, good_row()], "gb18030")),
             ("s.xlsx", xlsx_bytes(lambda b: scores_sheet(b, [good_row(), good_row("330108")])))]
    small = [(name, build()) for name, build, _ in CASES.values()]
    return seeds + [(name, data) for name, data in small if len(data) < 64 * 1024]


SEEDS = _seeds()


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SEEDS))
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "repeat", "truncate"]))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 256))] * draw(st.integers(2, 50))
        else:
            del data[at:]
    return name, bytes(data)


@FUZZ
@given(case=mutated())
def test_mutated_files_end_in_a_result_or_a_report(store, case) -> None:
    name, data = case
    started = time.perf_counter()
    outcome(lambda: prepare_scores(store, name, 2023, "cross", data=data), name)
    assert time.perf_counter() - started < TIME_BOUND_S


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes_end_in_a_table_or_a_report(data, suffix) -> None:
    name = "r" + suffix
    try:
        read_table(name, data, "scores")
    except ImportRejected as rejected:
        assert_reported(rejected, name)


def test_a_workbook_that_opens_reads_like_the_same_table(store) -> None:
    """Sanity check of the fuzz harness: the valid seeds are accepted."""
    for name, data in SEEDS[:3]:
        assert prepare_scores(store, name, 2023, "cross", data=data).result.rows > 0
    assert load_workbook(io.BytesIO(SEEDS[2][1])).sheetnames == ["scores"]
