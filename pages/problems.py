"""Problems and rectification (整改): the round's problems by unit, status and age, counts,
and the forms to record, answer, sign off or send back, for those the policy allows."""

import streamlit as st

from evalcore import ui
from evalcore.ui import problems as pr
from evalcore.views import problems as pv
from evalcore.vocab import PROBLEM_SEVERITIES, PROBLEM_STATUSES

ctx = ui.context()
st.title("🛠️ " + ctx.t("page_problems"))
if not pr.may_read(ctx.viewer):
    st.error(ctx.t("pr_page_refused"))
    st.stop()
ui.show_outcome()
year, today, regions = ctx.year, pr.today(), ui.regions(ctx.source)
found = pr.problems(ctx, year)
names = pr.unit_names(ctx)
st.caption(ctx.t("pr_caption").format(year=year))

totals = pv.totals(found, today)
for col, key in zip(st.columns(4), totals, strict=True):
    col.metric(ctx.t(f"pr_col_{key}"), totals[key])

tabs = {"list": ctx.t("pr_tab_list"), "units": ctx.t("pr_tab_units")}
tabs |= {w: ctx.t(f"pr_tab_{w}") for w in ("record", "answer", "review") if pr.may(ctx, year, w)}
shown = dict(zip(tabs, st.tabs(list(tabs.values())), strict=True))

with shown["list"]:
    left, mid, right, last = st.columns(4)
    unit = left.selectbox(ctx.t("unit"), ["", *sorted(set(found["unit_code"]))],
                          format_func=lambda c: names.get(c, ctx.t("pr_all")), key="problems.f_unit")
    status = mid.selectbox(ctx.t("pr_col_status"), ["", *PROBLEM_STATUSES], key="problems.f_status",
                           format_func=lambda s: pv.status_label(s, ctx.lang) if s else ctx.t("pr_all"))
    severity = right.selectbox(ctx.t("pr_col_severity"), ["", *PROBLEM_SEVERITIES],
                               key="problems.f_severity", format_func=lambda s: pv.severity_label(
                                   s, ctx.lang) if s else ctx.t("pr_all"))
    overdue = last.checkbox(ctx.t("pr_overdue_only"), key="problems.f_overdue")
    chosen = pr.filtered(found, unit, status, severity, overdue)
    if chosen.empty:
        st.info(ctx.t("pr_none"))
    else:
        table = pv.problem_list(chosen, regions, today, ctx.lang)
        st.dataframe(table, hide_index=True, key="problems.list")
        ui.download_buttons(ctx, table, f"problems-{year}")
    st.caption(ctx.t("pr_overdue_rule"))
    options = pv.problem_options(found, PROBLEM_STATUSES, regions, ctx.lang)
    if options:
        pick = st.selectbox(ctx.t("pr_evidence_of"), list(options), format_func=options.get,
                            key="problems.evidence_id")
        files = pr.evidence_files(ctx, year, pick)
        if files.empty:
            st.caption(ctx.t("pr_no_evidence"))
        for row in files.itertuples():
            st.download_button(f"📎 {row.file_name} ({ctx.t(f'pr_subject_{row.subject}')})",
                               lambda sha=row.sha256: pr.evidence_bytes(ctx, sha),
                               file_name=row.file_name, mime=row.media_type,
                               key=f"problems.file.{row.Index}")

with shown["units"]:
    if found.empty:
        st.info(ctx.t("pr_none"))
    else:
        counts = pv.unit_count_table(found, regions, today, ctx.lang)
        st.dataframe(counts, hide_index=True, key="problems.units")
        ui.download_buttons(ctx, counts, f"problem-counts-{year}")

if "record" in shown:
    with shown["record"]:
        units = pr.recordable_units(ctx, year)
        if not units:
            st.info(ctx.t("pr_no_units"))
        else:
            unit = st.selectbox(ctx.t("unit"), units, format_func=names.get, key="problems.unit")
            st.selectbox(ctx.t("pr_form_community"), pr.community_options(ctx, unit),
                         format_func=lambda c: pr.community_label(ctx, c), key="problems.community")
            indicators = pr.indicator_options(ctx, year)
            st.selectbox(ctx.t("pr_form_indicator"), list(indicators),
                         format_func=indicators.get, key="problems.indicator")
            st.text_area(ctx.t("pr_col_description"), key="problems.description", max_chars=2000)
            st.selectbox(ctx.t("pr_col_severity"), PROBLEM_SEVERITIES, key="problems.severity",
                         format_func=lambda s: pv.severity_label(s, ctx.lang))
            st.date_input(ctx.t("pr_col_deadline"), value=pr.default_deadline(year),
                          key="problems.deadline")
            st.file_uploader(ctx.t("pr_files"), accept_multiple_files=True, key="problems.files")
            st.button(ctx.t("pr_record"), type="primary", key="problems.record",
                      on_click=pr.record, args=(ctx, year))
            with st.expander(ctx.t("pr_import_heading")):
                pr.import_box(ctx, year)

if "answer" in shown:
    with shown["answer"]:
        options = pv.problem_options(found, ("open", "returned"), regions, ctx.lang)
        if not options:
            st.info(ctx.t("pr_nothing_to_answer"))
        else:
            st.selectbox(ctx.t("pr_problem"), list(options), format_func=options.get,
                         key="problems.answer_id")
            st.text_area(ctx.t("pr_col_answer"), key="problems.answer", max_chars=2000)
            st.file_uploader(ctx.t("pr_rectification_files"), accept_multiple_files=True,
                             key="problems.answer_files")
            st.button(ctx.t("pr_answer"), type="primary", key="problems.submit_answer",
                      on_click=pr.answer, args=(ctx,))

if "review" in shown:
    with shown["review"]:
        options = pv.problem_options(pr.reviewable(ctx, found), ("answered",), regions,
                                     ctx.lang)
        st.caption(ctx.t("pr_review_rule"))
        if not options:
            st.info(ctx.t("pr_nothing_to_review"))
        else:
            st.selectbox(ctx.t("pr_problem"), list(options), format_func=options.get,
                         key="problems.review_id")
            st.text_area(ctx.t("pr_col_review_note"), key="problems.review_note", max_chars=2000)
            left, right, _ = st.columns([1, 1, 3])
            left.button(ctx.t("pr_close"), type="primary", key="problems.close",
                        on_click=pr.review, args=(ctx, True))
            right.button(ctx.t("pr_return"), key="problems.return", on_click=pr.review,
                         args=(ctx, False))
