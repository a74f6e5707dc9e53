"""Cached loaders for comparisons over units and rounds: action and investment strength
(evalcore.strength) and a unit's dimension subtotals over every round. Pages reach them as
`ui.strength` and `ui.dimension_history`; the rules live in evalcore.reader.Reader."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from evalcore.reader import Reader
from evalcore.ui.loaders import TTL, Source, _reader, rounds
from evalcore.ui.specs import figure
from evalcore.ui.state import Context
from evalcore.ui.widgets import download_buttons, source_caption


@st.cache_data(ttl=TTL)
def strength(source: Source, year: int, level: str) -> pd.DataFrame:
    return Reader.strength(_reader(source), year, level)


@st.cache_data(ttl=TTL)
def dimension_history(source: Source, level: str, stage: str, within: str | None) -> pd.DataFrame:
    return Reader.dimension_history(_reader(source), level, stage, within)


def dimension_history_section(ctx: Context, level: str, within: str | None, unit: str,
                              name: str, page: str) -> None:
    """A unit's dimension subtotals and rank in every round the viewer sees: a table, a small
    chart (shares of each dimension's maximum) and a note when the rubrics differ."""
    from evalcore.figures.trends import build_dimension_history_figure
    from evalcore.views import trends as view

    st.subheader(ctx.t("dh_heading"))
    own = view.unit_dimensions(dimension_history(ctx.source, level, "final", within), unit)
    drafts = set(rounds(ctx.source).query("not published")["year"].astype(int))
    table = view.dimension_table(own, ctx.lang, drafts)
    if table.empty:
        st.info(ctx.t("no_units_visible"), icon="ℹ️")
        return
    if note := view.rubric_note(own, ctx.lang):
        st.info(note, icon="📐")
    st.dataframe(table, hide_index=True, key=f"{page}.dimension_history")
    download_buttons(ctx, table, f"{page}-dimensions-{unit}")
    title = f"{ctx.t('dh_chart')} · {name}"
    points = view.chart_points(own, ctx.lang)
    st.plotly_chart(figure(ctx.source, f"{page}.dimension_chart", (level, within, unit, ctx.lang),
                           lambda: build_dimension_history_figure(points, ctx.lang, title)),
                    key=f"{page}.dimension_chart")
    st.caption(source_caption(ctx, ctx.t("dh_caption")))
