"""Benchmark figures: the radar against peers and the rank history."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evalcore.figures import BELOW
from evalcore.labels import t

SERIES = (("own", "#c94f4f", "toself"), ("median", "#999999", "none"),
          ("leader", "#1f5fa8", "none"))


def build_radar_figure(radar: pd.DataFrame, names: dict[str, str], title: str,
                       floor: int = 0) -> go.Figure:
    """Scatterpolar of each dimension's subtotal as a share of its max (`floor`–100%).

    `names` maps 'own', 'median' and 'leader' to legend labels; the polygon is closed by
    repeating the first dimension. The first dimension points up, the rest go clockwise.
    """
    labels = [*radar["label"], radar["label"].iloc[0]]
    fig = go.Figure()
    for column, colour, fill in SERIES:
        values = [*(radar[column] * 100), radar[column].iloc[0] * 100]
        fig.add_trace(go.Scatterpolar(
            r=values, theta=labels, name=names[column], fill=fill, line={"color": colour},
            opacity=0.8, hovertemplate="%{theta}: %{r:.1f}%<extra>" + names[column] + "</extra>"))
    fig.update_layout(title=title, height=440, margin={"l": 60, "r": 60, "t": 70, "b": 30},
                      polar={"radialaxis": {"range": [floor, 100], "ticksuffix": "%",
                                            "angle": 54, "tickfont": {"size": 10}},
                             "angularaxis": {"rotation": 90, "direction": "clockwise"}},
                      legend=BELOW)
    return fig


def build_rank_history_figure(history: pd.DataFrame, peers: int, title: str,
                              lang: str) -> go.Figure:
    """Rank per round, first place at the top (reversed y), totals in the hover."""
    fig = go.Figure(go.Scatter(
        x=history["year"].astype(str), y=history["rank"], mode="lines+markers+text",
        text=history["rank"], textposition="top center", customdata=history["total"],
        line={"color": "#1f5fa8"}, marker={"size": 10}, cliponaxis=False,
        hovertemplate="%{x}: " + t("rank", lang) + " %{y} · " + t("total", lang)
        + " %{customdata:.2f}<extra></extra>"))
    fig.update_layout(title=title, height=340, margin={"l": 10, "r": 10, "t": 60, "b": 10},
                      xaxis={"type": "category", "title": t("round", lang)},
                      yaxis={"autorange": False, "range": [peers + 0.5, 0.5], "dtick": 1
                             if peers <= 15 else 10, "title": t("rank", lang)})
    return fig
