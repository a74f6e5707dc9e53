"""The leadership page's bridge: the notice (built once per round, language and viewer, cached),
its edits and downloads, and the incentive allocation for a typed pool.

What belongs here: Streamlit glue for pages/leadership.py. The notice's content is
evalcore/notice.py, its DOCX and PDF evalcore/notice_render.py, the allocation
evalcore/incentives.py; who may see any of it is the access policy (`notice`, `incentives`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evalcore import incentives
from evalcore.access import allows
from evalcore.labels import t
from evalcore.notice import Notice, NoticeRefused, build_notice
from evalcore.ui.loaders import TTL, Source, _reader
from evalcore.ui.state import Context

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def may_lead(ctx: Context) -> bool:
    return ctx.viewer.may_lead


def may_see_incentives(ctx: Context) -> bool:
    return allows(ctx.viewer, "read", "incentives", published=True)


@st.cache_data(ttl=TTL, show_spinner=False)
def _notice(source: Source, year: int, lang: str) -> Notice | str:
    """The notice, or the refusal's text (a draft round's notice is marked 草稿)."""
    try:
        return build_notice(_reader(source), year, lang, draft=True)
    except NoticeRefused as refused:
        return refused.render(lang)


def notice(ctx: Context, year: int) -> Notice | str:
    return _notice(ctx.source, year, ctx.lang)


def edited_notice(ctx: Context, base: Notice) -> Notice:
    """Text areas for the opening and every section (one paragraph a line), the notice with
    what the user typed."""
    texts = {"opening": st.text_area(ctx.t("ld_opening"), base.opening, height=100,
                                     key=f"leadership.opening.{base.year}.{ctx.lang}")}
    for s in base.sections:
        texts[s.key] = st.text_area(s.heading, "\n".join(s.paragraphs),
                                    height=68 + 24 * min(len(s.paragraphs), 8),
                                    key=f"leadership.{s.key}.{base.year}.{ctx.lang}")
        if s.table is not None:
            st.dataframe(s.table, hide_index=True, key=f"leadership.table.{s.key}")
    return base.edited(texts)


def notice_downloads(ctx: Context, edited: Notice) -> None:
    """DOCX and PDF of the notice as edited, each made only when clicked."""
    from evalcore.notice_render import notice_docx, notice_pdf

    name = f"notice-{edited.year}-{ctx.lang}"
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(ctx.t("ld_notice_docx"), lambda: notice_docx(edited),
                         file_name=f"{name}.docx", mime=DOCX_MIME, type="primary",
                         key="leadership.notice.docx")
    right.download_button(ctx.t("ld_notice_pdf"), lambda: notice_pdf(edited),
                          file_name=f"{name}.pdf", mime="application/pdf",
                          key="leadership.notice.pdf")


def allocation_frame(allocation: incentives.Allocation, rubric, lang: str) -> pd.DataFrame:
    """The allocation as shown: rank, unit, total, grade (words), weight, amount, nominated."""
    table = allocation.table
    grades = {g.code: g.name(lang) for g in rubric.grades}
    return pd.DataFrame({
        t("rank", lang): table["rank"].astype(int),
        t("unit_name", lang): table["unit_name"],
        t("total", lang): table["total"],
        t("grade", lang): table["grade"].map(grades),
        t("ld_weight", lang): table["weight"].round(4),
        t("ld_amount_yuan", lang): table["amount_yuan"],
        t("ld_nominated", lang): table["nominated"].map({True: "✓", False: ""}),
    })


def comparison_frame(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("unit_name", lang): changes["unit_name"],
        t("rank", lang): changes["rank"].astype(int),
        t("ld_rank_whatif", lang): changes["rank_whatif"].astype(int),
        t("ld_amount_yuan", lang): changes["amount_yuan"],
        t("ld_amount_whatif", lang): changes["amount_yuan_whatif"],
        t("ld_change_yuan", lang): changes["change_yuan"],
    })


# -- the meeting pack ----------------------------------------------------------------------

@st.cache_data(ttl=TTL, show_spinner=False, max_entries=8)
def _pack_refusal(source: Source, year: int, lang: str) -> str | None:
    from evalcore.pack import PackRefused, check_round

    try:
        check_round(_reader(source), year, draft=True)
    except PackRefused as refused:
        return refused.render(lang)
    return None


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=4)
def _pack_pdf(source: Source, year: int, lang: str) -> bytes:
    """The pack's PDF, its charts rendered in one kaleido session (10–20 s on 2 cores)."""
    from evalcore.pack import build_pack
    from evalcore.pack_render import pack_pdf

    return pack_pdf(build_pack(_reader(source), year, lang, draft=True))


def pack_download(ctx: Context, year: int) -> None:
    """The pack's download button, made only when clicked; or why it cannot be made."""
    from evalcore.pack_render import images_unavailable_reason

    if (refusal := _pack_refusal(ctx.source, year, ctx.lang)) is not None:
        st.info(refusal)
        return
    if (reason := images_unavailable_reason()) is not None:
        st.warning(ctx.t("ld_pack_unavailable").format(reason=reason))
        return
    rounds = _reader(ctx.source).rounds().set_index("year")
    if not bool(rounds.loc[year, "published"]):
        st.warning(ctx.t("ld_pack_draft_note"))
    st.caption(ctx.t("ld_pack_help"))
    st.download_button(ctx.t("ld_pack_pdf"), lambda: _pack_pdf(ctx.source, year, ctx.lang),
                       file_name=f"pack-{year}-{ctx.lang}.pdf", mime="application/pdf",
                       type="primary", key="leadership.pack.pdf")
