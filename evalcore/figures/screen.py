"""The big screen's figures: large type for a display read from across a room, light or dark.

The map and the years so far are the progress page's figures, restyled (`for_screen`); the
cities' start rates are drawn here. Colours keep WCAG AA contrast on both backgrounds.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evalcore.labels import fmt_pct, t
from evalcore.views import palette

BACKGROUND = {"light": "#ffffff", "dark": "#0e1a2b"}
TEXT = {"light": "#111111", "dark": "#eef2f7"}
GRID = {"light": "#d0d5dc", "dark": "#2c3e57"}
BAR = {"light": palette.hex_colour(palette.BLUE), "dark": palette.hex_colour(palette.SKY)}
MUTED = {"light": "#555555", "dark": "#b8c4d4"}  # plan lines and target marks


def for_screen(fig: go.Figure, theme: str, height: int, title: str | None = None) -> go.Figure:
    """`fig` with the screen's background, text colour and sizes (a new figure)."""
    out = go.Figure(fig)
    top = 70 if title else (50 if out.layout.annotations else 10)  # subplot titles
    out.update_layout(
        height=height, paper_bgcolor=BACKGROUND[theme], plot_bgcolor=BACKGROUND[theme],
        font={"size": 20, "color": TEXT[theme]},
        legend={"font": {"size": 20, "color": TEXT[theme]}},
        title={"text": title, "font": {"size": 28}} if title else None,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
    )
    out.for_each_trace(lambda trace: _muted(trace, theme))
    out.update_xaxes(gridcolor=GRID[theme], tickfont={"size": 18})
    out.update_yaxes(gridcolor=GRID[theme], tickfont={"size": 18})
    out.update_annotations(font={"size": 22, "color": TEXT[theme]})
    return out


def _muted(trace, theme: str) -> None:
    """Grey lines and marks of the light figures, in the theme's muted colour."""
    line, marker = getattr(trace, "line", None), getattr(trace, "marker", None)
    if line is not None and line.color == MUTED["light"]:
        line.color = MUTED[theme]
    if marker is not None and marker.color == MUTED["light"]:
        marker.color = MUTED[theme]
        if marker.line is not None and marker.line.color == MUTED["light"]:
            marker.line.color = MUTED[theme]


def build_city_rates(rates: pd.DataFrame, lang: str, title: str, theme: str,
                     height: int) -> go.Figure:
    """Each city's starts against its target, best first, with the 100% line."""
    text = [fmt_pct(r, lang) if pd.notna(r) else "–" for r in rates["rate"]]
    fig = go.Figure(go.Bar(
        y=rates["name"], x=rates["rate"] * 100, orientation="h", text=text,
        textposition="outside", marker_color=BAR[theme], cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>", name=t("map_start_rate", lang)))
    fig.add_vline(x=100, line={"color": TEXT[theme], "dash": "dash", "width": 2})
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=t("progress_col_start_rate", lang), nticks=6,
                     range=[0, max(120.0, float(rates["rate"].fillna(0).max()) * 100 + 15)])
    fig.update_layout(showlegend=False)
    return for_screen(fig, theme, height, title)
