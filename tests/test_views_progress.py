"""Progress view models on a hand-made province: two cities, three counties, seven communities.

Expected numbers are counted by hand from the table below (round year 2022, as of 31 Dec).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalcore.views import progress as P

NaT = None
COMMUNITY_COLUMNS = ["id", "name", "county_code", "batch_year", "status", "start_date",
                     "completion_date", "households", "planned_investment_wan",
                     "completed_investment_wan", "lon", "lat"]
COMMUNITIES = [
    # 1: 2021 plan, done in 2022, accepted            2: 2022 plan, started
    ("c1", "一村", "330102", 2021, "accepted", "2021-03-01", "2022-05-01", 100, 10, 9, 120.1, 30.1),
    ("c2", "二村", "330102", 2022, "started", "2022-04-01", NaT, 210, 20, 5, 120.2, 30.2),
    # 3: 2022 plan, done within 2022 (not accepted)   4: 2022 plan, started only in 2023
    ("c3", "三村", "330105", 2022, "completed", "2022-02-01", "2022-11-30", 50, 8, 8, 120.3, 30.3),
    ("c4", "四村", "330105", 2022, "started", "2023-01-15", NaT, 70, 6, 1, 120.4, 30.4),
    # 5: 2021 plan, done only in 2023                 6: 2022 plan, not started
    ("c5", "五村", "330203", 2021, "completed", "2021-06-01", "2023-03-01", 30, 4, 4, 121.1, 29.1),
    ("c6", "六村", "330203", 2022, "planned", NaT, NaT, 40, 6, 0, 121.2, 29.2),
    # 7: 2021 plan, done in 2021, accepted
    ("c7", "七村", "330203", 2021, "accepted", "2021-05-01", "2021-12-01", 60, 7, 7, 121.3, 29.3),
]
REGIONS = pd.DataFrame({
    "code": ["330000", "330100", "330102", "330105", "330200", "330203"],
    "name": ["省", "甲市", "甲一区", "甲二区", "乙市", "乙一区"],
    "level": ["province", "city", "county", "county", "city", "county"],
    "parent_code": [None, "330000", "330100", "330100", "330000", "330200"],
})
NAN = float("nan")
TARGETS = pd.DataFrame(
    [(2021, "330000", 4, 200, 30.0), (2021, "330100", 1, 100, 10.0), (2021, "330200", 3, 100, 20.0),
     (2022, "330000", 5, None, 50.0), (2022, "330100", 3, None, 30.0),
     (2022, "330200", 2, None, 20.0)],
    columns=["year", "unit_code", "communities", "households", "investment_wan"],
).astype({"households": "Int32"})


@pytest.fixture
def communities() -> pd.DataFrame:
    frame = pd.DataFrame(COMMUNITIES, columns=COMMUNITY_COLUMNS)
    for col in ("start_date", "completion_date"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("unit_code").loc[code]


def test_status_on_31_december(communities) -> None:
    status = P.status_as_of(communities, 2022)
    assert status.tolist() == ["accepted", "started", "completed", "planned", "started",
                               "planned", "accepted"]


@pytest.mark.parametrize(("code", "expected"), [
    # started, completed, accepted, households, planned inv., completed inv.
    ("330000", (2, 2, 2, 260, 40, 14)),
    ("330100", (2, 1, 1, 260, 34, 14)),
    ("330200", (0, 1, 1, 0, 6, 0)),
    ("330105", (1, 0, 0, 50, 14, 9)),
])
def test_year_measures(communities, code, expected) -> None:
    progress = P.unit_progress(communities, TARGETS, REGIONS, 2022)
    assert tuple(row(progress, code)[list(P.COUNTS)]) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("330000", (5, 3, 2, 450, 61, 34)),
    ("330200", (2, 1, 1, 90, 17, 11)),
])
def test_cumulative_measures(communities, code, expected) -> None:
    progress = P.unit_progress(communities, TARGETS, REGIONS, 2022, cumulative=True)
    assert tuple(row(progress, code)[list(P.COUNTS)]) == expected


def test_targets_of_the_year_and_cumulative(communities) -> None:
    year = row(P.unit_progress(communities, TARGETS, REGIONS, 2022), "330000")
    assert (year["started_target"], year["completed_target"]) == (5, 4)
    assert math.isnan(year["households_target"])  # 2022 households never published
    assert year["investment_target_wan"] == 50
    cum = row(P.unit_progress(communities, TARGETS, REGIONS, 2022, cumulative=True), "330000")
    assert cum["started_target"] == 9 and cum["investment_target_wan"] == 80
    assert math.isnan(cum["households_target"]) and math.isnan(cum["completed_target"])


@pytest.mark.parametrize(("years", "column", "expected"), [
    ([2021], "households", 200.0),
    ([2021, 2022], "communities", 9.0),
    ([2021, 2022], "households", NAN),  # one unpublished year: no sum, not a partial one
    ([2020], "communities", NAN),  # no plan at all
])
def test_target_sum(years, column, expected) -> None:
    got = P.target_sum(TARGETS, years, column).reindex(["330000"]).iloc[0]
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


def test_trend_has_no_completions_before_the_first_plan(communities) -> None:
    trend = P.trend(communities, TARGETS, REGIONS, [2021, 2022])
    assert trend["year"].tolist() == [2021, 2022]
    assert trend["started"].tolist() == [3, 2]
    assert math.isnan(trend.loc[0, "completed"]) and trend.loc[1, "completed"] == 2
    assert trend["started_target"].tolist() == [4, 5]


def test_headline_cards_zh(communities) -> None:
    province = P.province_row(P.unit_progress(communities, TARGETS, REGIONS, 2022))
    cards = P.headline_cards(province, 2022, "zh")
    started, completed, accepted, households, planned, done = cards
    assert (started.label, started.value, started.delta) == ("开工小区", "2个", "-3个")
    assert started.delta_description == "较目标 5个"
    assert "2022年计划" in started.help
    assert (completed.value, completed.delta, completed.delta_description) == \
        ("2个", "-2个", "较目标 4个")
    assert "2021年计划" in completed.help
    assert accepted.delta is None
    assert households.value == "260户" and households.delta is None
    assert "目标未公布" in households.help
    assert (planned.value, planned.delta) == ("40万元", "-10万元")
    assert (done.delta, done.delta_description) == ("-26万元", "较计划投资 40万元")


def test_headline_cards_en_cumulative(communities) -> None:
    progress = P.unit_progress(communities, TARGETS, REGIONS, 2022, cumulative=True)
    cards = P.headline_cards(P.province_row(progress), 2022, "en", cumulative=True,
                             first_year=2021)
    assert [c.label for c in cards[:2]] == ["Communities started", "Communities completed"]
    assert (cards[0].value, cards[0].delta, cards[0].delta_description) == \
        ("5", "-4", "vs target 9")
    assert cards[1].delta is None and "not published" not in cards[1].help
    assert cards[3].value == "450"
    assert "2021–2022" in cards[0].help


@pytest.mark.parametrize(("fmt", "diff", "lang", "expected"), [
    (P.fmt_communities, -3, "zh", "-3个"),
    (P.fmt_communities, 0, "en", "+0"),
    (P.fmt_households_short, 12_000, "zh", "+1.2万户"),
    (P.fmt_households_short, -2_948, "en", "-2,948"),
    (P.FORMATS["money"], 12_000, "zh", "+1.2亿元"),
])
def test_signed(fmt, diff, lang, expected) -> None:
    assert P.signed(fmt, diff, lang) == expected


def test_city_table_zh_leaves_out_unpublished_targets(communities) -> None:
    table = P.city_table(P.unit_progress(communities, TARGETS, REGIONS, 2022), "zh")
    assert table["设区市"].tolist() == ["甲市", "乙市"]
    assert table["开工"].tolist() == [2, 0]
    assert table["开工率%"].tolist() == [66.7, 0.0]
    assert table["完工率%"].tolist() == [100.0, pytest.approx(33.3)]
    assert table["户数(万户)"].tolist() == [0.03, 0.0]  # 260 households
    assert "户数目标(万户)" not in table.columns
    assert table["计划投资(亿元)"].tolist() == [0.0, 0.0]  # 34 and 6 万元: 0.0034, 0.0006 亿元


def test_city_table_en_plain_units(communities) -> None:
    table = P.city_table(P.unit_progress(communities, TARGETS, REGIONS, 2022), "en")
    assert table["Households"].tolist() == [260, 0]
    assert table["Planned inv. (¥ m)"].tolist() == [0.3, 0.1]  # 34 and 6 万元: ¥0.34, 0.06 m
    assert table["Start target"].tolist() == [3, 2]


def test_community_points_started_by_year_end(communities) -> None:
    points = P.community_points(communities, REGIONS, 2022, "zh")
    assert len(points) == 5  # c4 starts in 2023, c6 never
    assert points["status"].tolist() == ["accepted", "started", "completed", "started",
                                         "accepted"]
    assert points["city_code"].tolist() == ["330100", "330100", "330100", "330200", "330200"]
    assert points.loc[0, "colour"] == list(P.STATUS_COLOURS["accepted"])
    assert points.loc[0, "tip"] == "一村\n甲一区 · 2021年计划 · 已验收\n100户"
    english = P.community_points(communities, REGIONS, 2022, "en")
    assert english.loc[0, "tip"] == "一村\n甲一区 · 2021 plan · Accepted\n100 households"


def test_status_legend() -> None:
    # The maps' marker shapes: the legend reads without colour.
    assert P.status_legend("zh") == "▲ 已开工 · ■ 已完工 · ● 已验收"
    assert P.status_legend("en") == "▲ Started · ■ Completed · ● Accepted"
