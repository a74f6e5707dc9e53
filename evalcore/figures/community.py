"""The community card's pictures: where it is (a small SVG map of its county), and a QR code
of its permanent link. Both offline: plotly SVG on hidden axes (figures.flatmap) and segno,
which draws the code in Python."""

from __future__ import annotations

import html
import io

import pandas as pd
import plotly.graph_objects as go

from evalcore.figures.flatmap import fit_map, hover_text, region_trace, rgb
from evalcore.figures.profile import outline_features
from evalcore.views import palette

OUTLINE_FILL = (214, 224, 238)
OTHERS = (120, 130, 145)


def build_location_map(community: pd.Series, neighbours: pd.DataFrame,
                       height: int = 320) -> go.Figure:
    """The community's county in outline, its other communities as small grey dots and the
    community as a large ◆, named."""
    features = list(outline_features(str(community["county_code"])))
    fig = go.Figure(region_trace(features, OUTLINE_FILL))
    others = neighbours[neighbours["id"] != community["id"]]
    fig.add_scatter(x=others["lon"], y=others["lat"], mode="markers", hoverinfo="skip",
                    marker={"size": 4, "color": rgb(OTHERS)}, showlegend=False, name="others")
    fig.add_scatter(x=[community["lon"]], y=[community["lat"]], mode="markers+text",
                    text=[html.escape(str(community["name"]))], textposition="top center",
                    textfont={"size": 13, "color": rgb(palette.DARK_TEXT),
                              "shadow": "0 0 3px #fff, 0 0 3px #fff"},
                    marker={"size": 16, "symbol": "diamond", "color": rgb(palette.VERMILLION),
                            "line": {"width": 1.5, "color": "white"}},
                    hovertext=[hover_text([str(community["name"])])],
                    hovertemplate="%{hovertext}<extra></extra>", showlegend=False, name="here")
    fit_map(fig, features, height)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 8, "b": 8})
    return fig


def qr_png(text: str, scale: int = 6) -> bytes:
    """A QR code of `text` as PNG (error correction M, quiet zone of 4 modules)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
