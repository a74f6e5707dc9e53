"""Zhejiang's regions and their boundaries at runtime: lookup, point tests, sampling.

Reads data/geo/, built by scripts/build_boundaries.py: one province, 11 cities and 90
county-level units, in WGS84. The boundaries are schematic (示意), see data/geo/ATTRIBUTION.md.
"""

import json
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from evalcore.paths import GEO_DIR

REGION_COLUMNS = [
    "code", "name", "short_name", "level", "parent_code", "rep_lon", "rep_lat", "area_km2",
]  # fmt: skip


def load_regions() -> pd.DataFrame:
    """Province, cities and counties sorted by code, with REGION_COLUMNS.

    Codes are 6-digit strings ("330106"); the province's parent_code is missing.
    A fresh frame on each call (it has about 100 rows), so callers may modify it.
    """
    codes = {"code": str, "parent_code": str}
    return pd.read_csv(GEO_DIR / "regions.csv", dtype=codes)[REGION_COLUMNS]


@lru_cache(maxsize=1)
def boundaries_geojson() -> dict:
    """The FeatureCollection as stored, for map layers. Cached and shared: do not modify."""
    return json.loads((GEO_DIR / "zhejiang_boundaries.geojson").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_boundaries() -> dict[str, shapely.Geometry]:
    """Each region's geometry keyed by code. Cached and shared: do not modify."""
    features = boundaries_geojson()["features"]
    geoms = {f["properties"]["code"]: shape(f["geometry"]) for f in features}
    # Prepared once here, so every later contains/locate call on them is fast.
    shapely.prepare(list(geoms.values()))
    return geoms


def contains(code: str, lon: float, lat: float) -> bool:
    """Whether (lon, lat) in WGS84 lies strictly inside region `code` (KeyError if unknown)."""
    return bool(shapely.contains_xy(load_boundaries()[code], lon, lat))


@lru_cache(maxsize=1)
def _county_tree() -> tuple[shapely.STRtree, tuple[str, ...]]:
    """A spatial index over the 90 counties, with their codes in tree order."""
    features = boundaries_geojson()["features"]
    codes = tuple(f["properties"]["code"] for f in features if f["properties"]["level"] == "county")
    geoms = load_boundaries()
    return shapely.STRtree([geoms[c] for c in codes]), codes


def locate_county(lon: float, lat: float) -> str | None:
    """Code of the county containing (lon, lat) in WGS84, or None outside Zhejiang.

    A point exactly on a shared border touches two counties; the lower code wins, so the
    answer never depends on the index's internal order.
    """
    tree, codes = _county_tree()
    hits = tree.query(shapely.Point(lon, lat), predicate="intersects")
    return min((codes[i] for i in hits), default=None)


def random_points_in(
    code: str, n: int, rng: np.random.Generator, spread: float = 0.15
) -> np.ndarray:
    """`n` (lon, lat) points strictly inside region `code`, as an (n, 2) array.

    Points cluster like an urban core: they are drawn from a Gaussian centred on the region's
    representative point, sigma = `spread` x the bounding box, and those not strictly inside
    are rejected. The same generator state gives the same points.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    geom = load_boundaries()[code]
    centre = np.array(geom.representative_point().coords[0])
    minx, miny, maxx, maxy = geom.bounds
    sigma = spread * np.array([maxx - minx, maxy - miny])
    kept = [np.empty((0, 2))]
    while (have := sum(len(k) for k in kept)) < n:
        draw = rng.normal(centre, sigma, size=(2 * (n - have) + 16, 2))
        inside = draw[shapely.contains_xy(geom, draw[:, 0], draw[:, 1])]
        if len(inside) == 0:
            # Archipelagos: a wide bbox around a small island can miss it; narrow the cloud.
            sigma = sigma / 2
        kept.append(inside)
    return np.concatenate(kept)[:n]
