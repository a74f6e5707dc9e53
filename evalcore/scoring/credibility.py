"""Self-evaluation credibility: how far each unit's self-scores exceed the verified scores.

Rule: inflation = (self − verified) / max per unit and hand-scored indicator that has a
self-score; an indicator is inflated when inflation > rubric.credibility.inflation_threshold.
Derived indicators are left out: they are identical at every stage, so they would only
dilute the mean. Per unit: mean inflation, count of inflated indicators, and a credibility
rank (least inflated first, "1224" ties; units with no self-scores rank last).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.common import EPS, STAGES, competition_ranks
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


def inflation_table(indicators: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """Per unit and self-scored manual indicator: inflation and the inflated flag."""
    rows = indicators.loc[~indicators["derived"] & indicators["self"].notna()]
    rows = rows.rename(columns={"points": "verified_points"})
    inflation = (rows["self"] - rows["verified_points"]) / rows["max_points"]
    threshold = rubric.credibility.inflation_threshold
    # EPS: (4 − 3.4) / 4 is 0.15000000000000002 in floats and must not count as above 0.15.
    rows = rows.assign(inflation=inflation, inflated=inflation > threshold + EPS)
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
    out["credibility_rank"] = competition_ranks(out["mean_inflation"], ascending=True)
    out = out.reset_index()
    order = ["credibility_rank", "inflated_count", "unit_code"]
    return out.sort_values(order, kind="stable").reset_index(drop=True)


def inflated_counts(grid: IndicatorGrid, rubric: Rubric) -> np.ndarray:
    """Per unit of the grid: how many hand-scored indicators are inflated (as inflation_table
    counts them, on the arrays)."""
    own = grid.stages[:, :, STAGES.index("self")]
    assessed = ~np.isnan(own) & ~grid.meta["derived"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        inflation = (own - grid.points) / grid.meta["max_points"].to_numpy(dtype=float)
        inflated = assessed & (inflation > rubric.credibility.inflation_threshold + EPS)
    return inflated.sum(axis=1)


def inflated_units(grid: IndicatorGrid, rubric: Rubric) -> pd.Index:
    """Units with at least `min_inflated` inflated indicators (they lose credibility points)."""
    hit = inflated_counts(grid, rubric) >= rubric.credibility.min_inflated
    return pd.Index(sorted(grid.unit_codes[hit]), name="unit_code", dtype=object)
