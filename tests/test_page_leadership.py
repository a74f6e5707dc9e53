"""The leadership page (issue #12 §1, §3): the notice and the incentives, for leaders and
administrators only."""

from __future__ import annotations

import io

import pytest
from docx import Document

from evalcore.labels import t
from tests.pages_helper import open_page
from tests.test_exports import downloads  # noqa: F401  (the fixture)


def _texts(at) -> str:
    parts = [m.value for m in (*at.markdown, *at.info, *at.warning, *at.error, *at.caption)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize(("role", "codes"), [(None, None), ("unit", {"unit_code": "330106"}),
                                             ("group", {"group_city_code": "330200"})])
def test_others_are_refused(demo_db_path, monkeypatch, role, codes) -> None:
    at = open_page(demo_db_path, monkeypatch, "leadership", role=role, codes=codes)
    assert t("ld_refused") in _texts(at)
    assert not at.get("download_button") and not at.dataframe


def test_leader_gets_the_notice_and_the_allocation(demo_db_path, monkeypatch,
                                                   downloads) -> None:  # noqa: F811
    at = open_page(demo_db_path, monkeypatch, "leadership", role="leader")
    at.selectbox(key="leadership.round").set_value(2022).run()
    assert "关于2022年度全省城镇老旧小区改造工作综合考评结果的通报" in _texts(at)
    closing = at.text_area(key="leadership.closing.2022.zh")
    closing.set_value("请各地认真整改。").run()
    files = {n: d for n, d in downloads if n}
    docx = files["notice-2022-zh.docx"]
    doc = Document(io.BytesIO(docx() if callable(docx) else docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "请各地认真整改。" in text and "浙旧改办〔2023〕" in text
    allocation = next(d.value for d in at.dataframe if "分配金额（元）" in d.value.columns)
    assert round(allocation["分配金额（元）"].sum(), 2) == 5000 * 10_000
    assert allocation["推荐督查激励"].eq("✓").sum() == 3


def test_admin_sees_a_draft_marked(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "leadership", role="admin")
    at.selectbox(key="leadership.round").set_value(2023).run()
    assert t("ld_draft_note") in _texts(at)


def test_pool_typed_and_english(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "leadership", role="admin", lang="en")
    at.selectbox(key="leadership.round").set_value(2022).run()
    at.number_input(key="leadership.pool.2022").set_value(1234.56).run()
    allocation = next(d.value for d in at.dataframe if "Amount (¥)" in d.value.columns)
    assert round(allocation["Amount (¥)"].sum(), 2) == 12_345_600.0


def test_a_rubric_without_a_rule_says_so(two_rubric_db_path, monkeypatch) -> None:
    at = open_page(two_rubric_db_path, monkeypatch, "leadership", role="admin")
    at.selectbox(key="leadership.round").set_value(2023).run()
    assert t("ld_no_rule").format(rubric="jx-2022") in _texts(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_meeting_pack_download(demo_db_path, monkeypatch, downloads, lang) -> None:  # noqa: F811
    """The pack's button gives the PDF of the chosen round (made when clicked; the chart
    images are left out here: tests/test_pack.py renders them)."""
    from pypdf import PdfReader

    from evalcore import pack_render

    monkeypatch.setattr(pack_render, "figure_images", lambda figures: {})
    at = open_page(demo_db_path, monkeypatch, "leadership", role="leader", lang=lang)
    at.selectbox(key="leadership.round").set_value(2022).run()
    assert t("ld_tab_pack", lang) in [tab.label for tab in at.tabs]
    assert t("ld_pack_help", lang) in _texts(at)
    files = {n: d for n, d in downloads if n}
    data = files[f"pack-2022-{lang}.pdf"]
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data())).pages]
    assert len(pages) == 6 + 11 and all(t("demo_badge", lang) in p for p in pages)
    assert t("pk_title", lang).format(year=2022) in pages[0]


def test_meeting_pack_of_a_draft_is_marked(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "leadership", role="admin")
    at.selectbox(key="leadership.round").set_value(2023).run()
    assert t("ld_pack_draft_note") in _texts(at)
