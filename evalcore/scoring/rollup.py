"""County → city roll-up: a city's score as the household-weighted mean of its counties.

Rule: for each city, every score column (dimension subtotals, base, bonus, bonus_claimed,
deductions, total) is the mean of its counties' values weighted by `households` (households
in renovated communities). A city whose counties all have 0 or missing households falls back
to the plain mean, so it is not dropped. The city's own deduction rows do not apply (its score
is its counties'), except vetoes: the rolled-up city is vetoed when any of its counties is
vetoed or the city itself has a veto row, since a serious accident in a county happened in the
city. `credibility_deducted` is set when any county lost credibility points. Rank and grade are
then recomputed among the cities. This sits beside direct city evaluation;
rubric.rollup.city_method says which one the city leaderboard shows by default.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric
from evalcore.scoring.totals import dimension_codes, rank_and_grade

COUNT_COLUMNS = ["unverified_count", "no_data_count"]


def value_columns(rubric: Rubric) -> list[str]:
    """The columns averaged by the roll-up."""
    return [*dimension_codes(rubric), "base", "bonus", "bonus_claimed", "deductions", "total"]


def county_weights(counties: pd.DataFrame) -> pd.Series:
    """Households per county; a city with no positive households weighs its counties equally."""
    weights = counties["households"].astype(float).fillna(0.0).clip(lower=0.0)
    city_sum = weights.groupby(counties["parent_code"]).transform("sum")
    return weights.where(city_sum > 0, 1.0)


def rollup_cities(
    county_board: pd.DataFrame,
    units: pd.DataFrame,
    rubric: Rubric,
    city_vetoed: pd.Index | None = None,
) -> pd.DataFrame:
    """City leaderboard rows (unranked input → ranked, graded output) from county rows."""
    info = units.set_index("unit_code")
    counties = county_board.assign(
        parent_code=county_board["unit_code"].map(info["parent_code"]),
        households=county_board["unit_code"].map(info["households"]),
    )
    weights = county_weights(counties)
    columns = value_columns(rubric)
    weighted = counties[columns].mul(weights, axis=0).groupby(counties["parent_code"]).sum()
    out = weighted.div(weights.groupby(counties["parent_code"]).sum(), axis=0)
    grouped = counties.groupby("parent_code")
    out[COUNT_COLUMNS] = grouped[COUNT_COLUMNS].sum()
    out["vetoed"] = grouped["vetoed"].any() | out.index.isin(
        [] if city_vetoed is None else city_vetoed
    )
    out["credibility_deducted"] = grouped["credibility_deducted"].any()
    out["counties"] = grouped.size()
    out["households"] = grouped["households"].sum(min_count=1)
    return rank_and_grade(_with_city_info(out, units), rubric)


def _with_city_info(out: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Name the rows after the cities (cities absent from `units` are dropped)."""
    cities = units.loc[units["level"] == "city"].set_index("unit_code")
    out = out.loc[out.index.isin(cities.index)]
    out.index.name = "unit_code"
    out = out.reset_index()
    for column in ("unit_name", "short_name", "parent_code"):
        if column in cities:
            out[column] = out["unit_code"].map(cities[column])
    out[["vetoed", "credibility_deducted"]] = out[["vetoed", "credibility_deducted"]].astype(bool)
    out[COUNT_COLUMNS] = out[COUNT_COLUMNS].astype(np.int64)
    return out
