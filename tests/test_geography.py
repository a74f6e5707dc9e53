"""Tests for evalcore.geography over the shipped data/geo files (domain.md B4)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from evalcore import geography as geo


@pytest.fixture(scope="module")
def regions():
    return geo.load_regions()


@pytest.fixture(scope="module")
def counties(regions):
    return regions[regions["level"] == "county"]


def test_regions_columns_and_code_strings(regions):
    assert list(regions.columns) == geo.REGION_COLUMNS
    assert regions["code"].str.fullmatch(r"33\d{4}").all()
    assert regions["code"].is_unique
    assert list(regions["code"]) == sorted(regions["code"])


@pytest.mark.parametrize("level, count", [("province", 1), ("city", 11), ("county", 90)])
def test_level_counts(regions, level, count):
    assert (regions["level"] == level).sum() == count


@pytest.mark.parametrize(
    "city_code, city, county_short_names",
    [
        ("330100", "杭州市", "上城 拱墅 西湖 滨江 萧山 余杭 富阳 临安 临平 钱塘 桐庐 淳安 建德"),
        ("330200", "宁波市", "海曙 江北 北仑 镇海 鄞州 奉化 象山 宁海 余姚 慈溪"),
        ("330300", "温州市", "鹿城 龙湾 瓯海 洞头 永嘉 平阳 苍南 文成 泰顺 瑞安 乐清 龙港"),
        ("330400", "嘉兴市", "南湖 秀洲 嘉善 海盐 海宁 平湖 桐乡"),
        ("330500", "湖州市", "吴兴 南浔 德清 长兴 安吉"),
        ("330600", "绍兴市", "越城 柯桥 上虞 新昌 诸暨 嵊州"),
        ("330700", "金华市", "婺城 金东 武义 浦江 磐安 兰溪 义乌 东阳 永康"),
        ("330800", "衢州市", "柯城 衢江 常山 开化 龙游 江山"),
        ("330900", "舟山市", "定海 普陀 岱山 嵊泗"),
        ("331000", "台州市", "椒江 黄岩 路桥 三门 天台 仙居 温岭 临海 玉环"),
        ("331100", "丽水市", "莲都 青田 缙云 遂昌 松阳 云和 庆元 景宁 龙泉"),
    ],
)
def test_city_and_its_counties(regions, counties, city_code, city, county_short_names):
    row = regions.set_index("code").loc[city_code]
    assert (row["name"], row["level"], row["parent_code"]) == (city, "city", "330000")
    mine = counties[counties["parent_code"] == city_code]
    assert sorted(mine["short_name"]) == sorted(county_short_names.split())


@pytest.mark.parametrize("suffix, count", [("区", 37), ("市", 20), ("县", 32), ("自治县", 1)])
def test_county_kinds(counties, suffix, count):
    kinds = counties["name"].map(lambda n: "自治县" if n.endswith("自治县") else n[-1])
    assert (kinds == suffix).sum() == count


@pytest.mark.parametrize(
    "code, name, short_name, level, parent_code",
    [
        ("330000", "浙江省", "浙江", "province", None),
        ("330100", "杭州市", "杭州", "city", "330000"),
        ("330106", "西湖区", "西湖", "county", "330100"),
        ("330113", "临平区", "临平", "county", "330100"),
        ("330114", "钱塘区", "钱塘", "county", "330100"),
        ("330383", "龙港市", "龙港", "county", "330300"),
        ("331127", "景宁畲族自治县", "景宁", "county", "331100"),
    ],
)
def test_specific_regions(regions, code, name, short_name, level, parent_code):
    row = regions.set_index("code").loc[code]
    assert (row["name"], row["short_name"], row["level"]) == (name, short_name, level)
    assert (None if pd.isna(row["parent_code"]) else row["parent_code"]) == parent_code


def test_every_county_parent_is_a_city(regions, counties):
    cities = set(regions.loc[regions["level"] == "city", "code"])
    assert set(counties["parent_code"]) == cities


def test_representative_points_lie_in_county_and_city(counties):
    outside = [
        r.code
        for r in counties.itertuples()
        for code in (r.code, r.parent_code)
        if not geo.contains(code, r.rep_lon, r.rep_lat)
    ]
    assert outside == []


def test_geometries_valid_nonempty_and_keyed_by_every_code(regions):
    geoms = geo.load_boundaries()
    assert set(geoms) == set(regions["code"])
    bad = [c for c, g in geoms.items() if not g.is_valid or g.is_empty or g.area <= 0]
    assert bad == []
    assert geo.load_boundaries() is geoms  # cached


def test_counties_tile_their_city_without_overlap(regions, counties):
    geoms = geo.load_boundaries()
    assert shapely.coverage_is_valid([geoms[c] for c in counties["code"]])
    for city in regions.loc[regions["level"] == "city", "code"]:
        parts = [geoms[c] for c in counties.loc[counties["parent_code"] == city, "code"]]
        assert shapely.union_all(parts).symmetric_difference(geoms[city]).area < 1e-9


def test_two_largest_cities_are_lishui_then_hangzhou(regions):
    cities = regions[regions["level"] == "city"].nlargest(2, "area_km2")
    assert list(cities["short_name"]) == ["丽水", "杭州"]
    assert cities["area_km2"].tolist() == pytest.approx([17_260, 16_880], rel=0.02)


def test_county_areas_add_up_to_province(regions, counties):
    province = regions.loc[regions["level"] == "province", "area_km2"].item()
    assert province == pytest.approx(105_500, rel=0.03)
    assert counties["area_km2"].sum() == pytest.approx(province, rel=1e-4)


def test_geojson_file_small_and_matches_regions(regions):
    path = geo.GEO_DIR / "zhejiang_boundaries.geojson"
    assert path.stat().st_size <= 2_000_000
    collection = geo.boundaries_geojson()
    props = [f["properties"] for f in collection["features"]]
    assert [p["code"] for p in props] == list(regions["code"])
    assert all(set(p) == set(geo.REGION_COLUMNS) for p in props)


def test_locate_county_finds_each_county_at_its_representative_point(counties):
    found = {r.code: geo.locate_county(r.rep_lon, r.rep_lat) for r in counties.itertuples()}
    assert {code: hit for code, hit in found.items() if hit != code} == {}


@pytest.mark.parametrize(
    "lon, lat, expected",
    [
        (120.145, 30.245, "330106"),  # West Lake, 西湖区
        (120.075, 29.306, "330782"),  # 义乌 centre
        (119.040, 29.610, "330127"),  # 千岛湖, 淳安县
        (122.100, 30.020, "330902"),  # 定海 on Zhoushan island
        (120.700, 28.000, "330302"),  # 温州 centre, 鹿城区
        (121.475, 31.232, None),  # Shanghai, People's Square
        (123.500, 29.000, None),  # East China Sea
    ],
)
def test_locate_county_known_places(lon, lat, expected):
    assert geo.locate_county(lon, lat) == expected


@pytest.mark.parametrize("code", ["330106", "330922", "331127", "330100", "330000"])
def test_random_points_inside_and_deterministic(code):
    points = geo.random_points_in(code, 300, np.random.default_rng(42))
    assert points.shape == (300, 2)
    assert all(geo.contains(code, lon, lat) for lon, lat in points)
    again = geo.random_points_in(code, 300, np.random.default_rng(42))
    other = geo.random_points_in(code, 300, np.random.default_rng(43))
    assert np.array_equal(points, again)
    assert not np.array_equal(points, other)


def test_random_points_cluster_near_the_representative_point():
    geom = geo.load_boundaries()["330127"]  # 淳安: large, so clustering is visible
    points = geo.random_points_in("330127", 500, np.random.default_rng(0))
    centre = np.array(geom.representative_point().coords[0])
    spread = np.linalg.norm(points - centre, axis=1).mean()
    minx, miny, maxx, maxy = geom.bounds
    assert spread < 0.3 * max(maxx - minx, maxy - miny)


def test_random_points_edge_cases():
    assert geo.random_points_in("330106", 0, np.random.default_rng(0)).shape == (0, 2)
    with pytest.raises(ValueError, match="n must be"):
        geo.random_points_in("330106", -1, np.random.default_rng(0))


def test_unknown_code_raises_key_error():
    with pytest.raises(KeyError):
        geo.contains("339999", 120.0, 30.0)


def test_geography_does_not_import_streamlit():
    code = "import sys, evalcore.geography, evalcore.coords; print('streamlit' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
