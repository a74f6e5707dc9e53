"""Unit profile figures: points by dimension and stage, rank history, the communities map."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import mapping

from evalcore.figures import BELOW, wrap_label, wrap_title
from evalcore.figures.flatmap import build_flat_map, hover_text
from evalcore.geography import boundaries_geojson, load_boundaries
from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.views import palette
from evalcore.views.common import dimension_labels
from evalcore.views.map import inset

STAGE_COLOURS = {"self": "#e0a526", "cross": "#4f8fd0", "third_party": "#8a63b8",
                 "final": "#1f5fa8"}
MAP_PIXELS = 700  # about the map's width on screen
MAP_HEIGHT = 420
OUTLINE_FILL = (214, 224, 238)
# In the caption's order (accepted first); later traces are drawn on top.
# Colour-blind-safe, each with its marker shape (palette); the caption names the shapes.
STATUS_COLOURS = {s: palette.STATUS_COLOURS[s] for s in ("accepted", "completed", "started",
                                                         "planned")}


def build_stage_figure(points: pd.DataFrame, rubric: Rubric, lang: str, title: str) -> go.Figure:
    """Grouped bars: per dimension, the four stage views side by side; maxima as markers."""
    labels = {code: wrap_label(label, 10) for code, label in dimension_labels(rubric, lang).items()}
    fig = go.Figure()
    for stage, part in points.groupby("stage", sort=False):
        fig.add_bar(x=part["dimension_code"].map(labels), y=part["points"], name=t(stage, lang),
                    marker_color=STAGE_COLOURS[stage])
    fig.add_scatter(x=list(labels.values()), y=[d.max for d in rubric.dimensions],
                    mode="markers", name=t("pf_max", lang),
                    marker={"symbol": "line-ew-open", "size": 40, "color": "#333333"})
    fig.update_layout(barmode="group", title=wrap_title(title), yaxis_title=t("pf_points", lang),
                      legend={**BELOW, "y": -0.3}, height=440,  # under 3-line labels
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    fig.update_xaxes(tickangle=0, tickfont={"size": 11})  # labels on lines, never tilted
    return fig


def build_history_figure(history: pd.DataFrame, peers: int, lang: str, title: str) -> go.Figure:
    """Rank by round (1 at the top), each point labelled with its grade."""
    h = history.sort_values("year")
    fig = go.Figure(go.Scatter(
        x=h["year"].astype(str), y=h["rank"], mode="lines+markers+text", text=h["grade_label"],
        textposition="top center", marker={"size": 10, "color": "#1f5fa8"},
        name=t("rank", lang),
    ))
    fig.update_layout(title=wrap_title(title), height=320, xaxis={"type": "category",
                      "title": t("pf_year", lang)},
                      # Rank 1 at the top: a reversed range over all peers, padded so the
                      # grade labels above a first place stay inside the plot.
                      yaxis={"title": t("rank", lang), "tickvals": rank_ticks(peers),
                             "range": [peers + 0.5 + peers * 0.05, 0.5 - peers * 0.12]},
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def rank_ticks(peers: int) -> list[int]:
    """1, then every rank (few peers) or every tenth (many), ending at the last place."""
    step = 1 if peers <= 15 else 10
    return sorted({1, *range(step, peers + 1, step), peers})


@lru_cache(maxsize=128)
def outline_features(code: str) -> tuple[dict, ...]:
    """The unit's outline or, for a city, its counties', simplified to about a pixel of a
    700 px map (full detail would be ~1 MB of JSON) and inset by half a pixel: the gap between
    counties is their border (no stroked line layer: see figures.map). Cached and shared: do
    not modify."""
    geoms = load_boundaries()
    west, south, east, north = geoms[code].bounds
    tolerance = max(east - west, north - south) / MAP_PIXELS
    codes = [f["properties"]["code"] for f in boundaries_geojson()["features"]
             if f["properties"]["parent_code"] == code] or [code]
    return tuple(
        {"type": "Feature", "properties": {"code": c},
         "geometry": mapping(shapely.set_precision(
             inset(geoms[c].simplify(tolerance), tolerance / 2), 1e-4))}
        for c in codes)


def community_points(communities: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The map's points: position, status code and tooltip (name; status · households)."""
    unit = t("pf_households_unit", lang)
    return pd.DataFrame({
        "lon": communities["lon"], "lat": communities["lat"], "status": communities["status"],
        "hover": [hover_text([name, f"{t(s, lang)} · {int(h)} {unit}"]) for name, s, h in
                  zip(communities["name"], communities["status"], communities["households"],
                      strict=True)],
    })


def build_community_map(communities: pd.DataFrame, code: str, lang: str) -> go.Figure:
    """Offline SVG map (figures.flatmap): the unit's outline (a city's counties) and its
    communities coloured by status, one trace per status."""
    statuses = {s: (t(s, lang), colour) for s, colour in STATUS_COLOURS.items()}
    return build_flat_map(list(outline_features(code)), OUTLINE_FILL,
                          community_points(communities, lang), statuses, MAP_HEIGHT, size=7,
                          outline=(255, 255, 255))
