"""Methodology figures: rank intervals from the uncertainty simulation."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evalcore.figures import wrap_title
from evalcore.labels import t

TIE_COLOURS = ("#1f5fa8", "#e0a526", "#2e9e6b", "#c94f4f", "#8a63b8")
UNTIED = "#9a9a9a"


def tie_colours(uncertainty: pd.DataFrame) -> list[str]:
    """Grey for a unit tied with nobody; each group of tied units gets its own colour."""
    tied = uncertainty.loc[uncertainty["tied_with"].map(len) > 0, "tie_group"]
    palette = {g: TIE_COLOURS[i % len(TIE_COLOURS)] for i, g in enumerate(dict.fromkeys(tied))}
    return [palette.get(g, UNTIED) for g in uncertainty["tie_group"]]


def build_interval_figure(
    uncertainty: pd.DataFrame, board: pd.DataFrame, lang: str, title: str
) -> go.Figure:
    """One row per unit (best on top): a bar over its 5th–95th percentile ranks, coloured by
    tie group, a dot at the actual rank and a tick at the median simulated rank."""
    names = board.set_index("unit_code")["unit_name"]
    u = uncertainty.sort_values(["rank", "unit_code"])
    y = u["unit_code"].map(names)
    colours = tie_colours(u)
    fig = go.Figure()
    # Horizontal bars from the 5th to the 95th percentile (padded so a one-rank interval shows).
    fig.add_bar(y=y, base=u["rank_p05"] - 0.3, x=u["rank_p95"] - u["rank_p05"] + 0.6,
                orientation="h", marker={"color": colours, "opacity": 0.45}, width=0.6,
                name=t("rank_interval", lang), hoverinfo="skip")
    fig.add_scatter(
        x=u["rank"], y=y, mode="markers", name=t("rank", lang),
        marker={"size": 10, "color": "white", "line": {"width": 2, "color": "#222222"}},
        customdata=u[["rank_p05", "rank_p95"]].to_numpy(),
        hovertemplate="%{y}: %{x} (%{customdata[0]}–%{customdata[1]})<extra></extra>")
    fig.add_scatter(x=u["rank_median"], y=y, mode="markers", name=t("mt_median_rank", lang),
                    marker={"symbol": "line-ns-open", "size": 14, "color": "#c94f4f",
                            "line": {"width": 2}})
    fig.update_layout(
        title=wrap_title(title), height=max(320, 22 * len(u) + 140),
        xaxis={"title": t("rank", lang), "range": [0.3, len(u) + 0.7],
               "dtick": 1 if len(u) <= 20 else 5},
        # Best on top; a fixed range, as autorange pads a long category axis generously.
        yaxis={"type": "category", "range": [len(u) - 0.5, -0.5]},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
    )
    return fig
