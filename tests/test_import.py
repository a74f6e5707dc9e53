"""Import of real data: round trips in every format and encoding, each bad input refused with
a message naming file, row and column, and never half an import."""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime
from pathlib import Path

import prcoords
import pytest
from openpyxl import Workbook, load_workbook

from evalcore.__main__ import main
from evalcore.db import Store
from evalcore.importer import ImportRejected, import_communities, import_scores
from evalcore.importer.scores import score_columns
from evalcore.rubric import load_rubric

RUBRIC = load_rubric("zj-2020")
MANUAL = [i.code for i in RUBRIC.manual_indicators()]
NOW = datetime(2024, 2, 1, 9, 30)


def _score_rows(units: list[str], value: float = 2.0) -> list[list]:
    return [[u, "", *[value] * len(MANUAL), "第1组", "备注"] for u in units]


def write_csv(path: Path, header: list, rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list, rows: list[list]) -> Path:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored(db: Path, unit: str, stage: str = "cross", year: int = 2023) -> dict[str, float]:
    with Store(db) as store:
        frame = store.stage_scores(year, stage)
    frame = frame[frame["unit_code"] == unit]
    return dict(zip(frame["indicator_code"], frame["points"], strict=True))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_round_trip_in_each_encoding(writable_db, tmp_path, encoding) -> None:
    rows = [["西湖区", "", *[1.5] * len(MANUAL), "第三组（杭州）", "说明"]]
    path = write_csv(tmp_path / "s.csv", score_columns(RUBRIC), rows, encoding)
    result = import_scores(writable_db, path, 2023, "cross", now=NOW)
    assert result.rows == len(MANUAL) and result.changed == len(MANUAL)
    assert stored(writable_db, "330106") == dict.fromkeys(MANUAL, 1.5)


def test_xlsx_round_trip_and_units_by_code_full_or_short_name(writable_db, tmp_path) -> None:
    rows = _score_rows(["330106", "滨江区", "淳安"], 1.5)
    rows[0][2] = 4  # A1 at its maximum
    path = write_xlsx(tmp_path / "s.xlsx", score_columns(RUBRIC), rows)
    result = import_scores(writable_db, path, 2023, "self", now=NOW)
    assert result.rows == 3 * len(MANUAL)
    assert stored(writable_db, "330106", "self")["A1"] == 4
    assert stored(writable_db, "330108", "self")["A2"] == 1.5
    assert stored(writable_db, "330127", "self")["E5"] == 1.5


def test_blank_cells_are_not_scored_and_leave_stored_values(writable_db, tmp_path) -> None:
    before = stored(writable_db, "330106")
    rows = [["330106", "西湖区", 2.5, *[""] * (len(MANUAL) - 1), "", ""]]
    import_scores(writable_db, write_csv(tmp_path / "s.csv", score_columns(RUBRIC), rows),
                  2023, "cross", now=NOW)
    after = stored(writable_db, "330106")
    assert after["A1"] == 2.5
    assert {k: v for k, v in after.items() if k != "A1"} == {
        k: v for k, v in before.items() if k != "A1"}


def test_successful_import_is_audited(writable_db, tmp_path) -> None:
    path = write_csv(tmp_path / "s.csv", score_columns(RUBRIC), _score_rows(["330106"]))
    import_scores(writable_db, path, 2023, "cross", actor="tester", now=NOW)
    with Store(writable_db) as store:
        entry = store.audit_log(1).iloc[0]
    assert entry["actor"] == "tester" and entry["action"] == "import"
    assert digest(path) in entry["detail"] and '"file": "s.csv"' in entry["detail"]


HEADER = score_columns(RUBRIC)


