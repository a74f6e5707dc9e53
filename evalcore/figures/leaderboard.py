"""Leaderboard figure: totals stacked by dimension, bonus and deductions, in rank order."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evalcore.figures import BELOW, wrap_title
from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.views.common import dimension_labels

DIMENSION_COLOURS = ("#1f5fa8", "#4f8fd0", "#2e9e6b", "#e0a526", "#8a63b8", "#999999")


def build_leaderboard_figure(board: pd.DataFrame, rubric: Rubric, lang: str, title: str) -> go.Figure:
    """Horizontal stacked bars, best unit on top; deductions drawn as a negative bar."""
    fig = go.Figure()
    names = board["unit_name"]
    for i, (code, label) in enumerate(dimension_labels(rubric, lang).items()):
        colour = DIMENSION_COLOURS[i % len(DIMENSION_COLOURS)]
        fig.add_bar(y=names, x=board[code], name=label, orientation="h", marker_color=colour)
    fig.add_bar(y=names, x=board["bonus"], name=t("bonus", lang), orientation="h",
                marker_color="#c94f4f")
    fig.add_bar(y=names, x=-board["deductions"], name=t("deductions", lang), orientation="h",
                marker_color="#555555")
    fig.update_layout(
        barmode="relative", title=wrap_title(title), height=max(320, 26 * len(board) + 120),
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis_title=t("total", lang), legend=BELOW,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig
