"""Map: cities or counties coloured by a chosen measure; click a region to open its profile."""

import streamlit as st

from evalcore import ui
from evalcore.figures.map import POINT_MODES, build_region_map
from evalcore.geography import boundaries_geojson
from evalcore.views.map import (
    boundary_source,
    legend_entries,
    measure_label,
    measure_options,
    region_data,
    region_features,
    region_labels,
    region_table,
    selected_code,
)
from evalcore.views.progress import status_legend

ctx = ui.context()
st.title("🗺️ " + ctx.t("page_map"))
ui.demo_notice(ctx)

inputs = ui.round_inputs(ctx.source, ctx.year)
# Folded, so that on a phone the map is on the first screen; the heading names the choices.
with st.expander("⚙️ " + ctx.t("map_options")):
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
title = ctx.t("map_title").format(measure=label) + " · " + ui.view_title(ctx, within)


def build():
    geojson = boundaries_geojson()
    province = ui.regions(ctx.source).query("level == 'province'")["code"].iloc[0]
    zoom = ui.region_view(within or province, 700, 600)["zoom"]
    features = region_features(ui.map_outlines(ctx.level, zoom), table)
    shown = [f["properties"]["code"] for f in features["features"]]
    # Counties are named when the map shows one city's; over the whole province, the cities.
    named = ctx.level == "city" or within is not None
    cities = None if named else region_labels(
        geojson, [c for c in ui.regions(ctx.source).query("level == 'city'")["code"]])
    points = None
    if mode != "none":
        points = ui.community_points(ctx.source, ctx.year, ctx.lang)
        points = points[points["city_code"] == within] if within else points
    return build_region_map(features, table, legend_entries(table, measure, ctx.lang),
                            region_labels(geojson, shown), cities, points, mode, ctx.lang, named)


st.subheader(title + ("" if mode == "none" else f" · {ctx.t(f'map_points_{mode}')}"))
figure = ui.figure(ctx.source, "map", (ctx.year, ctx.level, ctx.stage, within, measure, mode,
                                       ctx.lang), build)
event = st.plotly_chart(figure, on_select="rerun", selection_mode="points", key="map.chart")
classes = "" if measure == "grade" else ctx.t("map_quartiles")
caption = ctx.t("map_caption").format(measure=label, classes=classes, year=ctx.year)
if mode == "hexagon":  # the regions are grey under the density
    caption = ctx.t("map_density_caption")
st.caption(ui.source_caption(ctx, caption))
if mode == "points":
    st.caption(ctx.t("map_points_caption").format(legend=status_legend(ctx.lang)))
st.caption("🧭 " + ctx.t("map_schematic").format(source=boundary_source(boundaries_geojson())))
ui.chart_data(ctx, region_data(table, label, ctx.lang), f"map-{ctx.year}-{ctx.level}-{measure}")

code = selected_code(event.selection)
names = dict(zip(table["unit_code"], table["unit_name"], strict=True))
chosen = st.selectbox(ctx.t("map_open_profile"), list(names), index=None, key="map.open",
                      format_func=names.get, placeholder=ctx.t("map_open_profile"))
if code or chosen:
    ui.open_profile(ctx, code or chosen)
