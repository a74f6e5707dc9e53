"""The map page's map, drawn offline in SVG by plotly (figures.flatmap): regions coloured by
the chosen measure, named, with communities or their density over them.

Plotly fits the map to its box at any width (a deck.gl map keeps a fixed zoom: on a phone it
cut the coastal cities off), names regions in the browser's own fonts, and needs no WebGL.
One filled trace per colour class, so the legend below the map lists the classes; regions
are named at a point inside each (cities always, counties when the map shows one city's),
and that point carries the region's tooltip and, for a click, its code.

`CompactDeck` (pydeck's JSON without indentation) stays for pydeck maps; no page draws one now.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from evalcore.figures.flatmap import (
    HALO,
    fit_map,
    hover_text,
    names_trace,
    point_trace,
    region_trace,
    rgb,
    ring_path,
)
from evalcore.figures.progress import MAP_POINT_CAP, even_sample
from evalcore.labels import t
from evalcore.views import palette
from evalcore.views.map import HEX_BREAKS, HEX_SIZE, hex_class, hex_density, hexagon

POINT_MODES = ("points", "hexagon", "none")
TOOLTIP = {"text": "{tip}"}
# Purples: apart from the blue classes and the grade hues drawn beneath (light → dark).
HEX_COLOURS = ((218, 218, 235), (188, 189, 220), (158, 154, 200), (128, 125, 186),
               (106, 81, 163), (74, 20, 134))
MAP_HEIGHT = 500


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact (pydeck's encoder hook: pinned in tests/test_ui_compat.py).

    pydeck indents its JSON, which makes Python fall back to its pure-Python encoder; compact
    JSON takes the C encoder and is a quarter of the size; the content is the same.
    """

    def to_json(self) -> str:
        return json.dumps(self, default=default_serialize, separators=(",", ":"))


def class_traces(features: dict, table: pd.DataFrame, legend: list[tuple[int, str, str]],
                 alpha: float = 1.0) -> list[go.Scatter]:
    """One filled trace per legend class (best first), named by its legend text; `alpha` < 1
    lightens the fills (under community points)."""
    by_code = {f["properties"]["code"]: f for f in features["features"]}
    traces = []
    for key, swatch, text in legend:
        rows = table[table["legend_key"] == key]
        shapes = [by_code[c] for c in rows["unit_code"] if c in by_code]
        if not shapes:
            continue
        xs, ys = ring_path(shapes)
        r, g, b = rows["fill"].iloc[0][:3]
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself",
                                 fillcolor=f"rgba({r},{g},{b},{alpha})",
                                 line={"width": 0}, hoverinfo="skip", name=f"{swatch} {text}",
                                 legendgroup=f"class{key}"))
    return traces


def label_trace(labels: pd.DataFrame, table: pd.DataFrame, named: bool) -> go.Scatter:
    """The regions' inner points: the tooltip (and the code, for a click) of each region, and
    its name when `named`."""
    tips = dict(zip(table["unit_code"], table["tip"], strict=True))
    return go.Scatter(
        x=labels["lon"], y=labels["lat"], mode="markers+text" if named else "markers",
        text=labels["short_name"] if named else None, textposition="middle center",
        textfont={"size": 12, "color": rgb(palette.DARK_TEXT), "shadow": HALO},
        marker={"size": 14, "opacity": 0}, customdata=labels["code"],
        hovertext=[hover_text(tips[c].split("\n")) for c in labels["code"]],
        hovertemplate="%{hovertext}<extra></extra>", showlegend=False, name="regions")


def hex_traces(points: pd.DataFrame, lat0: float, lang: str) -> list[go.Scatter]:
    """Community density: hexagons of HEX_SIZE in six count classes (HEX_BREAKS)."""
    cells = hex_density(points, HEX_SIZE, lat0)
    traces = []
    for cls, colour in enumerate(HEX_COLOURS):
        part = cells[cells["count"].map(hex_class) == cls]
        if part.empty:
            continue
        xs: list = []
        ys: list = []
        for lon, lat in zip(part["lon"], part["lat"], strict=True):
            ring = hexagon(lon, lat, HEX_SIZE * 0.95, lat0)
            xs.extend([*(round(x, 4) for x, _ in ring), None])
            ys.extend([*(round(y, 4) for _, y in ring), None])
        low = HEX_BREAKS[cls]
        high = HEX_BREAKS[cls + 1] - 1 if cls + 1 < len(HEX_BREAKS) else None
        span = f"{low}–{high}" if high and high != low else (f"≥{low}" if high is None else
                                                             f"{low}")
        traces.append(go.Scatter(x=xs[:-1], y=ys[:-1], mode="lines", fill="toself",
                                 fillcolor=rgb(colour), opacity=0.9, line={"width": 0},
                                 hoverinfo="skip",
                                 name=t("map_hex_class", lang).format(n=span)))
    return traces


def build_region_map(features: dict, table: pd.DataFrame, legend: list[tuple[int, str, str]],
                     labels: pd.DataFrame, city_labels: pd.DataFrame | None,
                     points: pd.DataFrame | None, mode: str, lang: str,
                     named: bool = True, height: int = MAP_HEIGHT) -> go.Figure:
    """Regions by colour class with community points (by status, ▲ ■ ●), or in grey under
    hexagons of community density; region names; the legend below lists the classes. `points` are
    views.progress.community_points; `labels` the regions' inner points (views.map)."""
    lat0 = float(labels["lat"].mean()) if len(labels) else 30.0
    if mode == "hexagon":  # density alone: over the measure's colours it could not be read
        fig = go.Figure(region_trace(features["features"], palette.NO_DATA, name="outlines"))
        if points is not None and len(points):
            fig.add_traces(hex_traces(points, lat0, lang))
    else:
        fig = go.Figure(class_traces(features, table, legend, 0.45 if mode == "points" else 1))
    if points is not None and len(points) and mode == "points":
        # SVG draws a node per marker: beyond MAP_POINT_CAP an even sample, as on progress.
        drawn = even_sample(points, MAP_POINT_CAP)
        shown = drawn.assign(hover=[hover_text(tip.split("\n")) for tip in drawn["tip"]])
        for status, colour in palette.STATUS_COLOURS.items():
            part = shown[shown["status"] == status]
            if len(part):
                fig.add_trace(point_trace(part, t(status, lang), colour, 6, (40, 40, 40),
                                          palette.STATUS_SYMBOLS[status]))
        if len(drawn) < len(points):
            fig.add_annotation(text=t("map_sampled", lang).format(shown=len(drawn),
                                                                   total=len(points)),
                               xref="paper", yref="paper", x=1, y=0, xanchor="right",
                               yanchor="bottom", showarrow=False, font={"size": 11})
    fig.add_trace(label_trace(labels, table, named))
    if city_labels is not None and len(city_labels):
        fig.add_trace(names_trace(city_labels["short_name"], city_labels["lon"],
                                  city_labels["lat"]))
    fit_map(fig, features["features"], height)
    # The key above the map, which is drawn right under it at the top of the plot.
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom",
                              "itemsizing": "constant", "font": {"size": 13}},
                      margin={"l": 0, "r": 0, "t": 8, "b": 8})
    return fig
