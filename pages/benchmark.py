"""Benchmark (比学赶超): how far a unit is behind, and the cheapest way one rank up."""

import streamlit as st

from evalcore import ui
from evalcore.figures.benchmark import build_radar_figure, build_rank_history_figure
from evalcore.views import benchmark as view

ctx = ui.context()
st.title("🎯 " + ctx.t("page_benchmark"))
ui.demo_notice(ctx)
within = ui.within_select(ctx)
rubric = ui.round_inputs(ctx.source, ctx.year).rubric
# The engine benchmarks final, directly evaluated scores whatever the sidebar's stage.
board = ui.board(ctx.source, ctx.year, ctx.level, "final", within)
ui.stop_if_empty(ctx, board)
names = view.unit_name_map(board, ctx.lang)
unit = ui.param_select("unit", list(board["unit_code"]), view.default_unit(board),
                       ctx.t("unit"), names.get, st)
bench = ui.benchmark(ctx.source, ctx.year, ctx.level, within, unit)
row = board.set_index("unit_code").loc[unit]
leader = str(board["unit_code"].iloc[0])
scope = f"{ctx.year} · {ctx.t(ctx.level)} · {ctx.t('final')}"
st.subheader(f"{names[unit]} · {ctx.t('rank')} {int(row['rank'])}/{len(board)} · "
             f"{ctx.t('total')} {row['total']:.2f} · {scope}")

second = view.runner_up(board, unit) if bench.next_higher is None else None
rival = leader if second is None else second
radar_names = {"own": names[unit], "median": ctx.t("bench_median"),
               "leader": f"{ctx.t('bench_leader' if second is None else 'bench_second')} "
                         f"{names[rival]}"}
radar = view.radar_frame(bench.gaps, rubric, ctx.lang,
                         None if second is None else board.set_index("unit_code").loc[second])
floor = view.radar_floor(radar)
radar_title = f"{ctx.t('bench_radar')} · {names[unit]} · {scope}"
st.plotly_chart(ui.figure(ctx.source, "benchmark.radar",
                          (ctx.year, ctx.level, within, unit, ctx.lang, radar_title),
                          lambda: build_radar_figure(radar, radar_names, radar_title, floor)),
                key="benchmark.radar")
st.caption(ui.source_caption(ctx, ctx.t("bench_radar_caption").format(floor=floor)))

if bench.next_higher is None:
    st.success(ctx.t("bench_is_first").format(unit=names[unit]), icon="🥇")
    if second is not None:
        st.subheader(f"{ctx.t('bench_lead_table')} · {names[second]}")
        shown = view.lead_frame(board, unit, second, rubric, {"second": names[second]}, ctx.lang)
        st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)),
                     key="benchmark.lead")
        st.caption(ui.source_caption(ctx, ctx.t("bench_lead_caption")))
        ui.download_buttons(ctx, shown, f"benchmark-lead-{unit}-{ctx.year}")
else:
    above = names[bench.next_higher]
    st.subheader(ctx.t("bench_closing"))
    if bench.closing.empty:
        st.warning(ctx.t("bench_unreachable").format(target=above), icon="⚠️")
    else:
        st.success(view.closing_sentence(bench.closing, rubric, above, ctx.lang), icon="🎯")
        shown = view.closing_frame(bench.closing, rubric, ctx.lang)
        st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)),
                     key="benchmark.closing")
        st.caption(ui.source_caption(ctx, ctx.t("bench_closing_caption")))
        ui.download_buttons(ctx, shown, f"benchmark-closing-{unit}-{ctx.year}")
    st.subheader(ctx.t("bench_gap_table"))
    shown = view.gap_frame(bench.gaps, rubric, {"above": f"{ctx.t('bench_above')} {above}",
                                                "leader": f"{ctx.t('bench_leader')} "
                                                          f"{names[leader]}"}, ctx.lang)
    st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)), key="benchmark.gaps")
    st.caption(ui.source_caption(ctx, ctx.t("bench_gap_caption")))
    ui.download_buttons(ctx, shown, f"benchmark-gaps-{unit}-{ctx.year}")

st.subheader(ctx.t("bench_losses"))
if bench.losses.empty:
    st.info(ctx.t("bench_no_losses"), icon="🏅")
else:
    shown = view.losses_frame(bench.losses, rubric, names, ctx.lang)
    st.dataframe(shown, hide_index=True, height=ui.table_height(len(shown)), key="benchmark.losses")
    st.caption(ui.source_caption(ctx, ctx.t("bench_losses_caption")))
    ui.download_buttons(ctx, shown, f"benchmark-losses-{unit}-{ctx.year}")

history_title = f"{ctx.t('bench_history')} · {names[unit]} · {ctx.t(ctx.level)}"
st.plotly_chart(ui.figure(
    ctx.source, "benchmark.history", (ctx.year, ctx.level, within, unit, ctx.lang, history_title),
    lambda: build_rank_history_figure(
        view.unit_history(ui.rank_history(ctx.source, ctx.level, "final", within), unit),
        len(board), history_title, ctx.lang)), key="benchmark.history")
st.caption(ui.source_caption(ctx, ctx.t("bench_history_caption")))
ui.dimension_history_section(ctx, ctx.level, within, unit, names[unit], "benchmark")
