"""The printable report: escaped standalone HTML, a real PDF, and a clear error without fonts."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from evalcore import report
from evalcore.report import FontFile, FontNotFoundError, Report, Section
from tests.test_views_profile import build_profile

HOSTILE = "<script>alert('x')</script>"


def has_font() -> bool:
    return report.pdf_unavailable_reason() is None


needs_font = pytest.mark.skipif(not has_font(), reason="no CJK font on this machine")


@pytest.fixture(scope="module")
def xihu(demo_store):
    return build_profile(demo_store, 2022, "330106")


def small_report(rows: int = 3, lang: str = "zh") -> Report:
    table = pd.DataFrame({"单位": [f"西湖区{i}" for i in range(rows)],
                          "总分": [90.5 + i for i in range(rows)]})
    return Report(title="测试报告", subtitle="副标题", lang=lang,
                  facts=(("总分", "90.50"), ("等次", "🟢 优秀")),
                  sections=(Section("分阶段得分", ("说明文字",), table=table),),
                  footer="数据来源：测试", demo_label="示例数据", demo_note="示例数据：模拟")


def page_count(pdf: bytes) -> int:
    """Pages in the page tree's /Count, checked against the page objects themselves."""
    dicts = [m.group(1) for m in re.finditer(rb"<<((?:(?!<<|>>).)*)>>", pdf, flags=re.S)]
    counts = [re.search(rb"/Count\s+(\d+)", d) for d in dicts if re.search(rb"/Type\s*/Pages\b", d)]
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert len(counts) == 1 and int(counts[0].group(1)) == pages
    return pages


# -- HTML ----------------------------------------------------------------------------------

def test_html_escapes_hostile_unit_and_case_text(xihu, demo_store) -> None:
    regions = demo_store.regions()
    regions.loc[regions["code"] == "330106", "name"] = HOSTILE
    cases = xihu.cases.assign(case_title=HOSTILE, case_description="<img src=x onerror=1>")
    data = dataclasses.replace(xihu, cases=cases)
    html = report.render_html(report.build_profile_report(data, regions, "zh", is_demo=True))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert html.count("&lt;script&gt;") >= 1 + (xihu.cases["stage"] == "self").sum()


@pytest.mark.parametrize("field", ["title", "subtitle", "footer", "demo_note"])
def test_html_escapes_every_text_field(field) -> None:
    html = report.render_html(dataclasses.replace(small_report(), **{field: HOSTILE}))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_html_escapes_table_headers_and_cells() -> None:
    table = pd.DataFrame({HOSTILE: ["<b>bold</b>"]})
    html = report.render_html(dataclasses.replace(
        small_report(), sections=(Section("x", table=table),)))
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


def test_html_is_standalone_and_labelled_demo(xihu, demo_store) -> None:
    html = report.render_html(report.build_profile_report(
        xihu, demo_store.regions(), "zh", is_demo=True, demo_note="示例数据：模拟"))
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert not re.search(r"https?://|<link|<script|src=", html)
    assert "示例数据" in html and "西湖区" in html
    assert f"{pv_total(xihu):.2f}" in html


def test_html_without_demo_has_no_demo_label(xihu, demo_store) -> None:
    html = report.render_html(report.build_profile_report(
        xihu, demo_store.regions(), "en", is_demo=False))
    assert "Demo data" not in html and "示例数据" not in html.split("</header>")[0]
    assert "Scores by stage" in html


def pv_total(data) -> float:
    return round(float(data.row("final")["total"]), 2)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (2.5, "2.5"), (90.3333, "90.33"), (None, "–"), (float("nan"), "–"),
     (3, "3"), ("西湖区", "西湖区")],
)
def test_cell_text(value, text) -> None:
    assert report.cell_text(value) == text


# -- PDF -----------------------------------------------------------------------------------

@needs_font
def test_pdf_is_a_one_page_pdf_for_a_short_report() -> None:
    pdf = report.render_pdf(small_report())
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1


@needs_font
def test_long_tables_continue_on_further_pages() -> None:
    pdf = report.render_pdf(small_report(rows=150))
    assert page_count(pdf) >= 3


@needs_font
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_pdf_renders_with_an_embedded_cjk_font(xihu, demo_store, lang) -> None:
    pdf = report.render_pdf(report.build_profile_report(
        xihu, demo_store.regions(), lang, is_demo=True, demo_note="示例数据"))
    assert pdf.startswith(b"%PDF-") and 1 <= page_count(pdf) <= 4
    assert b"/FontFile2" in pdf or b"/FontFile3" in pdf  # the subset font is embedded


# -- fonts ---------------------------------------------------------------------------------

def test_missing_font_gives_a_clear_error(tmp_path) -> None:
    missing = [FontFile(tmp_path / "none.ttc")]
    with pytest.raises(FontNotFoundError) as err:
        report.find_cjk_font(missing)
    message = str(err.value)
    assert str(tmp_path / "none.ttc") in message
    assert "fonts-wqy-zenhei" in message and "HTML" in message


def test_render_pdf_without_fonts_raises_and_html_still_works(monkeypatch) -> None:
    monkeypatch.setattr(report, "font_candidates", lambda: [FontFile(Path("/nonexistent.ttf"))])
    assert "No Chinese (CJK) font" in report.pdf_unavailable_reason()
    with pytest.raises(FontNotFoundError):
        report.render_pdf(small_report())
    assert "测试报告" in report.render_html(small_report())


def test_font_from_the_environment_comes_first(monkeypatch, tmp_path) -> None:
    font = tmp_path / "my.ttf"
    font.write_bytes(b"")
    monkeypatch.setenv(report.FONT_ENV, str(font))
    assert report.find_cjk_font() == FontFile(font, 0)
