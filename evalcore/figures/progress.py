"""Progress figures: actual against target by city, the province's trend, the small map."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from evalcore.figures import BELOW, wrap_title
from evalcore.figures.flatmap import build_flat_map, feature_names, hover_text
from evalcore.labels import t
from evalcore.views.progress import STATUS_COLOURS

OUTLINE_FILL = (214, 221, 226)
ACTUAL = {"started": "#1f5fa8", "completed": "#2e9e6b", "households": "#e0a526"}
TARGET = "#b9c2cc"
MARGIN = {"l": 10, "r": 10, "t": 80, "b": 10}


def build_city_figure(progress: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """Two panels of horizontal bars per city: started vs this year's target, completed vs
    last year's target. Cities in code order, top to bottom."""
    cities = progress[progress["level"] == "city"]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=(wrap_title(t("progress_chart_started", lang), 16),
                                        wrap_title(t("progress_chart_completed", lang), 16)))
    panels = (("started", "started_target"), ("completed", "completed_target"))
    for col, (actual, target) in enumerate(panels, start=1):
        fig.add_bar(y=cities["name"], x=cities[target], name=t("target", lang), orientation="h",
                    marker_color=TARGET, legendgroup="target", showlegend=col == 1,
                    row=1, col=col)
        fig.add_bar(y=cities["name"], x=cities[actual], name=t(f"progress_{actual}", lang),
                    orientation="h", marker_color=ACTUAL[actual], row=1, col=col)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(nticks=4)  # readable on a phone's narrow panels
    fig.update_layout(title=wrap_title(title), barmode="group", height=40 * len(cities) + 160,
                      margin={**MARGIN, "t": 110}, legend=BELOW,  # two-line titles
                      bargap=0.25, bargroupgap=0.05)
    return fig


def build_trend_figure(trend: pd.DataFrame, year: int, lang: str, title: str) -> go.Figure:
    """Left: communities started and completed per year with the plan as a line; right:
    households against their target. The selected round year is shaded."""
    years = trend["year"].astype(str)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.08,
                        subplot_titles=(t("progress_trend_communities", lang),
                                        t("progress_trend_households", lang)))
    for measure in ("started", "completed"):
        fig.add_bar(x=years, y=trend[measure], name=t(f"progress_{measure}", lang),
                    marker_color=ACTUAL[measure], row=1, col=1)
    fig.add_scatter(x=years, y=trend["started_target"], name=t("progress_plan", lang),
                    mode="lines+markers", line={"color": "#555555", "dash": "dash"}, row=1, col=1)
    fig.add_bar(x=years, y=trend["households"], name=t("progress_households", lang),
                marker_color=ACTUAL["households"], row=1, col=2)
    fig.add_scatter(x=years, y=trend["households_target"], name=t("progress_households_target",
                    lang), mode="markers", marker={"symbol": "line-ew-open", "size": 28,
                    "color": "#555555", "line": {"width": 3}}, row=1, col=2)
    if year in set(trend["year"]):
        i = list(trend["year"]).index(year)  # category axes put the i-th year at x = i
        for col in (1, 2):
            fig.add_vrect(x0=i - 0.5, x1=i + 0.5, fillcolor="rgba(31,95,168,0.08)", line_width=0,
                          layer="below", row=1, col=col)
    fig.update_layout(title=wrap_title(title), barmode="group", height=380, margin=MARGIN,
                      legend=BELOW)
    fig.update_xaxes(type="category")
    fig.update_yaxes(nticks=5)  # readable on a phone's narrow panels
    return fig


# SVG draws every marker as a DOM node: a few thousand stay quick, the 220,000 communities of
# the national benchmark took the browser ~14 s. Beyond the cap an even sample is drawn, and
# the map says so.
MAP_POINT_CAP = 5000


def even_sample(points: pd.DataFrame, cap: int) -> pd.DataFrame:
    """At most `cap` rows, evenly spaced through the given (id) order: deterministic, and
    each county keeps about its share, since the rows come grouped by county."""
    if len(points) <= cap:
        return points
    return points.iloc[np.unique(np.linspace(0, len(points) - 1, cap).round().astype(int))]


def build_progress_map(outlines: dict, points: pd.DataFrame, lang: str,
                       height: int = 480, cap: int = MAP_POINT_CAP) -> go.Figure:
    """The small public map, in SVG: renovated communities by status over the city outlines.

    `points` are views.progress.community_points (status code and tooltip text per community);
    more than `cap` of them are drawn as an even sample, noted under the map."""
    drawn = even_sample(points, cap)
    shown = drawn.assign(hover=[hover_text(tip.split("\n")) for tip in drawn["tip"]])
    statuses = {s: (t(s, lang), colour) for s, colour in STATUS_COLOURS.items()}
    fig = build_flat_map(outlines["features"], OUTLINE_FILL, shown, statuses, height, size=4)
    fig.add_trace(feature_names(outlines["features"]))  # the cities, named
    if len(drawn) < len(points):
        fig.add_annotation(text=t("map_sampled", lang).format(shown=len(drawn),
                                                               total=len(points)),
                           xref="paper", yref="paper", x=1, y=1, xanchor="right",
                           yanchor="top", showarrow=False, font={"size": 11})
    return fig
