"""Tests for evalcore.coords: GCJ-02 / BD-09 to WGS84."""

import numpy as np
import prcoords
import pytest

from evalcore.coords import to_wgs84, to_wgs84_many

# WGS84 (lon, lat) of a few city centres across Zhejiang.
PLACES = [
    (120.155, 30.274),  # 杭州
    (121.550, 29.875),  # 宁波
    (120.699, 27.994),  # 温州
    (122.207, 29.985),  # 舟山
    (119.922, 28.451),  # 丽水
]


@pytest.mark.parametrize("lon, lat", PLACES)
@pytest.mark.parametrize(
    "crs, forward",
    [("gcj02", prcoords.wgs_gcj), ("bd09", prcoords.wgs_bd)],
)
def test_round_trip_through_forward_transform(lon, lat, crs, forward):
    shifted = forward((lat, lon))
    assert abs(shifted.lon - lon) > 1e-3  # the forward transform really moved the point
    back = to_wgs84(shifted.lon, shifted.lat, crs)
    assert back == pytest.approx((lon, lat), abs=1e-6)


def test_gcj02_offset_in_hangzhou_is_east_and_south():
    # Amap's GCJ-02 puts Zhejiang points about 0.0047 deg east and 0.0023 deg south of WGS84.
    lon, lat = to_wgs84(120.155, 30.274, "gcj02")
    assert 120.155 - lon == pytest.approx(0.0047, abs=5e-4)
    assert 30.274 - lat == pytest.approx(-0.0023, abs=5e-4)


def test_bd09_offset_is_larger_than_gcj02():
    lon, lat = to_wgs84(120.155, 30.274, "bd09")
    assert 120.155 - lon == pytest.approx(0.0112, abs=1e-3)
    assert 30.274 - lat == pytest.approx(0.0034, abs=1e-3)


@pytest.mark.parametrize("crs", ["wgs84", "WGS84", " wgs84 "])
def test_wgs84_is_unchanged_and_crs_is_case_insensitive(crs):
    assert to_wgs84(120.155, 30.274, crs) == (120.155, 30.274)


@pytest.mark.parametrize("crs", ["epsg:4326", "gcj-02", "baidu", ""])
def test_unknown_crs_raises_naming_it(crs):
    with pytest.raises(ValueError, match=f"unknown crs {crs!r}"):
        to_wgs84(120.0, 30.0, crs)
    with pytest.raises(ValueError, match="unknown crs"):
        to_wgs84_many([120.0], [30.0], crs)


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_many_matches_scalar_and_keeps_shape(crs):
    lons = np.array([[p[0] for p in PLACES]] * 2)
    lats = np.array([[p[1] for p in PLACES]] * 2)
    out_lons, out_lats = to_wgs84_many(lons, lats, crs)
    assert out_lons.shape == out_lats.shape == (2, len(PLACES))
    expected = [to_wgs84(lon, lat, crs) for lon, lat in PLACES]
    assert np.array_equal(np.column_stack([out_lons[1], out_lats[1]]), np.array(expected))


def test_many_accepts_empty_input():
    lons, lats = to_wgs84_many([], [], "gcj02")
    assert lons.shape == lats.shape == (0,)