def _bad_cases():
    good = _score_rows(["330106"])[0]
    above = list(good)
    above[HEADER.index("A1")] = 4.5
    negative = list(good)
    negative[HEADER.index("B2")] = -1
    text = list(good)
    text[HEADER.index("C3")] = "优"
    unknown = list(good)
    unknown[0] = "火星区"
    renamed = [("A3x" if c == "A3" else c) for c in HEADER]
    return [
        ("unknown unit", HEADER, [good, unknown], r"row 3, column unit_code: unknown unit '火星区'"),
        ("above max", HEADER, [above], r"row 2, column A1: 4.5 is above the maximum 4"),
        ("negative", HEADER, [negative], r"row 2, column B2: -1 is below the minimum 0"),
        ("not a number", HEADER, [text], r"row 2, column C3: '优' is not a valid number"),
        ("duplicate", HEADER, [good, good], r"row 3, column unit_code: duplicate row: unit 330106 is also on row 2"),
        ("missing column", [c for c in HEADER if c != "D1"], [good[:-1]], r"s\.(csv|xlsx): missing column 'D1'"),
        ("renamed column", renamed, [good], r"missing column 'A3'.*\n.*column A3x: unknown column 'A3x'"),
        ("unknown indicator", [*HEADER, "Z9"], [[*good, 1]], r"column Z9: unknown column 'Z9'"),
        ("derived indicator", [*HEADER, "C1"], [[*good, 8]], r"column C1: indicator 'C1' is computed from community data"),
        ("header only", HEADER, [], r"has a header but no data rows"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("case", "header", "rows", "message"), _bad_cases(),
                         ids=[c[0] for c in _bad_cases()])
def test_bad_input_is_refused_and_nothing_changes(writable_db, tmp_path, fmt, case, header,
                                                  rows, message) -> None:
    path = tmp_path / f"s.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(path, header, rows)
    before = digest(writable_db)
    with pytest.raises(ImportRejected, match=message):
        import_scores(writable_db, path, 2023, "cross", now=NOW)
    assert digest(writable_db) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"e\.csv: the file is empty"),
        ("unit_code,A1\n330106,1\n".encode("utf-16"), r"e\.csv: is UTF-16 text"),
        (b"unit_code,A1\n\xff\xfe\xfa,1\n", r"e\.csv: cannot be decoded as UTF-8 or GBK"),
        (b"\n\n", r"e\.csv: the file is empty"),
    ],
    ids=["empty", "utf16", "bad-bytes", "blank-lines"],
)
def test_unreadable_files_are_refused(writable_db, tmp_path, content, message) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(content)
    before = digest(writable_db)
    with pytest.raises(ImportRejected, match=message):
        import_scores(writable_db, path, 2023, "cross", now=NOW)
    assert digest(writable_db) == before


def test_formula_cells_are_refused(writable_db, tmp_path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", HEADER, _score_rows(["330106"]))
    book = load_workbook(path)
    book.active["C2"] = "=1+1"
    book.save(path)
    with pytest.raises(ImportRejected, match=r"f\.xlsx, row 2, column A1: cell C2 holds a formula"):
        import_scores(writable_db, path, 2023, "cross", now=NOW)


@pytest.mark.parametrize(("year", "stage", "message"), [
    (2023, "peer", r"unknown stage 'peer' \(use one of self, cross, third_party\)"),
    (2031, "cross", r"round 2031 does not exist"),
])
def test_unknown_stage_or_round(writable_db, tmp_path, year, stage, message) -> None:
    path = write_csv(tmp_path / "s.csv", HEADER, _score_rows(["330106"]))
    with pytest.raises(ImportRejected, match=message):
        import_scores(writable_db, path, year, stage, now=NOW)


def test_one_bad_row_among_many_leaves_the_file_byte_for_byte(writable_db, tmp_path) -> None:
    rows = _score_rows(["330106", "330108", "330127", "330102"])
    rows[3][HEADER.index("E2")] = 9  # E2's max is 5
    path = write_xlsx(tmp_path / "s.xlsx", HEADER, rows)
    before = digest(writable_db)
    with pytest.raises(ImportRejected) as info:
        import_scores(writable_db, path, 2023, "cross", now=NOW)
    assert len(info.value.problems) == 1
    assert digest(writable_db) == before


def test_failure_while_writing_rolls_everything_back(writable_db, tmp_path, monkeypatch) -> None:
    path = write_csv(tmp_path / "s.csv", HEADER, _score_rows(["330106", "330108"], 0.5))
    with Store(writable_db) as store:
        before = (store.table_counts(), store.stage_scores(2023, "cross"))

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "audit", staticmethod(explode))
    with pytest.raises(RuntimeError, match="disk full"):
        import_scores(writable_db, path, 2023, "cross", now=NOW)
    with Store(writable_db) as store:
        assert store.table_counts() == before[0]
        assert store.stage_scores(2023, "cross").equals(before[1])


# -- communities -------------------------------------------------------------------------

COMMUNITY_HEADER = ["id", "name", "county", "lon", "lat", "batch_year", "status", "households",
                    "planned_investment_wan", "start_date", "property_management",
                    "fund_central_wan", "items_basic"]
WEST_LAKE = (120.1300, 30.2600)  # WGS84, inside 西湖区


