"""Small maps drawn by plotly in SVG on a plain cartesian plane: regions and community points.

No WebGL and no request: plotly's map traces (scattermap, choroplethmap) draw with WebGL,
which a browser without a GPU (software rendering, as on VDI desktops) takes 0.5–1.5 s to set
up, and its `geo` subplots fetch topojson from a CDN. Filled scatter traces on hidden axes
need neither; the page already loads plotly for its charts.

Projection: equirectangular with its standard parallel at the map's middle latitude φ0.
x is longitude and y latitude in degrees (hover and tests read real coordinates); the y axis
is anchored to x with scaleratio 1/cos(φ0), so a degree of latitude is drawn as much longer
than a degree of longitude as it is on the ground at φ0. Across Zhejiang (27.0–31.2°N) the
east–west scale is off by at most ±2.5% at the northern and southern edges: not visible at
this size, and about what the Web Mercator of the deck.gl maps did the other way.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import shape

from evalcore.views.palette import STATUS_SYMBOLS

Colour = Sequence[int]


def rgb(colour: Colour) -> str:
    return "rgb({},{},{})".format(*colour[:3])


def _polygons(features: Iterable[dict]) -> list[shapely.Polygon]:
    return [p for f in features for p in shapely.get_parts(shape(f["geometry"]))]


def ring_path(features: Iterable[dict]) -> tuple[list, list]:
    """x and y of every polygon's outer ring, polygons parted by None (one filled trace).

    Holes are not drawn: `fill="toself"` fills each ring on its own, so a hole would be filled
    over. The shipped boundaries have none (tests.test_figures_flatmap checks it)."""
    xs: list = []
    ys: list = []
    for polygon in _polygons(features):
        x, y = polygon.exterior.xy
        xs.extend([*(round(v, 4) for v in x), None])
        ys.extend([*(round(v, 4) for v in y), None])
    return xs[:-1], ys[:-1]


def bounds(features: Iterable[dict]) -> tuple[float, float, float, float]:
    """West, south, east, north of the features."""
    return shapely.total_bounds(_polygons(features)).tolist()


def region_trace(features: Iterable[dict], fill: Colour, outline: Colour | None = None,
                 name: str = "regions") -> go.Scatter:
    """All regions of one fill colour as one filled trace; not hoverable, not in the legend.

    Regions come inset by half a pixel (views.map.drawn_at): the white gap between neighbours
    is their border, so by default no line is drawn round them."""
    xs, ys = ring_path(features)
    line = {"width": 0.6, "color": rgb(outline)} if outline else {"width": 0}
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=rgb(fill), line=line,
                      hoverinfo="skip", showlegend=False, name=name)


# Names in near-black with a white halo: readable on every fill, light or dark.
HALO = "0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff"


def names_trace(names: Sequence[str], lons: Sequence[float], lats: Sequence[float],
                size: int = 13) -> go.Scatter:
    """Region names at points inside them; not hoverable, not in the legend."""
    return go.Scatter(x=list(lons), y=list(lats), mode="text",
                      text=[html.escape(str(n), quote=False) for n in names],
                      textfont={"size": size, "color": "rgb(17,17,17)", "shadow": HALO,
                                "weight": "bold"},
                      hoverinfo="skip", showlegend=False, name="names")


def feature_names(features: Iterable[dict]) -> go.Scatter:
    """The names of `features` (boundary features: short_name, rep_lon, rep_lat)."""
    props = [f["properties"] for f in features if "short_name" in f["properties"]]
    return names_trace([p["short_name"] for p in props], [p["rep_lon"] for p in props],
                       [p["rep_lat"] for p in props])


def hover_text(lines: Iterable[str]) -> str:
    """Tooltip lines, escaped (names come from imported data), joined by plotly's <br>."""
    return "<br>".join(html.escape(str(line), quote=False) for line in lines)


def point_trace(points: pd.DataFrame, label: str, colour: Colour, size: float,
                outline: Colour | None, symbol: str = "circle") -> go.Scatter:
    """Communities of one status: `points` has lon, lat and hover (text with <br>); each status
    has its own marker shape (palette.STATUS_SYMBOLS), so it reads without colour."""
    marker = {"color": rgb(colour), "size": size, "opacity": 0.95, "symbol": symbol,
              "line": {"width": 0.6, "color": rgb(outline)} if outline else {"width": 0}}
    return go.Scatter(x=points["lon"], y=points["lat"], mode="markers", name=label,
                      marker=marker, text=points["hover"],
                      hovertemplate="%{text}<extra></extra>")


def build_flat_map(features: Sequence[dict], fill: Colour, points: pd.DataFrame,
                   statuses: dict[str, tuple[str, Colour]], height: int, size: float = 5,
                   outline: Colour | None = None) -> go.Figure:
    """Regions in `fill` with the communities over them, one trace per status present.

    `points` has lon, lat, status (code) and hover; `statuses` maps each code, in legend
    order, to its label and colour. The view fits the regions at equal scale (see above)."""
    fig = go.Figure(region_trace(features, fill))
    for status, (label, colour) in statuses.items():
        part = points[points["status"] == status]
        if len(part):
            # The legend shows each status's marker shape beside its name.
            fig.add_trace(point_trace(part, label, colour, size, outline,
                                      STATUS_SYMBOLS.get(status, "circle")))
    return fit_map(fig, features, height, toward="bottom")


def fit_map(fig: go.Figure, features: Sequence[dict], height: int,
            toward: str = "top") -> go.Figure:
    """Hidden axes fitted to `features` at equal scale: plotly widens one axis's range to fill
    the plot, so the regions are always whole, on a phone as on a wall display. No dragging:
    on a touch screen a drag scrolls the page (zoom stays in the mode bar on desktops)."""
    west, south, east, north = bounds(features)
    pad = 0.02 * max(east - west, north - south)
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(
        height=height, margin={"l": 0, "r": 0, "t": 8, "b": 28}, hovermode="closest",
        plot_bgcolor="white", paper_bgcolor="white", dragmode=False,
        # Below the map: above it, the mode bar shown on hover would cover it.
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top",
                "itemsizing": "constant"},
        # The plot shrinks to the map's shape, kept `toward` its legend ("bottom": below it).
        xaxis={**hidden, "range": [west - pad, east + pad], "constrain": "domain"},
        yaxis={**hidden, "range": [south - pad, north + pad], "scaleanchor": "x",
               "scaleratio": 1 / math.cos(math.radians((south + north) / 2)),
               "constrain": "domain", "constraintoward": toward},
    )
    return fig
