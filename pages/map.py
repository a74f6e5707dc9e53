"""Map: cities or counties coloured by a chosen measure; click a region to open its profile."""

import streamlit as st

from evalcore import ui
from evalcore.figures.map import POINT_MODES, TOOLTIP, build_region_map
from evalcore.geography import boundaries_geojson
from evalcore.views.map import (
    boundary_source,
    legend_lines,
    measure_label,
    measure_options,
    region_features,
    region_table,
    selected_code,
)
from evalcore.views.progress import status_legend

ctx = ui.context()
st.title("🗺️ " + ctx.t("page_map"))
ui.demo_notice(ctx)

inputs = ui.round_inputs(ctx.source, ctx.year)
pick_measure, pick_points, pick_within = st.columns(3)
measure = ui.param_select("measure", measure_options(inputs.rubric), "total",
                          ctx.t("map_measure"),
                          lambda m: measure_label(m, inputs.rubric, ctx.lang), pick_measure)
mode = ui.param_select("points", POINT_MODES, "none", ctx.t("map_points"),
                       lambda m: ctx.t(f"map_points_{m}"), pick_points)
with pick_within:
    within = ui.within_select(ctx)

board = ui.board(ctx.source, ctx.year, ctx.level, ctx.stage, within)
ui.stop_if_empty(ctx, board)
table = region_table(board, inputs.metrics, measure, inputs.rubric, ctx.lang)
label = measure_label(measure, inputs.rubric, ctx.lang)
points = ui.community_points(ctx.source, ctx.year, ctx.lang)
if within:
    points = points[points["city_code"] == within]
province = ui.regions(ctx.source).query("level == 'province'")["code"].iloc[0]
view = ui.region_view(within or province, 700, 600)
deck = ui.deck(ctx.source, "map", (ctx.year, ctx.level, ctx.stage, within, measure, mode, ctx.lang),
              lambda: build_region_map(
                  region_features(ui.map_outlines(ctx.level, view["zoom"]), table), points,
                  mode, view), TOOLTIP)

st.subheader(ctx.t("map_title").format(measure=label) + " · " + ui.view_title(ctx, within))
chart, legend = st.columns([3, 1])
with chart:
    event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object",
                            key="map.deck", height=600)
    classes = "" if measure == "grade" else ctx.t("map_quartiles")
    caption = ctx.t("map_caption").format(measure=label, classes=classes, year=ctx.year)
    st.caption(ui.source_caption(ctx, caption))
    source = boundary_source(boundaries_geojson())
    st.caption("🧭 " + ctx.t("map_schematic").format(source=source))
with legend:
    st.markdown(f"**{ctx.t('map_legend')} · {label}**")
    st.markdown("\n".join(legend_lines(table, measure, ctx.lang)))
    if mode == "points":
        st.caption(ctx.t("map_points_caption").format(legend=status_legend(ctx.lang)))
    elif mode == "hexagon":
        st.caption(ctx.t("map_density_caption"))

code = selected_code(event.selection)
names = dict(zip(table["unit_code"], table["unit_name"], strict=True))
chosen = st.selectbox(ctx.t("map_open_profile"), list(names), index=None, key="map.open",
                      format_func=names.get, placeholder=ctx.t("map_open_profile"))
if code or chosen:
    ui.open_profile(ctx, code or chosen)