def _community(lon: float, lat: float, county: str = "西湖区", cid: str = "T-1") -> list:
    return [cid, "测试小区", county, lon, lat, 2024, "started", 300, 1200.5, "2024-04-01",
            "quasi", 200, 6]


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_community_coordinates_are_converted(writable_db, tmp_path, crs) -> None:
    lon, lat = WEST_LAKE
    if crs != "wgs84":
        forward = prcoords.wgs_gcj if crs == "gcj02" else prcoords.wgs_bd
        lat, lon = forward((WEST_LAKE[1], WEST_LAKE[0]))
    path = write_csv(tmp_path / "c.csv", COMMUNITY_HEADER, [_community(lon, lat)])
    result = import_communities(writable_db, path, crs=crs, now=NOW)
    assert result.new == 1
    with Store(writable_db) as store:
        row = store.query("SELECT * FROM communities WHERE id = 'T-1'").iloc[0]
    assert row["lon"] == pytest.approx(WEST_LAKE[0], abs=1e-6)
    assert row["lat"] == pytest.approx(WEST_LAKE[1], abs=1e-6)
    assert row["county_code"] == "330106" and row["fund_central_wan"] == 200


def test_community_xlsx_with_dates(writable_db, tmp_path) -> None:
    row = _community(*WEST_LAKE)
    row[9] = datetime(2024, 4, 1)
    path = write_xlsx(tmp_path / "c.xlsx", COMMUNITY_HEADER, [row])
    assert import_communities(writable_db, path, now=NOW).new == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_community(120.30, 30.28), r"row 2, column lon/lat: point \(120.3, 30.28\) lies outside 西湖区 \(it falls in"),
        (_community(*WEST_LAKE, county="火星"), r"row 2, column county: unknown unit '火星'"),
        ([*_community(*WEST_LAKE)[:6], "done", *_community(*WEST_LAKE)[7:]], r"row 2, column status: 'done' is not one of: planned, started, completed, accepted"),
        ([*_community(*WEST_LAKE)[:7], -5, *_community(*WEST_LAKE)[8:]], r"row 2, column households: -5 is below the minimum 0"),
        ([*_community(*WEST_LAKE)[:11], -1, 6], r"row 2, column fund_central_wan: -1 is below the minimum 0"),
    ],
    ids=["outside-county", "unknown-county", "bad-status", "negative-households", "negative-fund"],
)
def test_bad_communities_are_refused(writable_db, tmp_path, row, message) -> None:
    path = write_csv(tmp_path / "c.csv", COMMUNITY_HEADER, [row])
    before = digest(writable_db)
    with pytest.raises(ImportRejected, match=message):
        import_communities(writable_db, path, now=NOW)
    assert digest(writable_db) == before


def test_duplicate_community_ids_are_refused(writable_db, tmp_path) -> None:
    rows = [_community(*WEST_LAKE), _community(*WEST_LAKE)]
    path = write_csv(tmp_path / "c.csv", COMMUNITY_HEADER, rows)
    with pytest.raises(ImportRejected, match=r"row 3, column id: duplicate id 'T-1' \(also on row 2\)"):
        import_communities(writable_db, path, now=NOW)


# -- command line ------------------------------------------------------------------------

def test_cli_template_then_import(writable_db, tmp_path, capsys) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["template", "--round", "2023", "--stage", "third_party", "--out", str(out),
                 "--db", str(writable_db)]) == 0
    book = load_workbook(out)
    assert [c.value for c in book.active[1]] == HEADER
    assert book.active.max_row == 102  # header + 11 cities + 90 counties
    for row in range(2, 4):
        for col in range(3, 3 + len(MANUAL)):
            book.active.cell(row=row, column=col, value=1)
    book.save(out)
    assert main(["import", str(out), "--round", "2023", "--stage", "third_party",
                 "--db", str(writable_db)]) == 0
    assert f"imported {2 * len(MANUAL)} rows" in capsys.readouterr().out


def test_cli_reports_refusal_on_stderr(writable_db, tmp_path, capsys) -> None:
    path = write_csv(tmp_path / "s.csv", HEADER, [["火星区", *[""] * (len(HEADER) - 1)]])
    code = main(["import", str(path), "--round", "2023", "--stage", "cross",
                 "--db", str(writable_db)])
    assert code == 1
    assert "s.csv, row 2, column unit_code: unknown unit '火星区'" in capsys.readouterr().err
