"""Self-evaluation credibility: how far each unit's self-scores exceed the verified scores.

Rule: inflation = (self − verified) / max per unit and hand-scored indicator that has a
self-score; an indicator is inflated when inflation > rubric.credibility.inflation_threshold
+ EPS (1e-9: float noise at the threshold is at it, not above it).
Derived indicators are left out: they are identical at every stage, so they would only
dilute the mean. Per unit: mean inflation, count of inflated indicators, and a credibility
rank (least inflated first, "1224" ties; units with no self-scores rank last).
The test is written once (assessed, self_inflation) and applied both to the long frame the
pages read (inflation_table) and to the scoring arrays (inflated_counts).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import EPS, NOISE_DECIMALS, STAGES, competition_ranks
from evalcore.scoring.reconcile import IndicatorGrid

INFLATION_COLUMNS = [
    "unit_code",
    "indicator_code",
    "dimension_code",
    "max_points",
    "self",
    "verified_points",
    "inflation",
    "inflated",
]


Values = TypeVar("Values", np.ndarray, pd.Series)


def assessed(self_points: Values, derived: Values) -> Values:
    """Which indicators the test looks at: hand-scored ones (not derived) with a self-score."""
    return ~np.isnan(self_points) & ~derived


def self_inflation(self_points: Values, verified_points: Values, max_points: Values,
                   rubric: Rubric) -> tuple[Values, Values]:
    """The inflation test, for arrays (broadcasting) or Series alike: (inflation, inflated),
    inflation = (self − verified) / max, inflated when it exceeds the rubric's threshold.
    A missing self-score gives NaN inflation, never inflated."""
    threshold = rubric.credibility.inflation_threshold
    with np.errstate(invalid="ignore"):
        inflation = (self_points - verified_points) / max_points
        # EPS: (4 − 3.4) / 4 is 0.15000000000000002 in floats and must not count as above 0.15.
        return inflation, inflation > threshold + EPS


def inflation_table(indicators: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Per unit and self-scored manual indicator: inflation and the inflated flag."""
    rows = indicators.loc[assessed(indicators["self"], indicators["derived"])]
    rows = rows.rename(columns={"points": "verified_points"})
    inflation, inflated = self_inflation(rows["self"], rows["verified_points"],
                                         rows["max_points"], rubric)
    rows = rows.assign(inflation=inflation, inflated=inflated)
    return rows[INFLATION_COLUMNS].reset_index(drop=True)


def credibility_summary(table: pd.DataFrame, unit_codes: pd.Index) -> pd.DataFrame:
    """Per unit: assessed indicators, mean inflation, inflated count, credibility rank."""
    grouped = table.groupby("unit_code")
    out = pd.DataFrame(
        {
            "assessed": grouped.size(),
            "mean_inflation": grouped["inflation"].mean(),
            "inflated_count": grouped["inflated"].sum(),
        }
    ).reindex(pd.Index(unit_codes, name="unit_code"))
    out[["assessed", "inflated_count"]] = out[["assessed", "inflated_count"]].fillna(0).astype(int)
    # A share, not a total shown with two decimals: only float noise is rounded away.
    out["credibility_rank"] = competition_ranks(out["mean_inflation"], ascending=True,
                                                decimals=NOISE_DECIMALS)
    out = out.reset_index()
    order = ["credibility_rank", "inflated_count", "unit_code"]
    return out.sort_values(order, kind="stable").reset_index(drop=True)


def inflated_counts(grid: IndicatorGrid, rubric: Rubric) -> np.ndarray:
    """Per unit of the grid: how many hand-scored indicators are inflated (as inflation_table
    counts them, on the arrays)."""
    own = grid.stages[:, :, STAGES.index("self")]
    looked_at = assessed(own, grid.meta["derived"].to_numpy(dtype=bool))
    _, inflated = self_inflation(own, grid.points, grid.meta["max_points"].to_numpy(dtype=float),
                                 rubric)
    return (looked_at & inflated).sum(axis=1)


def inflated_units(grid: IndicatorGrid, rubric: Rubric) -> pd.Index:
    """Units with at least `min_inflated` inflated indicators (they lose credibility points)."""
    hit = inflated_counts(grid, rubric) >= rubric.credibility.min_inflated
    return pd.Index(sorted(grid.unit_codes[hit]), name="unit_code", dtype=object)
