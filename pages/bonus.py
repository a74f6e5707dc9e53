"""Bonus drill-down: who claimed, who was awarded, caps reached, the cases, the funding mix."""

import streamlit as st

from evalcore import ui
from evalcore.figures.bonus import build_bonus_heatmap, build_funding_figure
from evalcore.labels import fmt_money_wan, fmt_pct
from evalcore.views import bonus as view

ctx = ui.context()
st.title("➕ " + ctx.t("page_bonus"))
ui.demo_notice(ctx)
within = ui.within_select(ctx)
rubric = ui.round_inputs(ctx.source, ctx.year).rubric
board = ui.board(ctx.source, ctx.year, ctx.level, ctx.stage, within)
ui.stop_if_empty(ctx, board)
report = ui.bonus_report(ctx.source, ctx.year, ctx.level, within, ctx.stage)
labels = view.category_labels(rubric, ctx.lang)

st.subheader(f"{ctx.t('bonus_matrix')} · {ui.view_title(ctx, within)}")
left, right = st.columns(2)
value = ui.param_select("bonus_value", view.VALUES, "awarded", ctx.t("bonus_value"),
                        lambda v: ctx.t(f"bonus_v_{v}"), left)
mode = ui.param_select("bonus_view", ("heatmap", "table"), "heatmap", ctx.t("bonus_view"),
                       lambda v: ctx.t(f"bonus_mode_{v}"), right)
wide = view.matrix(report, value, board, rubric)
caption = ctx.t("bonus_matrix_caption").format(
    groups="、".join(f"{g.name(ctx.lang)} {g.cap:g}" for g in rubric.bonus.groups),
    total=f"{rubric.bonus.total_cap:g}")
if mode == "heatmap":
    title = f"{ctx.t(f'bonus_v_{value}')} · {ui.view_title(ctx, within)}"
    fig = ui.figure(ctx.source, "bonus.heatmap",
                    (ctx.year, ctx.level, ctx.stage, within, value, ctx.lang, title),
                    lambda: build_bonus_heatmap(wide, view.cell_marks(wide, report),
                                                view.row_labels(wide, report, board, ctx.lang),
                                                view.category_ticks(rubric, ctx.lang), value,
                                                title, ctx.lang))
    st.plotly_chart(fig, key="bonus.heatmap")
    st.caption(ui.source_caption(ctx, caption))
else:
    shown = view.matrix_frame(wide, report, board, rubric, ctx.lang)
    st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)), key="bonus.matrix")
    st.caption(ui.source_caption(ctx, caption))
    ui.download_buttons(ctx, shown, f"bonus-{value}-{ctx.year}-{ctx.level}")

st.subheader(ctx.t("bonus_cases"))
category = ui.param_select("category", ["all", *labels], "all", ctx.t("bonus_category"),
                          lambda c: ctx.t("bonus_all_categories") if c == "all" else labels[c], st)
case_rows = view.cases(ui.bonus_cases(ctx.source, ctx.year), rubric, board, ctx.stage,
                       None if category == "all" else category)
shown_cases = view.cases_frame(case_rows, board, rubric, ctx.lang)
st.dataframe(shown_cases, hide_index=True, height=ui.table_height(len(shown_cases)),
             key="bonus.cases")
st.caption(ui.source_caption(ctx, ctx.t("bonus_cases_caption").format(n=len(shown_cases))))
ui.download_buttons(ctx, shown_cases, f"bonus-cases-{ctx.year}-{ctx.level}")

st.subheader(ctx.t("bonus_funding_mix"))
mix = view.funding_mix(ui.communities(ctx.source), ui.regions(ctx.source), ctx.year, board,
                       ctx.level)
one, two = st.columns(2)
one.metric(ctx.t("bonus_funding_total"), fmt_money_wan(float(mix.to_numpy().sum()), ctx.lang))
two.metric(ctx.t("bonus_seed_share"), fmt_pct(view.seed_share(mix)))
title = f"{ctx.t('bonus_funding_mix')} · {ctx.year} {ctx.t('bonus_batch')} · {ctx.t(ctx.level)}"
funding = ui.figure(ctx.source, "bonus.funding",
                    (ctx.year, ctx.level, ctx.stage, within, ctx.lang, title),
                    lambda: build_funding_figure(
                        mix, view.unit_labels(list(mix.index), board, ctx.lang), title, ctx.lang))
st.plotly_chart(funding, key="bonus.funding")
st.caption(ui.source_caption(ctx, ctx.t("bonus_funding_caption")))
