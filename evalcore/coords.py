"""Convert coordinates from Chinese map datums (GCJ-02, BD-09) to WGS84.

Amap and Tencent publish GCJ-02, Baidu publishes BD-09; everything this project stores is
WGS84. The conversions use prcoords' iterative ("bored") inverses, which agree with the
forward transform to about 1e-7 degrees (centimetres), far below the data's own accuracy.
"""

from collections.abc import Callable, Iterable

import numpy as np
import prcoords

# crs name -> precise inverse taking and returning (lat, lon); WGS84 needs no conversion.
_INVERSES: dict[str, Callable[..., tuple[float, float]]] = {
    "gcj02": prcoords.gcj_wgs_bored,
    "bd09": prcoords.bd_wgs_bored,
}
CRS_NAMES: tuple[str, ...] = ("wgs84", *_INVERSES)


def _check_crs(crs: str) -> str:
    """Return `crs` normalised to lower case, or raise ValueError naming it."""
    name = crs.strip().lower()
    if name not in CRS_NAMES:
        raise ValueError(f"unknown crs {crs!r}; expected one of {', '.join(CRS_NAMES)}")
    return name


def to_wgs84(lon: float, lat: float, crs: str) -> tuple[float, float]:
    """Return (lon, lat) in WGS84 for a point given in `crs` ('wgs84', 'gcj02' or 'bd09')."""
    name = _check_crs(crs)
    if name == "wgs84":
        return float(lon), float(lat)
    # check_china=False: the datum offset must be removed even for points near the edge of
    # prcoords' rough China box, and every caller here is in Zhejiang anyway.
    wgs = _INVERSES[name]((float(lat), float(lon)), False)
    return float(wgs.lon), float(wgs.lat)


def to_wgs84_many(
    lons: Iterable[float], lats: Iterable[float], crs: str
) -> tuple[np.ndarray, np.ndarray]:
    """Convert arrays of lon/lat from `crs` to WGS84; returns (lons, lats) as float arrays.

    A plain loop over prcoords: about 15 µs a point, so a whole province of boundary vertices
    converts in a couple of seconds, with exactly the scalar function's results.
    """
    name = _check_crs(crs)
    lon_arr = np.asarray(lons, dtype=float)
    lat_arr = np.asarray(lats, dtype=float)
    if name == "wgs84":
        return lon_arr.copy(), lat_arr.copy()
    pairs = [
        to_wgs84(lo, la, name) for lo, la in zip(lon_arr.ravel(), lat_arr.ravel(), strict=True)
    ]
    out = np.array(pairs, dtype=float).reshape(-1, 2)
    return out[:, 0].reshape(lon_arr.shape), out[:, 1].reshape(lat_arr.shape)
