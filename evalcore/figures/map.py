"""The map page's pydeck map, drawn offline: no basemap (map_provider=None), regions and
communities only. The small maps of the progress and profile pages are SVG (figures.flatmap)."""

from __future__ import annotations

import json

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

POINT_MODES = ("points", "hexagon", "none")
TOOLTIP = {"text": "{tip}"}  # every pickable object carries its own text in the chosen language
# Purples: apart from the region colours (red, orange, yellow, green, blue) drawn beneath.
HEX_COLOURS = [[242, 240, 247], [218, 218, 235], [188, 189, 220], [158, 154, 200],
               [117, 107, 177], [84, 39, 143]]


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact (pydeck's encoder hook: pinned in tests/test_ui_compat.py).

    pydeck indents its JSON, which makes Python fall back to its pure-Python encoder: about
    0.2 s for the 90 county outlines on every rerun. Compact JSON takes the C encoder (about
    0.03 s) and is a quarter of the size; the content is the same.
    """

    def to_json(self) -> str:
        return json.dumps(self, default=default_serialize, separators=(",", ":"))


def _records(points: pd.DataFrame) -> list[dict]:
    return points[["lon", "lat", "colour", "tip"]].to_dict("records")


# Regions are filled only: the features come inset by half a pixel (views.map.drawn_at), so
# the white gap between neighbours is their border. No stroked outline: deck.gl draws it with
# a PathLayer, which costs about a second in a browser without a GPU (software WebGL).
def region_layer(features: dict, layer_id: str = "regions") -> pdk.Layer:
    return pdk.Layer(
        "GeoJsonLayer", data=features, id=layer_id, pickable=True, stroked=False, filled=True,
        get_fill_color="properties.fill",
    )


def points_layer(points: pd.DataFrame, radius: int = 250, outlined: bool = False) -> pdk.Layer:
    """Dots coloured by status; outlined in dark grey when drawn over coloured regions."""
    return pdk.Layer(
        "ScatterplotLayer", data=_records(points), id="communities", pickable=True,
        get_position="[lon, lat]", get_fill_color="colour", get_radius=radius,
        radius_min_pixels=2.5 if outlined else 2, radius_max_pixels=8, stroked=outlined,
        get_line_color=[40, 40, 40], line_width_min_pixels=0.6, opacity=0.95,
    )


def hexagon_layer(points: pd.DataFrame, radius: int = 6000) -> pdk.Layer:
    # Not pickable: an aggregated hexagon has no text of its own for the tooltip.
    return pdk.Layer(
        "HexagonLayer", data=points[["lon", "lat"]].to_dict("records"), id="density",
        pickable=False, get_position="[lon, lat]", radius=radius, extruded=False,
        # Counts are very skewed (city cores hold hundreds): a fixed domain of 0–12 per cell
        # keeps the rest of the province from all looking the same; denser cells are darkest.
        coverage=0.9, opacity=0.85, color_range=HEX_COLOURS, color_domain=[0, 12],
    )


def build_region_map(features: dict, points: pd.DataFrame | None, mode: str,
                     view: dict[str, float]) -> CompactDeck:
    """Choropleth of `features` (properties.fill) with community points or hexagon density."""
    layers = [region_layer(features)]
    if points is not None and mode == "points":
        layers.append(points_layer(points, outlined=True))
    elif points is not None and mode == "hexagon":
        layers.append(hexagon_layer(points))
    return CompactDeck(layers=layers, initial_view_state=pdk.ViewState(**view),
                       map_provider=None, tooltip=TOOLTIP)

