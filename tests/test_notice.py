"""The annual notice (issue #12 §1): its DOCX and PDF say what the engine says, for every
published demo round; drafts and empty rounds are refused with a clear message."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader

from evalcore import scoring
from evalcore.__main__ import main
from evalcore.access import FULL, Viewer
from evalcore.db import Store
from evalcore.notice import NoticeRefused, build_notice, grade_bands
from evalcore.notice_render import notice_docx, notice_pdf
from evalcore.reader import Reader
from evalcore.rounds import load_round_inputs

PUBLISHED = (2020, 2021, 2022)


def engine_boards(store: Store, year: int):
    inputs = load_round_inputs(store, year)
    return (inputs, scoring.leaderboard(inputs, "city", "final"),
            scoring.leaderboard(inputs, "county", "final"))


def docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    [table] = doc.tables
    return text, [[c.text for c in row.cells] for row in table.rows]


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def notices(demo_store):
    reader = Reader(demo_store, FULL)
    return {year: build_notice(reader, year, "zh") for year in PUBLISHED}


@pytest.mark.parametrize("year", PUBLISHED)
def test_docx_holds_the_engines_ranking_and_grade_lists(demo_store, notices, year) -> None:
    inputs, cities, counties = engine_boards(demo_store, year)
    text, rows = docx_text(notice_docx(notices[year]))
    assert rows[0][:4] == ["排名", "设区市", "总分", "等次"]
    names = {g.code: g.name_zh for g in inputs.rubric.grades}
    expected = [[str(int(r["rank"])), r["unit_name"], f"{r['total']:.2f}".rstrip("0").rstrip("."),
                 names[r["grade"]]] for _, r in cities.iterrows()]
    assert [r[:4] for r in rows[1:]] == expected
    regions = dict(zip(counties["unit_code"], counties["unit_name"], strict=True))
    for code, units in grade_bands(counties, inputs.rubric):
        listed = "、".join(regions[u] for u in units) if units else "无"
        assert f"{names[code]}（{len(units)}个）：{listed}。" in text
    for unit in counties.loc[counties["vetoed"], "unit_name"]:
        assert f"{unit}因" in text and "一票否决" in text
    assert f"关于{year}年度" in text and "示例数据" in docx_header(notice_docx(notices[year]))


def docx_header(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for s in doc.sections for p in s.header.paragraphs)


@pytest.mark.parametrize("year", PUBLISHED)
def test_pdf_holds_the_numbers_ranks_and_marks_every_page(demo_store, notices, year) -> None:
    inputs, cities, counties = engine_boards(demo_store, year)
    pages = pdf_pages(notice_pdf(notices[year]))
    assert all("示例数据" in p for p in pages), "the demo mark on every page"
    assert all(f"— {i} —" in p for i, p in enumerate(pages, start=1))
    text = "".join(pages).replace("\n", "")
    positions = [text.index(name) for name in cities["unit_name"]]
    assert positions == sorted(positions), "cities in rank order"
    for total in cities["total"]:
        assert f"{total:.2f}".rstrip("0").rstrip(".") in text
    first = cities.iloc[0]
    assert f"{first['unit_name']}以{first['total']:.2f}分位列第一" in text
    for county in counties["unit_name"]:
        assert county in text
    assert "本轮未记录问题整改数据" in text  # no problems table yet


def test_numbers_section_matches_progress(demo_store, notices) -> None:
    progress = Reader(demo_store, FULL).progress(2022)
    province = progress.loc[progress["level"] == "province"].iloc[0]
    numbers = notices[2022].section("numbers").paragraphs[0]
    assert f"{int(province['started'])}个" in numbers
    assert f"{int(province['started_target'])}个" in numbers


def test_practices_are_accepted_cases(demo_store, notices) -> None:
    claims = load_round_inputs(demo_store, 2022).bonus_claims
    accepted = set(claims.loc[claims["points_awarded"] > 0, "case_title"])
    practices = notices[2022].section("practices").paragraphs[1:]
    assert practices and all(any(title in p for title in accepted) for p in practices)


def test_english_notice(demo_store) -> None:
    notice = build_notice(Reader(demo_store, FULL), 2022, "en")
    pages = pdf_pages(notice_pdf(notice))
    assert all("Demo data" in p for p in pages)
    assert "City ranking" in "".join(pages)


def test_edits_replace_paragraphs(notices) -> None:
    edited = notices[2022].edited({"closing": "第一段\n\n第二段", "opening": "开头"})
    assert edited.section("closing").paragraphs == ("第一段", "第二段")
    assert edited.opening == "开头"
    text, _ = docx_text(notice_docx(edited))
    assert "第二段" in text


def test_a_draft_round_is_refused_or_marked(demo_store) -> None:
    with pytest.raises(NoticeRefused) as refused:
        build_notice(Reader(demo_store, FULL), 2023)
    assert "尚未发布" in refused.value.render("zh")
    notice = build_notice(Reader(demo_store, FULL), 2023, draft=True)
    assert all("草稿" in p for p in pdf_pages(notice_pdf(notice)))
    unit = Reader(demo_store, Viewer("unit", unit_code="330106"))
    with pytest.raises(NoticeRefused):  # a unit user may not make even the draft one
        build_notice(unit, 2023, draft=True)


def test_a_round_without_scores_is_refused(writable_db) -> None:
    with Store(writable_db, read_only=False) as store:
        store.create_round(2024, "zj-2020", actor="test")
        with pytest.raises(NoticeRefused) as refused:
            build_notice(Reader(store, FULL), 2024, draft=True)
    assert "尚无评分数据" in refused.value.render("zh")
    assert "no scores" in refused.value.render("en")


def test_cli_writes_and_refuses(demo_db_path, tmp_path, capsys) -> None:
    out = tmp_path / "n.docx"
    assert main(["notice", "--db", str(demo_db_path), "--round", "2022", "--out", str(out)]) == 0
    assert "关于2022年度" in docx_text(out.read_bytes())[0]
    pdf = tmp_path / "n.pdf"
    assert main(["notice", "--db", str(demo_db_path), "--round", "2023", "--format", "pdf",
                 "--out", str(pdf)]) == 2
    assert "尚未发布" in capsys.readouterr().err and not pdf.exists()
    assert main(["notice", "--db", str(demo_db_path), "--round", "2023", "--format", "pdf",
                 "--out", str(pdf), "--draft"]) == 0
    assert "草稿" in pdf_pages(pdf.read_bytes())[0]
