"""A unit's dimension subtotals over the rounds: one line per dimension, as a share of that
round's maximum for it (rubrics may differ between rounds; shares stay comparable)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evalcore.figures import BELOW, wrap_title
from evalcore.labels import t
from evalcore.views.palette import BLUE, GREEN, ORANGE, PURPLE, VERMILLION, hex_colour

# Okabe–Ito hues, each line also with its own marker shape: no reading depends on colour.
LINES = tuple(zip((BLUE, ORANGE, GREEN, VERMILLION, PURPLE),
                  ("circle", "square", "diamond", "triangle-up", "x"), strict=True))


def build_dimension_history_figure(points: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """`points` from views.trends.chart_points: year, dimension (label), percent."""
    fig = go.Figure()
    for i, (label, rows) in enumerate(points.groupby("dimension", sort=True)):
        fig.add_scatter(x=rows["year"].astype(str), y=rows["percent"], name=label,
                        mode="lines+markers", line={"color": hex_colour(LINES[i % 5][0])},
                        marker={"symbol": LINES[i % 5][1], "size": 8},
                        hovertemplate="%{x}: %{y:.1f}%<extra>" + label + "</extra>")
    fig.update_layout(title=wrap_title(title), height=340, legend=BELOW,
                      margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      xaxis={"type": "category", "title": t("round", lang)},
                      yaxis={"range": [0, 105], "ticksuffix": "%",
                             "title": t("dh_axis", lang)})
    return fig
