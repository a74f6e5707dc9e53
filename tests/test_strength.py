"""Action and investment strength (evalcore.strength) on a hand-made plan, with expectations
worked out by hand, then against the demo database through the Reader."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalcore import strength
from evalcore.access import PUBLIC
from evalcore.reader import Reader
from evalcore.schema import FUNDING_SOURCES

REGIONS = pd.DataFrame({
    "code": ["330000", "330100", "330102", "330105", "330200", "330203"],
    "name": ["浙江省", "杭州市", "上城区", "拱墅区", "宁波市", "海曙区"],
    "level": ["province", "city", "county", "county", "city", "county"],
    "parent_code": [None, "330000", "330100", "330100", "330000", "330200"],
})


def community(county: str, year: int, households: int, investment: float,
              **funds: float) -> dict:
    row = {"county_code": county, "batch_year": year, "households": households,
           "planned_investment_wan": investment}
    return row | {f"fund_{s}_wan": funds.get(s, 0.0) for s in FUNDING_SOURCES}


COMMUNITIES = pd.DataFrame([
    # 上城: 2 communities, 300 households, 1,500 万元; funds 1,000 of which local 400,
    # social 100, residents 50.
    community("330102", 2022, 100, 500.0, central=300, local_fiscal=150, residents=50),
    community("330102", 2022, 200, 1000.0, local_fiscal=250, social_capital=100, central=150),
    # 拱墅: 1 community, 400 households, 1,000 万元; funds 800 of which local 200, social 200.
    community("330105", 2022, 400, 1000.0, local_fiscal=200, social_capital=200, central=400),
    # another year's plan: never counted in 2022
    community("330105", 2021, 999, 9999.0, local_fiscal=9999),
])

PROGRESS = pd.DataFrame({
    "unit_code": ["330000", "330100", "330200", "330102", "330105", "330203"],
    "name": ["浙江省", "杭州市", "宁波市", "上城区", "拱墅区", "海曙区"],
    "level": ["province", "city", "city", "county", "county", "county"],
    "parent_code": [None, "330000", "330000", "330100", "330100", "330200"],
    "started": [3.0, 3.0, 0.0, 2.0, 1.0, 0.0],
    "started_target": [4.0, 4.0, float("nan"), 2.0, 2.0, float("nan")],
    "completed": [1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
    "completed_target": [2.0, 2.0, 0.0, 1.0, 1.0, 0.0],
})


def by_unit(level: str) -> pd.DataFrame:
    return strength.strength(COMMUNITIES, PROGRESS, REGIONS, 2022, level).set_index("unit_code")


@pytest.mark.parametrize(("unit", "level", "expected"), [
    ("330102", "county", {"communities": 2, "households": 300, "investment_wan": 1500,
                          "investment_per_household_yuan": 50_000,
                          "investment_per_community_wan": 750, "local_fiscal_share": 0.4,
                          "social_resident_share": 0.15, "start_rate": 1.0,
                          "completion_rate": 1.0}),
    ("330105", "county", {"communities": 1, "households": 400, "investment_wan": 1000,
                          "investment_per_household_yuan": 25_000,
                          "investment_per_community_wan": 1000, "local_fiscal_share": 0.25,
                          "social_resident_share": 0.25, "start_rate": 0.5,
                          "completion_rate": 0.0}),
    # 杭州 = 上城 + 拱墅: 2,500 万元 over 700 households and 3 communities; funds 1,800,
    # local 600, social and residents 350.
    ("330100", "city", {"communities": 3, "households": 700, "investment_wan": 2500,
                        "investment_per_household_yuan": 2500 * 10_000 / 700,
                        "investment_per_community_wan": 2500 / 3,
                        "local_fiscal_share": 600 / 1800, "social_resident_share": 350 / 1800,
                        "start_rate": 0.75, "completion_rate": 0.5}),
])
def test_strength_by_hand(unit: str, level: str, expected: dict) -> None:
    row = by_unit(level).loc[unit]
    for column, value in expected.items():
        assert row[column] == pytest.approx(value), column


def test_no_plan_and_no_target_stay_missing() -> None:
    """宁波 has no 2022 plan and no published start target: ratios are NaN, not 0."""
    row = by_unit("city").loc["330200"]
    assert row["communities"] == 0
    for column in ("investment_per_household_yuan", "local_fiscal_share", "start_rate",
                   "completion_rate"):
        assert math.isnan(row[column]), column


def test_one_row_per_unit_in_code_order() -> None:
    assert list(by_unit("county").index) == ["330102", "330105", "330203"]
    assert list(by_unit("city").index) == ["330100", "330200"]


def test_ranks_ties_and_missing() -> None:
    ranks = strength.strength_ranks(by_unit("county").reset_index()).set_index("unit_code")
    assert ranks.loc["330102", "local_fiscal_share"] == 1
    assert ranks.loc["330105", "social_resident_share"] == 1
    assert pd.isna(ranks.loc["330203", "start_rate"])


def test_demo_cities_add_up_to_their_counties(demo_store) -> None:
    """Through the Reader for the public: a city's plan is the sum of its counties'."""
    reader = Reader(demo_store, PUBLIC)
    cities = reader.strength(2022, "city").set_index("unit_code")
    counties = reader.strength(2022, "county")
    summed = counties.groupby("parent_code")[["communities", "households", "investment_wan"]].sum()
    pd.testing.assert_frame_equal(cities[summed.columns].sort_index(), summed.sort_index(),
                                  check_names=False)
    assert len(cities) == 11 and len(counties) == 90
    assert cities["local_fiscal_share"].between(0, 1).all()


def test_public_sees_no_draft_round_plan(demo_store) -> None:
    """The draft round's plan communities are not the public's: its strength is empty."""
    draft = int(Reader(demo_store, PUBLIC).store.rounds().query("not published")["year"].max())
    table = Reader(demo_store, PUBLIC).strength(draft, "city")
    assert (table["communities"] == 0).all()
