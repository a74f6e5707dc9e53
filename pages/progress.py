"""Progress (public): how far renovation has come this year and since 2019, and where."""

import streamlit as st

from evalcore import ui
from evalcore.figures.progress import build_city_figure, build_progress_map, build_trend_figure
from evalcore.geography import boundaries_geojson
from evalcore.views.map import boundary_source
from evalcore.views.progress import (
    city_table,
    headline_cards,
    map_table,
    province_row,
    status_legend,
    trend_table,
)
from evalcore.views.trends import strength_frame

ctx = ui.context()
st.title("📈 " + ctx.t("page_progress"))
ui.demo_notice(ctx)

year_progress = ui.progress(ctx.source, ctx.year)
ui.stop_if_empty(ctx, year_progress)
trend = ui.progress_trend(ctx.source)
first_year = int(trend["year"].min())


def show_cards(cards, per_row: int = 3) -> None:
    for start in range(0, len(cards), per_row):
        row = cards[start:start + per_row]
        for column, card in zip(st.columns(per_row), row, strict=False):
            column.metric(card.label, card.value, card.delta, help=card.help, border=True,
                          delta_description=card.delta_description)


draft = f" · {ctx.t('draft')}" if ctx.draft else ""
st.subheader(ctx.t("progress_year_heading").format(year=ctx.year) + draft)
show_cards(headline_cards(province_row(year_progress), ctx.year, ctx.lang))
st.subheader(ctx.t("progress_cum_heading").format(year=ctx.year, first=first_year))
cumulative = province_row(ui.progress(ctx.source, ctx.year, cumulative=True))
show_cards(headline_cards(cumulative, ctx.year, ctx.lang, cumulative=True, first_year=first_year))
st.caption(ui.source_caption(ctx, ctx.t("progress_cards_caption")))

st.subheader(ctx.t("progress_by_city") + f" · {ctx.year}")
shown = city_table(year_progress, ctx.lang)
st.dataframe(shown, hide_index=True, height=35 * (len(shown) + 1) + 3, key="progress.table")
st.caption(ui.source_caption(ctx, ctx.t("progress_city_caption")))
ui.download_buttons(ctx, shown, f"progress-{ctx.year}-cities")

st.subheader(ctx.t("progress_by_county") + f" · {ctx.year}")
counties = city_table(year_progress, ctx.lang, level="county")
st.dataframe(counties, hide_index=True, height=ui.table_height(len(counties)),
             key="progress.county_table")
st.caption(ui.source_caption(ctx, ctx.t("progress_city_caption")))
ui.download_buttons(ctx, counties, f"progress-{ctx.year}-counties")

st.subheader(ctx.t("st_heading") + f" · {ctx.year}")
level = st.radio(ctx.t("st_level"), ["city", "county"], format_func=ctx.t, horizontal=True,
                 key="progress.strength_level")
strength = strength_frame(ui.strength(ctx.source, ctx.year, level), ui.regions(ctx.source),
                          level, ctx.lang)
st.dataframe(strength, hide_index=True, height=ui.table_height(len(strength)),
             key="progress.strength")
st.caption(ui.source_caption(ctx, ctx.t("st_caption")))
ui.download_buttons(ctx, strength, f"strength-{ctx.year}-{level}")

chart, small_map = st.columns([3, 2])
with chart:  # its table is the one above
    title = ctx.t("progress_city_chart") + f" · {ctx.year}"
    st.plotly_chart(ui.figure(ctx.source, "progress.cities", (ctx.year, ctx.lang, title),
                              lambda: build_city_figure(year_progress, ctx.lang, title)),
                    key="progress.cities")
    st.caption(ui.source_caption(ctx, ctx.t("progress_city_chart_caption")))
with small_map:
    st.markdown("**" + ctx.t("progress_map") + f" · {ctx.year}**")
    zoom = ui.region_view(province_row(year_progress)["unit_code"], 360, 480)["zoom"]
    points = ui.community_points(ctx.source, ctx.year, ctx.lang)
    small = ui.figure(ctx.source, "progress.map", (ctx.year, ctx.lang, zoom),
                      lambda: build_progress_map(ui.map_outlines("city", zoom), points,
                                                 ctx.lang))
    st.plotly_chart(small, key="progress.map")
    legend = status_legend(ctx.lang)
    st.caption(ctx.t("progress_map_caption").format(legend=legend, year=ctx.year))
    source = boundary_source(boundaries_geojson())
    st.caption(ui.source_caption(ctx, ctx.t("map_schematic").format(source=source)))
    ui.chart_data(ctx, map_table(points, ui.regions(ctx.source), ctx.lang),
                  f"progress-{ctx.year}-map")

figure = ui.figure(ctx.source, "progress.trend", (ctx.year, ctx.lang),
                   lambda: build_trend_figure(trend, ctx.year, ctx.lang, ctx.t("progress_trend")))
ui.chart(ctx, figure, "progress.trend", trend_table(trend, ctx.lang),
         ui.source_caption(ctx, ctx.t("progress_trend_caption")))
