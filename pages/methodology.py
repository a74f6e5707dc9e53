"""Methodology: the rubric, the three-stage process, a what-if of weights, rank uncertainty."""

from dataclasses import replace

import streamlit as st

from evalcore import ui
from evalcore.figures.methodology import build_interval_figure
from evalcore.views import methodology as mv

ctx = ui.context()
st.title("📐 " + ctx.t("page_methodology"))
ui.demo_notice(ctx)
rubric = ui.round_inputs(ctx.source, ctx.year).rubric
final = replace(ctx, stage="final")  # what-if and uncertainty work on the final scores


def table(frame, name: str, static: bool = True) -> None:
    # Rubric tables are static (st.table wraps long rules); rankings stay sortable.
    if static:
        st.table(mv.plain_numbers(frame), hide_index=True)
    else:
        st.dataframe(frame, hide_index=True, height="content", key=f"methodology.{name}")
    ui.download_buttons(ctx, frame, f"methodology-{ctx.year}-{name}")


st.header(f"{ctx.t('mt_rubric')} · {mv.rubric_name(rubric, ctx.lang)}")
colon = ": " if ctx.lang == "en" else "："
st.info(f"**{ctx.t('mt_source_note')}**{colon}{mv.source_note(rubric, ctx.lang)}", icon="📄")
st.markdown(mv.total_rule(rubric, ctx.lang))
table(mv.dimension_table(rubric, ctx.lang), "dimensions")
st.subheader(ctx.t("mt_indicators"))
for d in rubric.dimensions:  # collapsed: the headings alone are the overview
    with st.expander(mv.dimension_heading(rubric, d.code, ctx.lang)):
        table(mv.indicator_table(rubric, d.code, ctx.lang), f"indicators-{d.code}")
st.subheader(ctx.t("mt_bonus"))
st.write(mv.bonus_rule(rubric, ctx.lang))
table(mv.bonus_table(rubric, ctx.lang), "bonus")
st.subheader(ctx.t("mt_deductions"))
st.write(mv.deduction_rule(rubric, ctx.lang))
table(mv.deduction_table(rubric, ctx.lang), "deductions")
veto_head, vetoes = mv.veto_lines(rubric, ctx.lang)
st.markdown(f"⛔ {veto_head}\n" + "".join(f"\n- {v}" for v in vetoes))
if credibility := mv.credibility_text(rubric, ctx.lang):
    st.write(credibility)
st.subheader(ctx.t("mt_grades"))
table(mv.grade_table(rubric, ctx.lang), "grades")

st.header(ctx.t("mt_process"))
groups = ui.inspection_groups(ctx.source, ctx.year)
st.markdown(ctx.t("mt_process_text").format(n=len(groups) or 11))
st.subheader(ctx.t("mt_groups").format(year=ctx.year))
if groups.empty:
    st.write(ctx.t("mt_no_groups"))
else:
    table(mv.inspection_table(groups, ui.regions(ctx.source), ctx.lang), "inspection-groups")
    st.caption(ui.source_caption(ctx, ctx.t("mt_groups_caption")))
st.subheader(ctx.t("mt_reconcile"))
st.markdown(mv.reconciliation_text(rubric, ctx.lang))

defaults = mv.default_weights(rubric)
ceiling = max(50.0, 2 * max(defaults.values()))


def weights_to_url() -> None:
    current = {c: st.session_state[f"methodology.w.{c}"] for c in defaults}
    st.query_params["w"] = mv.weights_text(current)


def reset_weights() -> None:
    for code, weight in defaults.items():
        st.session_state[f"methodology.w.{code}"] = weight
    st.query_params["w"] = mv.weights_text(defaults)


from_url = mv.parse_weights(st.query_params.get("w"), rubric, ceiling)  # a shared link wins
for code, weight in (from_url or {}).items():
    st.session_state[f"methodology.w.{code}"] = weight


st.header(ctx.t("mt_whatif"))
within = ui.within_select(ctx)  # counties only: the what-if and uncertainty peer set
board = ui.board(ctx.source, ctx.year, ctx.level, "final", within)
ui.stop_if_empty(ctx, board)
st.caption(ctx.t("mt_whatif_help").format(base=f"{rubric.rubric.base_total:g}"))
weights = {}
for column, d in zip(st.columns(len(rubric.dimensions)), rubric.dimensions, strict=True):
    key = f"methodology.w.{d.code}"
    st.session_state.setdefault(key, defaults[d.code])
    weights[d.code] = column.slider(f"{d.code} {d.name(ctx.lang)}", 0.0, ceiling, step=1.0,
                                    format="%.0f", key=key, on_change=weights_to_url)
st.button(ctx.t("mt_reset"), on_click=reset_weights, key="methodology.reset")
if sum(weights.values()) <= 0:
    st.warning(ctx.t("mt_all_zero"))
    weights = defaults
st.query_params["w"] = mv.weights_text(weights)
st.caption(mv.rescaled_text(rubric, weights, ctx.lang))
result = ui.what_if(ctx.source, ctx.year, ctx.level, within, mv.weight_pairs(weights))
st.subheader(ui.view_title(final, within))
table(mv.whatif_frame(result, ctx.lang), "what-if", static=False)
st.caption(ui.source_caption(ctx, ctx.t("mt_whatif_caption")))

st.header(ctx.t("mt_uncertainty"))
st.markdown(mv.uncertainty_text(rubric, ctx.lang))
uncertainty = ui.uncertainty(ctx.source, ctx.year, ctx.level, within)
title = f"{ctx.t('mt_interval_chart')} · {ui.view_title(final, within)}"
st.plotly_chart(ui.figure(ctx.source, "methodology.intervals",
                          (ctx.year, ctx.level, within, ctx.lang, title),
                          lambda: build_interval_figure(uncertainty, board, ctx.lang, title)),
                key="methodology.intervals")
st.caption(ui.source_caption(ctx, ctx.t("mt_interval_caption")))
table(mv.uncertainty_frame(uncertainty, board, ctx.lang), "uncertainty", static=False)
st.caption(ctx.t("mt_uncertainty_final_only"))
