"""Figures and maps cached as specs, per viewer and key.

What belongs here: caching what a page draws. Building a plotly figure validates every value in
Python (10–40 ms a figure, most of a page's rerun); a deck's JSON takes as long again. Both are
cached per viewer like every loader (the Source comes first), keyed by everything the figure
shows: a page passes its scalar choices as `params` and the builder as a callable, which is not
hashed. Rebuilding a figure or deck from its spec uses library internals (compat). The map
geometry figures draw is cached here too.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st

from evalcore.geography import boundaries_geojson, load_boundaries
from evalcore.ui.compat import SpecDeck, figure_from_spec
from evalcore.ui.loaders import TTL, Source
from evalcore.views.map import drawn_at, outline_features, view_for_bounds


@st.cache_data(ttl=TTL, max_entries=512)
def _figure_spec(source: Source, name: str, params: tuple, _build: Callable) -> dict:
    return _build().to_dict()


def figure(source: Source, name: str, params: tuple, build: Callable[[], go.Figure]) -> go.Figure:
    """`build()` once per (viewer, name, params); a figure rebuilt from its cached spec after.

    `params` must hold every choice the figure depends on (year, level, language, title...).
    """
    return figure_from_spec(_figure_spec(source, name, params, build))


@st.cache_data(ttl=TTL, max_entries=256)
def _deck_spec(source: Source, name: str, params: tuple, _build: Callable) -> str:
    return _build().to_json()


def deck(source: Source, name: str, params: tuple, build: Callable[[], pdk.Deck],
         tooltip: dict | bool = True) -> pdk.Deck:
    """Like `figure`, for pydeck maps: the deck's JSON is made once per key and shown with
    `tooltip` (the one the builder gives its deck: the JSON does not carry it)."""
    return SpecDeck(_deck_spec(source, name, params, build), tooltip)


# -- map geometry, cached per level and zoom (the same for every viewer) -------------------

@st.cache_data(ttl=TTL)
def map_outlines(level: str, zoom: float) -> dict:
    """Every region of `level` as a map at `zoom` draws it: simplified, and parted from its
    neighbours by a pixel's gap instead of a stroked border (views.map.drawn_at)."""
    return drawn_at(outline_features(boundaries_geojson(), level), zoom)


@st.cache_data(ttl=TTL)
def region_view(code: str, width: int = 800, height: int = 500) -> dict[str, float]:
    """A pydeck view state (longitude, latitude, zoom) that fits region `code`."""
    shapes = load_boundaries()
    # The maps draw the boundaries shipped in data/geo (Zhejiang); other codes fall back to it.
    return view_for_bounds(shapes.get(code, shapes["330000"]).bounds, width, height)
