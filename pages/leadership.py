"""For leadership: the annual notice (通报), edited and downloaded as DOCX or PDF, and the
incentive pool split by the rubric's rule. Leaders and administrators only (access policy:
`notice`, `incentives`)."""

import streamlit as st

from evalcore import incentives, ui
from evalcore.ui import leadership as lead
from evalcore.views import methodology as mv

ctx = ui.context()
st.title("🏛️ " + ctx.t("page_leadership"))
if not lead.may_lead(ctx):
    st.error(ctx.t("ld_refused"))
    st.stop()
ui.demo_notice(ctx)
year = st.selectbox(ctx.t("round"), ui.round_years(ctx), key="leadership.round")
notice_tab, pack_tab, incentives_tab = st.tabs([ctx.t("ld_tab_notice"), ctx.t("ld_tab_pack"),
                                                ctx.t("ld_tab_incentives")])

with notice_tab:
    built = lead.notice(ctx, year)
    if isinstance(built, str):
        st.info(built)
    else:
        if built.draft_mark:
            st.warning(ctx.t("ld_draft_note"))
        st.caption(ctx.t("ld_notice_help"))
        st.markdown(f"**{built.title}**  \n{built.number}")
        lead.notice_downloads(ctx, lead.edited_notice(ctx, built))

with pack_tab:
    lead.pack_download(ctx, year)

with incentives_tab:
    rubric = ui.round_inputs(ctx.source, year).rubric
    rule = rubric.incentives
    if rule is None or not lead.may_see_incentives(ctx):
        st.info(ctx.t("ld_no_rule").format(rubric=rubric.id))
        st.stop()
    st.caption(rule.note_en if ctx.lang == "en" else rule.note_zh)
    pool = st.number_input(ctx.t("ld_pool_wan"), min_value=0.0, value=rule.default_pool_wan,
                           step=100.0, format="%.2f", key=f"leadership.pool.{year}")
    board = ui.board(ctx.source, year, rule.level, "final", None)
    ui.stop_if_empty(ctx, board)
    allocation = incentives.allocate(board, rubric, pool)
    shown = lead.allocation_frame(allocation, rubric, ctx.lang)
    st.dataframe(shown, hide_index=True, key="leadership.allocation",
                 height=ui.table_height(len(shown)))
    if not allocation.exact_ties:
        st.warning(ctx.t("ld_ties_note"))
    ui.download_buttons(ctx, shown, f"incentives-{year}-{rule.level}")
    with st.expander(ctx.t("ld_whatif")):
        defaults = mv.default_weights(rubric)
        weights = {d.code: st.slider(f"{d.code} {d.name(ctx.lang)}", 0.0,
                                     max(50.0, 2 * defaults[d.code]), defaults[d.code],
                                     step=1.0, key=f"leadership.w.{d.code}")
                   for d in rubric.dimensions}
        if sum(weights.values()) > 0:
            other = ui.what_if(ctx.source, year, rule.level, None, mv.weight_pairs(weights))
            changes = incentives.compare(allocation, incentives.allocate(other, rubric, pool))
            compared = lead.comparison_frame(changes, ctx.lang)
            st.dataframe(compared, hide_index=True, key="leadership.whatif",
                         height=ui.table_height(len(compared)))
            ui.download_buttons(ctx, compared, f"incentives-whatif-{year}-{rule.level}")
