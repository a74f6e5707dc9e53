"""Action and investment strength (行动力度, 投入力度): the seed's 互比, normalised so that a
small county and a large city can be compared.

Over one round year's plan (the communities of batch `year`), per city or county:
investment per household and per community, the local fiscal share of the money raised
(local fiscal effort), the share raised from social capital and residents, and the start and
completion rates of views.progress.unit_progress. Pure functions over frames: the Reader
passes only the communities and progress the viewer may see.

Missing data: a unit with no plan communities has NaN ratios (shown "–"), never 0; a rate
whose target is unpublished or 0 is NaN.
"""

from __future__ import annotations

import pandas as pd

from evalcore.schema import FUNDING_SOURCES

FUND_COLUMNS = [f"fund_{s}_wan" for s in FUNDING_SOURCES]
MEASURES = ("investment_per_household_yuan", "investment_per_community_wan",
            "local_fiscal_share", "social_resident_share", "start_rate", "completion_rate")
COLUMNS = ["unit_code", "name", "parent_code", "communities", "households", "investment_wan",
           *MEASURES]


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0)


def plan_sums(communities: pd.DataFrame, regions: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per region code (counties, cities, province): communities, households, planned
    investment, funds in total and from local fiscal, social capital and residents, for the
    plan of `year`."""
    plan = communities[communities["batch_year"] == year]
    sums = pd.DataFrame({
        "communities": plan.groupby("county_code").size().astype(float),
        "households": plan.groupby("county_code")["households"].sum().astype(float),
        "investment_wan": plan.groupby("county_code")["planned_investment_wan"].sum(),
        "funds_wan": plan[FUND_COLUMNS].sum(axis=1).groupby(plan["county_code"]).sum(),
        "local_fiscal_wan": plan.groupby("county_code")["fund_local_fiscal_wan"].sum(),
        "social_resident_wan": (plan["fund_social_capital_wan"] + plan["fund_residents_wan"])
        .groupby(plan["county_code"]).sum(),
    })
    parent = regions.set_index("code")["parent_code"]
    city = sums.groupby(sums.index.map(parent)).sum()
    province = city.groupby(city.index.map(parent)).sum()
    return pd.concat([province, city, sums]).reindex(regions["code"]).fillna(0.0)


def strength(communities: pd.DataFrame, progress: pd.DataFrame, regions: pd.DataFrame,
             year: int, level: str) -> pd.DataFrame:
    """One row per unit of `level` ('city' or 'county'), in code order: COLUMNS.

    Shares and rates are fractions (0.42, not 42); investment per household in yuan, per
    community in 万元. `progress` is unit_progress(…, year) for the same viewer."""
    sums = plan_sums(communities, regions, year)
    units = progress[progress["level"] == level].set_index("unit_code").sort_index()
    s = sums.reindex(units.index)
    out = pd.DataFrame({
        "name": units["name"], "parent_code": units["parent_code"],
        "communities": s["communities"], "households": s["households"],
        "investment_wan": s["investment_wan"],
        "investment_per_household_yuan": 10_000 * _ratio(s["investment_wan"], s["households"]),
        "investment_per_community_wan": _ratio(s["investment_wan"], s["communities"]),
        "local_fiscal_share": _ratio(s["local_fiscal_wan"], s["funds_wan"]),
        "social_resident_share": _ratio(s["social_resident_wan"], s["funds_wan"]),
        "start_rate": _ratio(units["started"], units["started_target"]),
        "completion_rate": _ratio(units["completed"], units["completed_target"]),
    })
    return out.rename_axis("unit_code").reset_index()[COLUMNS]


def strength_ranks(table: pd.DataFrame) -> pd.DataFrame:
    """unit_code and, per measure, the unit's rank among its peers (1 = highest; ties share
    the best rank; NaN stays unranked)."""
    ranks = table[list(MEASURES)].rank(ascending=False, method="min")
    return pd.concat([table[["unit_code"]], ranks.astype("Int64")], axis=1)
