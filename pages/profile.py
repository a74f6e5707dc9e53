"""Unit profile: one city or county in one round, and a printable report for a meeting."""

import streamlit as st

from evalcore import report, ui
from evalcore.figures.profile import build_community_map, build_history_figure, build_stage_figure
from evalcore.ui import problems as pr
from evalcore.views import profile as pv

ctx = ui.context()
st.title("📋 " + ctx.t("page_profile"))
ui.demo_notice(ctx)
regions = ui.regions(ctx.source)
labels = pv.unit_labels(regions, ctx.lang)
code = ui.param_select("unit", pv.unit_options(regions), pv.default_unit(regions, ctx.level),
                       ctx.t("pf_select_unit"), labels.get, st)
data = ui.profile_data(ctx.source, ctx.year, code)
name = labels[code]
if data is None:  # another unit's draft: not on this viewer's board
    st.info(ctx.t("pf_not_visible").format(unit=name, year=ctx.year))
    st.stop()
where = f"{name} · {ctx.year}" + (f" · {ctx.t('draft')}" if ctx.draft else "")


def show(frame, name: str, caption: str | None = None) -> None:
    """A table, its caption (units and source) and its CSV/XLSX downloads."""
    st.dataframe(frame, hide_index=True, key=f"profile.{name}")
    if caption:
        st.caption(ui.source_caption(ctx, caption))
    ui.download_buttons(ctx, frame, f"profile-{code}-{ctx.year}-{name}")


st.header(where)
head = pv.headline(data)
cols = st.columns(4 if data.city_rank else 3)
cols[0].metric(ctx.t("total"), f"{head.total:.2f}",
               pv.delta_text(head.total_change, head.change_comparable, ctx.lang, 2),
               help=ctx.t("pf_vs_last"))
cols[1].metric(ctx.t("rank"), pv.rank_fraction(head.rank, head.peers),
               pv.delta_text(head.rank_change, head.change_comparable, ctx.lang),
               help=pv.rank_text(head.rank, head.peers, ctx.lang))
cols[2].metric(ctx.t("grade"), pv.grade_text(data, head.grade, ctx.lang)
               + (" ⛔" if head.vetoed else ""))
if data.city_rank:
    cols[3].metric(ctx.t("pf_rank_in_city"), pv.rank_fraction(*data.city_rank))
st.caption(f"{ctx.t('pf_final_note')} {ctx.t('pf_vs_last')}: {pv.change_text(head, ctx.lang)}")
if veto := pv.veto_text(data, ctx.lang):
    st.error(veto, icon="⛔")

st.subheader(ctx.t("pf_scores_by_stage"))
title = f"{ctx.t('pf_stage_chart')} · {where}"
st.plotly_chart(ui.figure(ctx.source, "profile.stages", (ctx.year, code, ctx.lang, title),
                          lambda: build_stage_figure(pv.stage_points(data), data.rubric,
                                                     ctx.lang, title)),
                key="profile.stages")
st.caption(ui.source_caption(ctx, pv.stage_caption(data, ctx.lang)))
show(pv.stage_table(data, ctx.lang), "stages")

st.subheader(ctx.t("pf_sw_title"))
strengths, weaknesses = pv.strengths_weaknesses(data, ctx.lang)
left, right = st.columns(2)
left.markdown(pv.bullet_markdown("💪 " + ctx.t("pf_strengths"), strengths))
right.markdown(pv.bullet_markdown("🔧 " + ctx.t("pf_weaknesses"), weaknesses))
st.caption(ctx.t("pf_sw_caption"))

st.subheader(ctx.t("pf_bonus_heading"))
st.write(pv.bonus_total_text(data, ctx.lang))
show(pv.bonus_table(data, ctx.lang), "bonus", ctx.t("pf_bonus_caption"))
cases = pv.case_table(data, ctx.lang)
with st.expander(f"{ctx.t('pf_cases')} ({len(cases)})"):
    show(cases, "cases")

st.subheader(ctx.t("pf_deductions_heading"))
deductions = pv.deduction_table(data, ctx.lang)
if deductions.empty:
    st.write(ctx.t("pf_no_deductions"))
else:
    show(deductions, "deductions", ctx.t("pf_deductions_caption"))

# Problems and rectification: counts only, for viewers who may read this unit's problems.
if (counts := pr.counts_for(ctx, ctx.year, code)) is not None:
    st.subheader(ctx.t("pr_profile_heading"))
    for col, key in zip(st.columns(4), counts, strict=True):
        col.metric(ctx.t(f"pr_col_{key}"), int(counts[key]))
    st.caption(ctx.t("pr_profile_caption").format(year=ctx.year))

st.subheader(ctx.t("pf_history"))
drafts = set(ui.rounds(ctx.source).query("not published")["year"].astype(int))
title = f"{ctx.t('pf_history_chart')} · {name}"
st.plotly_chart(ui.figure(ctx.source, "profile.history", (ctx.year, code, ctx.lang, title),
                          lambda: build_history_figure(pv.history_points(data, ctx.lang),
                                                       head.peers, ctx.lang, title)),
                key="profile.history_chart")
st.caption(ui.source_caption(ctx, pv.history_caption(data, ctx.lang)))
show(pv.history_table(data, ctx.lang, drafts), "history")

ui.dimension_history_section(ctx, str(data.unit["level"]), None, code, name, "profile")

st.subheader(f"{ctx.t('pf_communities')} · {name}")
st.write(pv.community_sentence(data, ctx.lang))
if not data.communities.empty:
    st.markdown(f"**{ctx.t('pf_map_title')} · {name}**")
    st.plotly_chart(ui.figure(ctx.source, "profile.map", (ctx.year, code, ctx.lang),
                              lambda: build_community_map(data.communities, code, ctx.lang)),
                    key="profile.map")
    st.caption(ui.source_caption(ctx, ctx.t("pf_map_caption")))
as_of = ui.status_as_of(ctx.source, code)
show(pv.community_table(data, regions, ctx.lang), "communities",
     ctx.t("pf_community_caption").format(as_of=as_of))

st.subheader("🖨️ " + ctx.t("pf_report"))
st.caption(ctx.t("pf_report_help"))
note = ui.meta(ctx.source).get("note_en" if ctx.lang == "en" else "note_zh", "")


def printable() -> report.Report:
    # Built only when a download is clicked (Streamlit calls the callables), not every rerun.
    return report.build_profile_report(
        data, regions, ctx.lang, is_demo=ctx.is_demo, demo_note=note,
        source=ctx.t("source_demo" if ctx.is_demo else "source_real"), drafts=frozenset(drafts))


left, right, _ = st.columns([1, 1, 3])
stem = f"report-{code}-{ctx.year}-{ctx.lang}"
left.download_button(ctx.t("pf_report_html"), lambda: report.render_html(printable()),
                     file_name=f"{stem}.html", mime="text/html", key="profile.report_html")
if (problem := report.pdf_unavailable_reason()) is None:
    right.download_button(ctx.t("pf_report_pdf"), lambda: report.render_pdf(printable()),
                          file_name=f"{stem}.pdf", mime="application/pdf",
                          key="profile.report_pdf")
else:
    right.warning(ctx.t("pf_pdf_unavailable"), icon="⚠️")
    st.caption(problem)
