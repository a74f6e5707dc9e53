"""Indicators computed from data (start rate, completion, investment, management, satisfaction,
rectification).

Pure pandas over the `communities` and `targets` tables (METRICS) and over the round's
`problems` (PROBLEM_METRICS). Each community metric is measured for a round year as of that
year's 31 December; every metric per county, per city (its counties together, and for
problems also those recorded against the city itself) and for the province. A unit with no
data for a metric gets NaN; scoring turns NaN into 0 points and says so (`no_data`), rather
than silently treating it as perfect or absent.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

MANAGED = ("professional", "quasi")


def _as_of(year: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=12, day=31)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.where(den > 0)
    return num.reindex(den.index.union(num.index)).fillna(0) / den


def _count_targets(targets: pd.DataFrame, year: int) -> pd.Series:
    t = targets[targets["year"] == year]
    return t.set_index("unit_code")["communities"].astype(float)


def start_rate(c: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.Series:
    """Communities of the year's batch started by year end ÷ the year's target."""
    started = c[(c["batch_year"] == year) & (c["start_date"] <= _as_of(year))]
    return _ratio(started.groupby("unit_code").size().astype(float), _count_targets(targets, year))


def completion_rate(c: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.Series:
    """Communities of last year's batch completed by this year end ÷ last year's target."""
    done = c[(c["batch_year"] == year - 1) & (c["completion_date"] <= _as_of(year))]
    return _ratio(done.groupby("unit_code").size().astype(float), _count_targets(targets, year - 1))


def investment_execution(c: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.Series:
    """Completed ÷ planned investment of the year's batch."""
    batch = c[c["batch_year"] == year].groupby("unit_code")
    return _ratio(batch["completed_investment_wan"].sum(), batch["planned_investment_wan"].sum())


def pm_coverage(c: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.Series:
    """Share of communities completed by year end under professional or quasi management."""
    done = c[c["completion_date"] <= _as_of(year)]
    managed = done["property_management"].isin(MANAGED).astype(float)
    return managed.groupby(done["unit_code"]).mean()


def satisfaction(c: pd.DataFrame, targets: pd.DataFrame, year: int) -> pd.Series:
    """Household-weighted satisfaction of communities completed in the year."""
    done = c[c["completion_date"].dt.year == year].dropna(subset=["satisfaction"])
    weighted = (done["satisfaction"] * done["households"]).groupby(done["unit_code"]).sum()
    return weighted / done.groupby("unit_code")["households"].sum()


METRICS: dict[str, Callable[[pd.DataFrame, pd.DataFrame, int], pd.Series]] = {
    "start_rate": start_rate,
    "completion_rate": completion_rate,
    "investment_execution": investment_execution,
    "pm_coverage": pm_coverage,
    "satisfaction": satisfaction,
}


def rectification_rate(problems: pd.DataFrame) -> pd.Series:
    """Problems signed off (status closed) ÷ problems recorded in the round, per unit; a unit
    with no problem recorded has no value (NaN), not a perfect rate."""
    closed = (problems["status"] == "closed").astype(float)
    return closed.groupby(problems["unit_code"]).mean()


# Metrics over the round's problems (unit_code, status; one row per problem recorded).
PROBLEM_METRICS: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "rectification_rate": rectification_rate,
}
# Every name a rubric's `[indicators.derive] metric` may give.
METRIC_NAMES: tuple[str, ...] = (*METRICS, *PROBLEM_METRICS)
PROBLEM_COLUMNS = ["unit_code", "status"]


# The community columns the metrics read; only these are copied once per unit level.
USED_COLUMNS = ["batch_year", "start_date", "completion_date", "planned_investment_wan",
                "completed_investment_wan", "property_management", "satisfaction", "households"]


def _with_units(communities: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """One copy of each community per unit it counts for: its county, city and province."""
    parent = regions.set_index("code")["parent_code"]
    used = communities[USED_COLUMNS].copy()
    for col in ("start_date", "completion_date"):
        used[col] = pd.to_datetime(used[col])
    county = used.assign(unit_code=communities["county_code"])
    city = used.assign(unit_code=communities["county_code"].map(parent))
    province = used.assign(unit_code=city["unit_code"].map(parent))
    frame = pd.concat([county, city, province], ignore_index=True)
    return frame.dropna(subset=["unit_code"])


def _problems_with_units(problems: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """One copy of each problem per unit it counts for: the unit it was recorded against and
    every unit above it (a county's problem counts for its city and the province)."""
    parent = regions.set_index("code")["parent_code"]
    frames, level = [], problems[PROBLEM_COLUMNS]
    while not level.empty:
        frames.append(level)
        level = level.assign(unit_code=level["unit_code"].map(parent)).dropna(
            subset=["unit_code"])
    return pd.concat(frames, ignore_index=True) if frames else problems[PROBLEM_COLUMNS]


def compute_metrics(
    communities: pd.DataFrame, targets: pd.DataFrame, regions: pd.DataFrame, year: int,
    problems: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Long frame (unit_code, metric, value) for every region and metric; NaN where no data.
    `problems`: the round's problems (PROBLEM_COLUMNS); None or empty: none recorded."""
    frame = _with_units(communities, regions)
    units = pd.Index(regions["code"], name="unit_code")
    if problems is None:
        problems = pd.DataFrame(columns=PROBLEM_COLUMNS)
    found = _problems_with_units(problems, regions)
    series = {name: fn(frame, targets, year) for name, fn in METRICS.items()}
    series |= {name: fn(found) for name, fn in PROBLEM_METRICS.items()}
    parts = []
    for name, values in series.items():
        values = values.reindex(units)
        parts.append(pd.DataFrame({"unit_code": units, "metric": name, "value": values.values}))
    out = pd.concat(parts, ignore_index=True)
    out["value"] = out["value"].astype(float).replace([np.inf, -np.inf], np.nan)
    return out
