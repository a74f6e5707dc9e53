"""The small SVG maps (figures.flatmap, the progress and profile maps): regions as filled
scatter traces, one marker trace per status with every community the data gives, tooltips,
equal scale with the cos(latitude) correction, and nothing drawn with WebGL."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from evalcore.figures import flatmap as F
from evalcore.figures.profile import build_community_map
from evalcore.figures.progress import build_progress_map, even_sample
from evalcore.geography import boundaries_geojson, load_boundaries
from evalcore.views import progress as P
from evalcore.views.map import drawn_at, outline_features, view_for_bounds
from tests.map_checks import assert_svg_map, points_outside_regions, split_map, values

SQUARES = [
    {"type": "Feature", "properties": {"code": "a"},
     "geometry": {"type": "Polygon", "coordinates": [[[120, 30], [121, 30], [121, 31],
                                                      [120, 31], [120, 30]]]}},
    {"type": "Feature", "properties": {"code": "b"},
     "geometry": {"type": "MultiPolygon", "coordinates": [
         [[[122, 28], [123, 28], [123, 29], [122, 28]]],
         [[[124, 28], [124.5, 28], [124.5, 28.5], [124, 28]]]]}},
]
POINTS = pd.DataFrame({"lon": [120.5, 122.8, 120.2], "lat": [30.5, 28.2, 30.1],
                       "status": ["started", "accepted", "started"],
                       "hover": ["一村<br>已开工", "二村<br>已验收", "三村<br>已开工"]})
STATUSES = {"started": ("已开工", (230, 126, 34)), "completed": ("已完工", (52, 120, 219)),
            "accepted": ("已验收", (39, 174, 96))}


def test_ring_path_parts_every_polygon_by_none() -> None:
    xs, ys = F.ring_path(SQUARES)
    assert xs.count(None) == ys.count(None) == 2  # three polygons, two separators
    assert len(xs) == 5 + 4 + 4 + 2 and xs[:5] == [120, 121, 121, 120, 120]


def test_flat_map_has_one_region_trace_and_a_trace_per_status_present() -> None:
    fig = F.build_flat_map(SQUARES, (200, 200, 200), POINTS, STATUSES, 400)
    spec = fig.to_plotly_json()
    assert_svg_map(spec)
    regions, points = split_map(spec)
    assert len(regions) == 1 and regions[0]["hoverinfo"] == "skip"
    assert not regions[0]["showlegend"]
    assert list(points) == ["已开工", "已验收"]  # legend order of `statuses`; none completed
    assert len(values(points["已开工"]["x"])) == 2 and len(values(points["已验收"]["x"])) == 1
    assert list(points["已验收"]["text"]) == ["二村<br>已验收"]
    assert points["已开工"]["marker"]["color"] == "rgb(230,126,34)"
    assert points["已开工"]["hovertemplate"] == "%{text}<extra></extra>"
    assert spec["layout"]["xaxis"]["range"][0] < 120 and spec["layout"]["xaxis"]["range"][1] > 124.5
    assert spec["layout"]["yaxis"]["scaleratio"] == pytest.approx(1 / math.cos(math.radians(29.5)))


def test_hover_text_is_escaped() -> None:
    assert F.hover_text(["<b>村</b> & 户", "2"]) == "&lt;b&gt;村&lt;/b&gt; &amp; 户<br>2"


def test_shipped_boundaries_have_no_holes() -> None:
    """ring_path draws outer rings only (a hole would be filled over)."""
    for feature in boundaries_geojson()["features"]:
        parts = shapely.get_parts(shape(feature["geometry"]))
        assert all(len(p.interiors) == 0 for p in parts), feature["properties"]["code"]


@pytest.fixture(scope="module")
def city_outlines() -> dict:
    zoom = view_for_bounds(load_boundaries()["330000"].bounds, 360, 480)["zoom"]
    return drawn_at(outline_features(boundaries_geojson(), "city"), zoom)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_progress_map_holds_every_started_community(demo_store, city_outlines, lang) -> None:
    points = P.community_points(demo_store.communities(), demo_store.regions(), 2022, lang)
    spec = build_progress_map(city_outlines, points, lang).to_plotly_json()
    assert_svg_map(spec)
    regions, traces = split_map(spec)
    assert len(regions) == 1
    assert values(regions[0]["x"]).count(None) + 1 == sum(
        len(shapely.get_parts(shape(f["geometry"]))) for f in city_outlines["features"])
    counts = points["status"].value_counts()
    labels = {P.t(s, lang): s for s in P.STATUS_COLOURS}
    assert {labels[name]: len(values(t["x"])) for name, t in traces.items()} == counts.to_dict()
    first = points.iloc[0]
    trace = traces[P.t(first["status"], lang)]
    assert trace["text"][0] == first["tip"].replace("\n", "<br>")
    assert trace["marker"]["color"] == F.rgb(P.STATUS_COLOURS[first["status"]])
    # Community coordinates fall inside their (inset, simplified) cities: a pixel's slack.
    assert points_outside_regions(spec, tolerance=0.02) == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_progress_map_draws_an_even_labelled_sample_beyond_the_cap(demo_store, city_outlines,
                                                                   lang) -> None:
    points = P.community_points(demo_store.communities(), demo_store.regions(), 2022, lang)
    cap = len(points) // 4
    spec = build_progress_map(city_outlines, points, lang, cap=cap).to_plotly_json()
    _, traces = split_map(spec)
    assert sum(len(values(t["x"])) for t in traces.values()) == cap
    sample = even_sample(points, cap)
    assert len(sample) == cap and sample.index.is_monotonic_increasing
    assert sample.index[0] == points.index[0] and sample.index[-1] == points.index[-1]
    note = spec["layout"]["annotations"][0]["text"]
    assert f"{cap:,}" in note and f"{len(points):,}" in note
    whole = build_progress_map(city_outlines, points, lang).to_plotly_json()
    assert not whole["layout"].get("annotations")  # under the cap: every community, no note


@pytest.mark.parametrize("code", ["330100", "330106"])
def test_community_map_holds_the_units_communities(demo_store, code) -> None:
    regions = demo_store.regions()
    counties = set(regions.loc[regions["parent_code"] == code, "code"]) | {code}
    communities = demo_store.communities()
    communities = communities[communities["county_code"].isin(counties)]
    spec = build_community_map(communities, code, "en").to_plotly_json()
    assert_svg_map(spec)
    outlines, traces = split_map(spec)
    assert len(outlines) == 1
    expected = communities["status"].value_counts().to_dict()
    names = {"Accepted": "accepted", "Completed": "completed", "Started": "started",
             "Planned": "planned"}
    assert {names[n]: len(values(t["x"])) for n, t in traces.items()} == expected
    row = communities.iloc[0]
    texts = [text for t in traces.values() for text in t["text"]]
    assert any(text.startswith(row["name"]) and f"{int(row['households'])} households" in text
               for text in texts)
    assert points_outside_regions(spec, tolerance=0.01) == 0
