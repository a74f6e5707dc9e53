"""The bonus cases workspace's forms: claim or edit a case with evidence, withdraw it, review
it beside the unit's own funding in that channel, enter a deduction or veto. Widgets only;
the callbacks (evalcore.ui.bonus_workspace) read them from session state and act."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evalcore import actions_bonus as ab
from evalcore.evidence import ALLOWED_TYPES
from evalcore.labels import fmt_money_wan
from evalcore.rubric import Rubric
from evalcore.ui import bonus_workspace as bc
from evalcore.ui.loaders import communities, regions
from evalcore.ui.state import Context
from evalcore.views import bonus_cases as view

UPLOAD_TYPES = ["pdf", "jpg", "jpeg", "png", "docx", "xlsx"]
NEW = "new"


def _case_label(row) -> str:
    return f"{row.category_code}-{int(row.case_no)} {row.case_title}"


def _files_help(ctx: Context) -> str:
    return ctx.t("bc_files_help").format(types="、".join(ALLOWED_TYPES.values()))


def claim_form(ctx: Context, year: int, unit: str, rubric: Rubric, cases: pd.DataFrame) -> None:
    """A new case, or an edit of a case not reviewed yet (and its withdrawal)."""
    pending = cases[cases["status"] == "pending"]
    options = {NEW: ctx.t("bc_new_case"), **{f"{r.category_code}-{int(r.case_no)}":
                                             _case_label(r) for r in pending.itertuples()}}
    sel = st.selectbox(ctx.t("bc_claim_which"), list(options), format_func=options.get,
                       key="bc.claim_which")
    row = None if sel == NEW else pending.iloc[list(options).index(sel) - 1]
    labels = {c.code: view.category_label(rubric, c.code, ctx.lang)
              for c in rubric.bonus.categories}
    with st.form(f"bc.claim_form.{sel}", clear_on_submit=True):
        st.selectbox(ctx.t("bonus_category"), list(labels), format_func=labels.get,
                     key=f"bc.category.{sel}", disabled=row is not None,
                     index=0 if row is None else list(labels).index(row["category_code"]))
        st.text_input(ctx.t("bc_case_title"), max_chars=ab.TITLE_MAX, key=f"bc.title.{sel}",
                      value="" if row is None else row["case_title"])
        st.text_area(ctx.t("bonus_case_description"), max_chars=ab.TEXT_MAX,
                     key=f"bc.description.{sel}",
                     value="" if row is None else (row["case_description"] or ""))
        st.number_input(ctx.t("bc_amount_wan"), min_value=0.0, value=None if row is None or
                        pd.isna(row["amount_wan"]) else float(row["amount_wan"]),
                        key=f"bc.amount.{sel}", help=ctx.t("bc_amount_help"))
        st.file_uploader(ctx.t("bc_evidence"), type=UPLOAD_TYPES, accept_multiple_files=True,
                         key=f"bc.files.{sel}", help=_files_help(ctx))
        st.form_submit_button(ctx.t("bc_claim" if row is None else "bc_save_case"),
                              type="primary", on_click=bc.claim,
                              args=(ctx, year, unit, None if row is None
                                    else int(row["case_no"]), sel))
    if row is not None:
        st.button(ctx.t("bc_withdraw"), key=f"bc.withdraw.{sel}", on_click=bc.withdraw,
                  args=(ctx, year, unit, row["category_code"], int(row["case_no"])))


def _funding(ctx: Context, year: int, unit: str, source: str) -> None:
    found = view.channel_funding(communities(ctx.source), regions(ctx.source), unit, year,
                                 source)
    st.markdown(f"**{ctx.t('bc_unit_funding')}: {ctx.t('bonus_fund_' + source)}**")
    one, two, three = st.columns(3)
    one.metric(ctx.t("bc_funding_batch").format(year=year),
               fmt_money_wan(found["batch_wan"], ctx.lang))
    two.metric(ctx.t("bc_funding_with_money"), f"{found['with_money']} / {found['batch']}")
    three.metric(ctx.t("bc_funding_upto").format(year=year),
                 fmt_money_wan(found["upto_wan"], ctx.lang))


def _evidence(ctx: Context, year: int, unit: str, key: str, prefix: str) -> None:
    files = bc.rows(ctx, "evidence", year)
    files = files[(files["unit_code"] == unit) & (files["subject_key"] == key)]
    if files.empty:
        st.warning(ctx.t("bc_no_evidence"))
        return
    for i, f in enumerate(files.itertuples()):
        st.download_button(f"📎 {view.plain(f.file_name)}", lambda sha=f.sha256: bc.evidence_file(ctx, sha),
                           file_name=f.file_name, mime=f.media_type, key=f"{prefix}.{i}")


def review_form(ctx: Context, year: int, unit: str, rubric: Rubric, cases: pd.DataFrame) -> None:
    """Accept or reject a case of the categories the viewer verifies, with a reason, the
    claim's evidence and the unit's own funding in that channel beside it."""
    mine = cases[cases["review_stage"].isin(ab.review_stages(ctx.viewer))]
    if mine.empty:
        st.info(ctx.t("bc_nothing_to_review"))
        return
    options = {f"{r.category_code}-{int(r.case_no)}": _case_label(r) for r in mine.itertuples()}
    sel = st.selectbox(ctx.t("bc_review_which"), list(options), format_func=options.get,
                       key="bc.review_which")
    row = mine.iloc[list(options).index(sel)]
    cat = next(c for c in rubric.bonus.categories if c.code == row["category_code"])
    st.markdown(f"**{view.plain(row['case_title'])}** · "
                f"{view.category_label(rubric, cat.code, ctx.lang)}")
    st.text(row["case_description"] or "")
    if row["status"] != "pending":  # a verdict can be changed while the round is a draft
        st.caption(f"{ctx.t('bonus_status')}: {ctx.t('bonus_status_' + row['status'])} · "
                   f"{view.plain(row['review_note'])}")
    if not pd.isna(row["amount_wan"]):
        st.metric(ctx.t("bc_amount_wan"), fmt_money_wan(float(row["amount_wan"]), ctx.lang))
    _evidence(ctx, year, unit, ab.case_key(cat.code, int(row["case_no"])), f"bc.ev.{sel}")
    if cat.funding_source:
        _funding(ctx, year, unit, cat.funding_source)
    with st.form(f"bc.review_form.{sel}", clear_on_submit=True):
        st.radio(ctx.t("bc_verdict"), ["accepted", "rejected"], key="bc.verdict",
                 format_func=lambda v: ctx.t(f"bc_verdict_{v}"), horizontal=True)
        st.text_area(ctx.t("bc_review_reason"), max_chars=ab.TEXT_MAX, key="bc.note")
        st.form_submit_button(ctx.t("bc_save_verdict"), type="primary", on_click=bc.review,
                              args=(ctx, year, unit, cat.code, int(row["case_no"])))


def deduction_form(ctx: Context, year: int, unit: str, rubric: Rubric) -> None:
    """An item of the rubric (its range shown), points, a reason, evidence."""
    options = view.deduction_options(rubric, ctx.lang)
    if not options:
        st.info(ctx.t("bc_no_items"))
        return
    with st.form("bc.deduction_form", clear_on_submit=True):
        st.selectbox(ctx.t("bc_item"), list(options), format_func=options.get, key="bc.item")
        st.number_input(ctx.t("bc_points"), min_value=None, value=None, step=0.5,
                        key="bc.points", help=ctx.t("bc_points_help"))
        st.text_area(ctx.t("bc_reason"), max_chars=ab.TEXT_MAX, key="bc.reason")
        st.file_uploader(ctx.t("bc_evidence"), type=UPLOAD_TYPES, accept_multiple_files=True,
                         key="bc.ded_files", help=_files_help(ctx))
        st.form_submit_button(ctx.t("bc_enter_deduction"), type="primary", on_click=bc.deduct,
                              args=(ctx, year, unit))
