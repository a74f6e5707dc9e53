"""Synthetic renovated communities: counts, sizes, money, dates and places per batch year."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from evalcore import geography
from evalcore.demo.allocate import allocate, county_weights
from evalcore.demo.figures import AS_OF, BATCHES
from evalcore.schema import FUNDING_SOURCES

STEMS = (
    "朝晖 翠苑 文一 德胜 和平 东新 新华 建设 人民 解放 工人 丝绸 纺织 机械 红星 光明 幸福 向阳 "
    "胜利 长征 五一 城东 城西 城南 城北 河东 河西 湖滨 江滨 桥西 府前 学院 电力 粮食 邮电 供销 "
    "水利 交通 卫生 教工 农机 化工 百货 商业 银河 青年 望江 清河 南苑 北苑 景芳 三塘 大关 米市"
).split()
SUFFIXES = ("新村", "小区", "一区", "二区", "三区", "公寓", "花园", "苑", "宿舍", "北区", "南区")

# Typical funding mix of a renovation (shares of planned investment), before per-project noise:
# subsidies and local budgets carry most of it; the six seed channels add smaller parts.
FUNDING_MIX = np.array([0.22, 0.10, 0.42, 0.06, 0.05, 0.05, 0.05, 0.03, 0.02])


def _scaled(values: np.ndarray, total: float, decimals: int) -> np.ndarray:
    """Rescale so the rounded values sum to `total` within rounding."""
    return np.round(values * total / values.sum(), decimals)


def _dates(batch: int, q: np.ndarray, rng: np.random.Generator) -> tuple[list, list]:
    """Start and completion dates; some starts slip into the next spring (lower start rate),
    more often where the county's quality `q` is low."""
    n = len(q)
    day0 = date(batch, 3, 1)
    spread = 200 if batch == 2023 else 275  # 2023: all started by September [S]
    offset = rng.integers(0, spread, size=n)
    # Published starts are counted by year end: 987 started in 2019–2020 [S] (a 2019 start
    # may slip into 2020, a 2020 one not past it), 616 in 2022, 393 in 2023: none slip there.
    late = rng.random(n) < (0.2 * (1 - q) if batch in (2019, 2021) else 0.0)
    offset = np.where(late, 306 + rng.integers(0, 90, size=n), offset)
    starts = [day0 + timedelta(days=int(d)) for d in offset]
    duration = rng.integers(150, 520, size=n)
    ends = [s + timedelta(days=int(d)) for s, d in zip(starts, duration, strict=True)]
    return starts, ends


def _status(start: date, end: date) -> tuple[str, date | None, date | None]:
    if start > AS_OF:
        return "planned", None, None
    if end > AS_OF:
        return "started", start, None
    accepted = end + timedelta(days=90) <= AS_OF
    return ("accepted" if accepted else "completed"), start, end


def _batch(batch: int, counts: pd.Series, quality: pd.Series, rng) -> pd.DataFrame:
    spec = BATCHES[batch]
    county_codes = np.repeat(counts.index.to_numpy(), counts.to_numpy())
    n = len(county_codes)
    households = _scaled(rng.lognormal(0, 0.55, n), spec["households"], 0).astype(int)
    invest = _scaled(households * rng.lognormal(0, 0.25, n), spec["investment_wan"], 1)
    q = pd.Series(county_codes).map(quality).to_numpy()
    starts, ends = _dates(batch, q, rng)
    frame = pd.DataFrame({"county_code": county_codes, "households": households})
    frame["batch_year"] = batch
    frame["planned_investment_wan"] = invest
    statuses = [_status(s, e) for s, e in zip(starts, ends, strict=True)]
    frame["status"] = [s[0] for s in statuses]
    frame["start_date"] = [s[1] for s in statuses]
    frame["completion_date"] = [s[2] for s in statuses]
    return _details(frame, q, rng)


def _details(frame: pd.DataFrame, q: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Everything that follows from size, progress and the county's quality."""
    n = len(frame)
    done = frame["status"].isin(["completed", "accepted"]).to_numpy()
    started = frame["status"].eq("started").to_numpy()
    progress = np.where(done, rng.uniform(0.9, 1.02, n), np.where(started, rng.uniform(0.2, 0.8, n), 0))
    frame["completed_investment_wan"] = np.round(frame["planned_investment_wan"] * progress, 1)
    mix = rng.dirichlet(FUNDING_MIX * 40, size=n) * frame["planned_investment_wan"].to_numpy()[:, None]
    for i, source in enumerate(FUNDING_SOURCES):
        frame[f"fund_{source}_wan"] = np.round(mix[:, i], 1)
    frame["built_year"] = rng.integers(1975, 2001, n)
    frame["buildings"] = np.maximum(1, np.round(frame["households"] / rng.uniform(25, 60, n))).astype(int)
    frame["floor_area_m2"] = np.round(frame["households"] * rng.uniform(55, 85, n), 0)
    frame["items_basic"] = rng.integers(4, 11, n)
    frame["items_improvement"] = rng.poisson(1.5 + 3 * q)
    frame["items_enhancement"] = rng.poisson(0.3 + 1.5 * q)
    frame["lifts_added"] = np.where(frame["built_year"] < 1995, rng.poisson(1.2, n), 0)
    pm = rng.random(n)
    frame["property_management"] = np.select(
        [pm < 0.15 + 0.45 * q, pm < 0.35 + 0.6 * q], ["professional", "quasi"], "none"
    )
    frame["maintenance_fund"] = rng.random(n) < 0.3 + 0.6 * q
    sat = np.clip(rng.normal(0.62 + 0.33 * q, 0.04), 0.5, 0.995)
    frame["satisfaction"] = np.where(done, np.round(sat, 3), np.nan)
    return frame


def _names_and_places(frame: pd.DataFrame, regions: pd.DataFrame, rng) -> pd.DataFrame:
    short = regions.set_index("code")["short_name"]
    frame = frame.sort_values(["county_code", "batch_year"], kind="stable").reset_index(drop=True)
    frame["seq"] = frame.groupby(["county_code", "batch_year"]).cumcount() + 1
    frame["id"] = frame["county_code"] + "-" + frame["batch_year"].astype(str) + "-"
    frame["id"] += frame["seq"].map("{:03d}".format)
    stems = rng.integers(0, len(STEMS), len(frame))
    suffixes = rng.integers(0, len(SUFFIXES), len(frame))
    frame["name"] = [
        f"{short[c]}{STEMS[s]}{SUFFIXES[x]}"
        for c, s, x in zip(frame["county_code"], stems, suffixes, strict=True)
    ]
    points = [geography.random_points_in(c, int(k), rng) for c, k in
              frame.groupby("county_code", sort=True).size().items()]
    xy = np.concatenate(points)
    frame["lon"], frame["lat"] = xy[:, 0], xy[:, 1]
    return frame.drop(columns="seq")


def generate_communities(
    regions: pd.DataFrame, quality: pd.Series, rng: np.random.Generator
) -> pd.DataFrame:
    """All batches, each matching its published totals exactly, spread over the 90 counties."""
    # Units that evaluate well also tend to meet their plan: tilt the split by quality.
    weights = county_weights(regions)
    weights = weights * (0.7 + 0.6 * quality.reindex(weights.index))
    batches = [
        _batch(year, allocate(int(spec["communities"]), weights, rng, noise=0.15), quality, rng)
        for year, spec in BATCHES.items()
    ]
    frame = _names_and_places(pd.concat(batches, ignore_index=True), regions, rng)
    return frame.sort_values("id").reset_index(drop=True)
