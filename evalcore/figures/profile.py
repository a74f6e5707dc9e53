"""Unit profile figures: points by dimension and stage, rank history, the communities map."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import shapely
from shapely.geometry import mapping, shape

from evalcore.geography import boundaries_geojson, load_boundaries
from evalcore.labels import t
from evalcore.rubric import Rubric
from evalcore.views.common import dimension_labels
from evalcore.views.map import inset

STAGE_COLOURS = {"self": "#e0a526", "cross": "#4f8fd0", "third_party": "#8a63b8",
                 "final": "#1f5fa8"}
# Status colours match the emoji legend in the caption: ⚪ 🟠 🔵 🟢.
MAP_PIXELS = 700  # about the map's width on screen
STATUS_COLOURS = {"planned": [150, 150, 150], "started": [230, 140, 30],
                  "completed": [40, 110, 200], "accepted": [40, 160, 90]}


def build_stage_figure(points: pd.DataFrame, rubric: Rubric, lang: str, title: str) -> go.Figure:
    """Grouped bars: per dimension, the four stage views side by side; maxima as markers."""
    labels = dimension_labels(rubric, lang)
    fig = go.Figure()
    for stage, part in points.groupby("stage", sort=False):
        fig.add_bar(x=part["dimension_code"].map(labels), y=part["points"], name=t(stage, lang),
                    marker_color=STAGE_COLOURS[stage])
    fig.add_scatter(x=list(labels.values()), y=[d.max for d in rubric.dimensions],
                    mode="markers", name=t("pf_max", lang),
                    marker={"symbol": "line-ew-open", "size": 40, "color": "#333333"})
    fig.update_layout(barmode="group", title=title, yaxis_title=t("pf_points", lang),
                      legend={"orientation": "h", "y": -0.15}, height=420,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig


def build_history_figure(history: pd.DataFrame, peers: int, lang: str, title: str) -> go.Figure:
    """Rank by round (1 at the top), each point labelled with its grade."""
    h = history.sort_values("year")
    fig = go.Figure(go.Scatter(
        x=h["year"].astype(str), y=h["rank"], mode="lines+markers+text", text=h["grade_label"],
        textposition="top center", marker={"size": 10, "color": "#1f5fa8"},
        name=t("rank", lang),
    ))
    fig.update_layout(title=title, height=320, xaxis={"type": "category",
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


def _bounds(features: Sequence[dict]) -> tuple[float, float, float, float]:
    """West, south, east, north of the features (bounds of the outline geometries)."""
    boxes = [shape(f["geometry"]).bounds for f in features]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def view_for(features: Sequence[dict], width_px: int = 800, height_px: int = 420) -> pdk.ViewState:
    """Centre and zoom that fit the outline into a map of about that size (deck.gl's world is
    512·2^zoom px wide; Mercator stretches latitude by 1/cos(lat))."""
    west, south, east, north = _bounds(features)
    lat = (south + north) / 2
    zoom_x = math.log2(360 * width_px / (512 * max(east - west, 1e-3)))
    zoom_y = math.log2(360 * height_px * math.cos(math.radians(lat))
                       / (512 * max(north - south, 1e-3)))
    return pdk.ViewState(longitude=(west + east) / 2, latitude=lat,
                         zoom=round(min(zoom_x, zoom_y) - 0.15, 2))  # a little margin


def community_points(communities: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The layer's records: position, colour and tooltip text per community."""
    return pd.DataFrame({
        "lon": communities["lon"], "lat": communities["lat"],
        "name": communities["name"],
        "status": [t(s, lang) for s in communities["status"]],
        "households": communities["households"].astype(int),
        "colour": [STATUS_COLOURS[s] for s in communities["status"]],
    })


def build_community_map(
    communities: pd.DataFrame, code: str, lang: str
) -> pdk.Deck:
    """Offline map (no basemap): the unit's outline and its communities coloured by status."""
    features = list(outline_features(code))
    outline = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, stroked=False,
        filled=True, get_fill_color=[214, 224, 238, 255], pickable=False)
    points = pdk.Layer(
        "ScatterplotLayer", community_points(communities, lang), get_position=["lon", "lat"],
        get_fill_color="colour", get_radius=120, radius_min_pixels=3, radius_max_pixels=9,
        pickable=True, stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=0.5)
    tooltip = {"text": "{name}\n{status} · {households} " + t("pf_households_unit", lang)}
    return pdk.Deck(layers=[outline, points], initial_view_state=view_for(features),
                    map_provider=None, tooltip=tooltip)
