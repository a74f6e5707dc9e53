"""Checks shared by the tests of the small SVG maps (figures.flatmap): what a map must be."""

from __future__ import annotations

import base64
import math

import numpy as np

# Every plotly trace type that draws with WebGL or fetches a map (geo subplots load topojson).
WEBGL_OR_NETWORK = {"scattergl", "scattermap", "scattermapbox", "choroplethmap",
                    "choroplethmapbox", "densitymap", "densitymapbox", "scattergeo",
                    "choropleth", "heatmapgl", "pointcloud", "splom", "parcoords", "scatter3d"}


def values(v) -> list:
    """Plotly 7 sends numeric arrays as typed base64 ({'dtype', 'bdata'}); lists stay lists."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), v["dtype"]).tolist()
    return list(v)


def split_map(spec: dict) -> tuple[list[dict], dict[str, dict]]:
    """(region traces, point traces by legend name) of a map's spec (dict or to_plotly_json)."""
    data = spec["data"]
    regions = [t for t in data if t.get("fill") == "toself"]
    points = {t["name"]: t for t in data if t.get("mode") == "markers"}
    return regions, points


def assert_svg_map(spec: dict) -> None:
    """SVG only, no geo subplot, equal scale with the cos(latitude) correction, axes hidden."""
    assert {t.get("type", "scatter") for t in spec["data"]} == {"scatter"}
    assert not WEBGL_OR_NETWORK & {t.get("type") for t in spec["data"]}
    layout = spec["layout"]
    assert not {"geo", "map", "mapbox"} & set(layout)
    south, north = layout["yaxis"]["range"]
    assert layout["yaxis"]["scaleanchor"] == "x"
    assert math.isclose(layout["yaxis"]["scaleratio"],
                        1 / math.cos(math.radians((south + north) / 2)))
    assert layout["xaxis"]["visible"] is False and layout["yaxis"]["visible"] is False


def points_outside_regions(spec: dict, tolerance: float) -> int:
    """How many points lie farther than `tolerance` (degrees) from every drawn region."""
    import shapely

    regions, points = split_map(spec)
    rings = []
    for trace in regions:
        ring: list[tuple[float, float]] = []
        for x, y in zip(values(trace["x"]), values(trace["y"]), strict=True):
            if x is None:
                rings.append(shapely.Polygon(ring))
                ring = []
            else:
                ring.append((x, y))
        rings.append(shapely.Polygon(ring))
    land = shapely.union_all(rings).buffer(tolerance)
    xs = [x for t in points.values() for x in values(t["x"])]
    ys = [y for t in points.values() for y in values(t["y"])]
    return int((~shapely.contains_xy(land, xs, ys)).sum())
