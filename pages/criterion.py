"""Criterion drill-down: one indicator across units, stages side by side, points lost."""

import streamlit as st

from evalcore import ui
from evalcore.figures.criterion import (
    build_distribution_figure,
    build_lost_heatmap,
    build_metric_figure,
    build_stage_figure,
)
from evalcore.views import criterion as view

ctx = ui.context()
st.title("🔍 " + ctx.t("page_criterion"))
ui.demo_notice(ctx)
within = ui.within_select(ctx)
board = ui.board(ctx.source, ctx.year, ctx.level, ctx.stage, within)
ui.stop_if_empty(ctx, board)
inputs = ui.round_inputs(ctx.source, ctx.year)
rubric, lang = inputs.rubric, ctx.lang
dims = {d.code: d for d in rubric.dimensions}
left, right = st.columns(2)
dim = ui.param_select("dim", list(dims), next(iter(dims)), ctx.t("crit_dimension"),
                      lambda c: f"{c} {dims[c].name(lang)}", left)
codes = view.indicator_options(rubric, dim)
names = view.indicator_names(rubric, lang)
code = ui.param_select("indicator", codes, codes[0], ctx.t("crit_indicator"),
                       lambda c: f"{c} {names[c]}", right)
indicator = rubric.indicator(code)
table = ui.indicator_table(ctx.source, ctx.year, ctx.level, within)
rows = view.indicator_rows(table, code, board, lang)
label = f"{code} {names[code]}"

st.subheader(f"{label} · {ui.view_title(ctx, within)}")
st.caption(" · ".join(filter(None, [
    f"{ctx.t('crit_max_points')} {indicator.max:g}",
    f"{ctx.t('crit_verifying_stage')}: {ctx.t(indicator.stage)}",
    indicator.description_en if lang == "en" else indicator.description_zh,
    indicator.rule_en if lang == "en" else indicator.rule_zh])))

dist_title = f"{label} · {ctx.t('crit_distribution')} · {ctx.t(ctx.stage)}"
scope = (ctx.year, ctx.level, ctx.stage, within, code, lang)
st.plotly_chart(ui.figure(ctx.source, "criterion.distribution", (*scope, dist_title),
                          lambda: build_distribution_figure(view.distribution(rows, ctx.stage),
                                                            indicator.max, dist_title, lang)),
                key="criterion.distribution")
st.caption(ui.source_caption(ctx, ctx.t("crit_distribution_caption")))

if view.has_stage_detail(indicator):
    inflation, _ = ui.credibility(ctx.source, ctx.year, ctx.level, within)
    stage_title = f"{label} · {ctx.t('crit_stages')}"
    st.plotly_chart(ui.figure(ctx.source, "criterion.stages", (*scope, stage_title),
                              lambda: build_stage_figure(view.stage_comparison(rows, inflation),
                                                         stage_title, lang)),
                    key="criterion.stages")
    share = f"{rubric.credibility.inflation_threshold:.0%}"
    st.caption(ui.source_caption(ctx, ctx.t("crit_stages_caption").format(share=share)))
    shown = view.detail_frame(rows, board, lang)
else:
    metric = indicator.derive.metric if indicator.derive else ""
    metric_name = ctx.t(f"crit_metric_{metric}") if metric else ""
    st.info(ctx.t("crit_no_stage_detail").format(metric=metric_name), icon="ℹ️")
    rows = view.metric_rows(rows, inputs.metrics, metric)
    metric_title = f"{label} · {metric_name}"
    st.plotly_chart(ui.figure(ctx.source, "criterion.metric", (*scope, metric_title),
                              lambda: build_metric_figure(rows, metric_title, lang,
                                                          view.metric_thresholds(indicator, lang))),
                    key="criterion.metric")
    st.caption(ui.source_caption(ctx, ctx.t("crit_metric_caption")))
    shown = view.metric_detail_frame(rows, board, lang)

st.subheader(f"{label} · {ctx.t('crit_table')}")
st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)), key="criterion.table")
st.caption(ui.source_caption(ctx, ctx.t("crit_table_caption")))
ui.download_buttons(ctx, shown, f"criterion-{code}-{ctx.year}-{ctx.level}")

heat_title = f"{ctx.t('crit_heatmap')} · {ui.view_title(ctx, within)}"


def lost_heatmap():
    matrix = view.lost_matrix(table, rubric, board, ctx.stage)
    return build_lost_heatmap(matrix, view.unit_labels(list(matrix.index), board, lang),
                              names, view.dimension_spans(rubric, lang), heat_title, lang)


st.plotly_chart(ui.figure(ctx.source, "criterion.heatmap",
                          (ctx.year, ctx.level, ctx.stage, within, lang, heat_title),
                          lost_heatmap), key="criterion.heatmap")
st.caption(ui.source_caption(ctx, ctx.t("crit_heatmap_caption")))
