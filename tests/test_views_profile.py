"""Unit profile view model: the unit's slices, stage table, strengths, bonus, deductions."""

from __future__ import annotations

import pandas as pd
import pytest

from evalcore import scoring
from evalcore.db import Store
from evalcore.reader import HISTORY_COLUMNS
from evalcore.rounds import load_round_inputs
from evalcore.views import profile as pv


def build_profile(store: Store, year: int, code: str) -> pv.ProfileData:
    """What ui.profile_data assembles, from the engine directly (no Streamlit)."""
    regions = store.regions()
    row = regions.set_index("code").loc[code]
    level = str(row["level"])
    rounds = sorted(int(y) for y in store.rounds()["year"])
    inputs = {y: load_round_inputs(store, y) for y in rounds}
    previous = scoring.leaderboard(inputs[year - 1], level) if year - 1 in inputs else None
    peers = {s: scoring.leaderboard(inputs[year], level, s) for s in pv.STAGE_VIEWS}
    peers["final"] = scoring.leaderboard(inputs[year], level, previous=previous)
    history = pd.concat([
        scoring.leaderboard(inputs[y], level)[HISTORY_COLUMNS]
        .assign(year=y, rubric_version=inputs[y].rubric.id) for y in rounds])
    frames = {
        "indicators": scoring.indicator_table(inputs[year], level),
        "bonus": scoring.bonus_report(inputs[year], level),
        "claims": inputs[year].bonus_claims,
        "deductions": scoring.deduction_report(inputs[year], level),
        "reasons": store.deductions(year),
        "history": history,
        "communities": store.communities(),
    }
    city = (scoring.leaderboard(inputs[year], level, within=row["parent_code"])
            if level == "county" else None)
    return pv.assemble(code, year, inputs[year].rubric, regions, peers, frames, city)


@pytest.fixture(scope="module")
def xihu(demo_store) -> pv.ProfileData:
    return build_profile(demo_store, 2022, "330106")


@pytest.fixture(scope="module")
def hangzhou(demo_store) -> pv.ProfileData:
    return build_profile(demo_store, 2022, "330100")


def test_unit_options_put_each_city_before_its_counties(demo_store) -> None:
    regions = demo_store.regions()
    options = pv.unit_options(regions)
    assert len(options) == 101  # 11 cities + 90 county-level units
    assert options[:2] == ["330100", "330102"]
    parents = regions.set_index("code")["parent_code"]
    for i, code in enumerate(options):
        if parents[code] != "330000":
            assert parents[code] in options[:i]


@pytest.mark.parametrize(
    ("code", "lang", "label"),
    [("330106", "zh", "西湖区（杭州市）"), ("330100", "zh", "杭州市"),
     ("330106", "en", "西湖区 · 杭州市 · 330106"), ("330100", "en", "杭州市 · 330100")],
)
def test_unit_labels(demo_store, code, lang, label) -> None:
    assert pv.unit_labels(demo_store.regions(), lang)[code] == label


@pytest.mark.parametrize(("level", "first"), [("city", "330100"), ("county", "330102")])
def test_default_unit_is_the_first_of_the_level(demo_store, level, first) -> None:
    assert pv.default_unit(demo_store.regions(), level) == first


def test_headline_matches_the_engine(xihu, demo_store) -> None:
    board = scoring.leaderboard(load_round_inputs(demo_store, 2022), "county")
    own = board.set_index("unit_code").loc["330106"]
    head = pv.headline(xihu)
    assert (head.rank, head.peers) == (int(own["rank"]), 90)
    assert head.total == round(float(own["total"]), 2)
    assert xihu.city_rank is not None and xihu.city_rank[1] == 13


@pytest.mark.parametrize(
    ("rank_change", "total_change", "lang", "text"),
    [(None, None, "zh", "无上一年度可比"), (2, 1.5, "zh", "名次▲2，总分+1.50"),
     (-1, -0.25, "en", "rank ▼1, total -0.25"), (0, 0.0, "zh", "名次持平，总分+0.00"),
     (0, 0.5, "en", "rank unchanged, total +0.50")],
)
def test_change_text(rank_change, total_change, lang, text) -> None:
    head = pv.Headline(90.0, 3, 11, "good", False, rank_change, total_change)
    assert pv.change_text(head, lang) == text


def test_stage_table_columns_are_the_engine_views(xihu) -> None:
    table = pv.stage_table(xihu, "zh")
    assert list(table.columns) == ["项目", "满分", "市县自评", "交叉互查", "第三方评价", "最终得分"]
    assert len(table) == 5 + 3  # dimensions, bonus, deductions, total
    final = xihu.row("final")
    assert table["最终得分"].iloc[-1] == round(float(final["total"]), 2)
    assert table["满分"].iloc[:5].sum() == 100
    deductions = table.iloc[-2, 2:]
    assert (deductions <= 0).all() and "-0.0" not in deductions.astype(str).tolist()


def test_stage_points_long_form(xihu) -> None:
    points = pv.stage_points(xihu)
    assert len(points) == 5 * 4
    final = points.query("stage == 'final'").set_index("dimension_code")["points"]
    assert final["C"] == pytest.approx(float(xihu.row("final")["C"]))


def test_strengths_and_weaknesses_are_farthest_from_the_median(xihu) -> None:
    strengths, weaknesses = pv.strengths_weaknesses(xihu, "zh")
    gaps = pv.indicator_gaps(xihu)
    top = gaps.sort_values("share", ascending=False).iloc[0]
    assert 1 <= len(strengths) <= 3 and 1 <= len(weaknesses) <= 3
    assert strengths[0].startswith(str(top["indicator_code"]))
    assert all("高" in s for s in strengths if "中位数" in s)


def test_strengths_say_so_when_there_is_none(xihu) -> None:
    level = xihu.indicators.assign(points=xihu.indicators["max_points"] / 2)
    flat = pv.ProfileData(**{**xihu.__dict__, "indicators": level})
    assert pv.strengths_weaknesses(flat, "en") == (
        ["No indicator is above the peer median."], ["No indicator is below the peer median."])


def test_bonus_table_has_every_category(xihu) -> None:
    table = pv.bonus_table(xihu, "en")
    assert len(table) == len(xihu.rubric.bonus.categories)
    assert table["Claimed"].sum() >= table["Awarded"].sum()


def test_case_table_pairs_claim_with_verdict(xihu) -> None:
    table = pv.case_table(xihu, "zh")
    assert len(table) == (xihu.cases["stage"] == "self").sum()
    assert table["案例"].notna().all()


def test_deductions_carry_their_recorded_reason(demo_store) -> None:
    recorded = demo_store.deductions(2022)
    recorded = recorded[recorded["unit_code"].str[4:] != "00"]  # a county's
    code = recorded["unit_code"].iloc[0]
    table = pv.deduction_table(build_profile(demo_store, 2022, code), "zh")
    reasons = recorded.loc[recorded["unit_code"] == code, "reason"]
    assert set(reasons) <= set(table["原因"])


def test_deductions_with_reasons_matches_nth_rows() -> None:
    rows = pd.DataFrame({"unit_code": ["u", "u", "u"], "code": ["P1", "P1", "SC"],
                         "points": [1.0, 2.0, 2.0], "veto": [False] * 3,
                         "automatic": [False, False, True]})
    recorded = pd.DataFrame({"unit_code": ["u", "u", "v"], "code": ["P1", "P1", "P1"],
                             "reason": ["first", "second", "other unit"]})
    out = pv.deductions_with_reasons(rows, recorded, "u")
    assert out["reason"].tolist()[:2] == ["first", "second"]
    assert pd.isna(out["reason"].iloc[2])


def test_veto_is_spelled_out(demo_store) -> None:
    data = build_profile(demo_store, 2021, "331181")
    assert "发生重大安全事故" in pv.veto_text(data, "zh")
    table = pv.deduction_table(data, "zh")
    assert (table["一票否决"] == "⛔").any()
    assert pv.headline(data).grade == data.rubric.lowest_grade().code


def test_history_stops_at_the_round_shown(demo_store) -> None:
    data = build_profile(demo_store, 2021, "330100")
    assert data.history["year"].max() == 2021
    table = pv.history_table(data, "zh", drafts={2023})
    assert table["年度"].tolist() == ["2020", "2021"]


def test_history_marks_draft_rounds(hangzhou) -> None:
    table = pv.history_table(hangzhou, "en", drafts={2022}, badge=False)
    assert table["Year"].iloc[-1] == "2022 · draft (unpublished)"
    assert table["Grade"].iloc[-1] in {g.name_en for g in hangzhou.rubric.grades}


@pytest.mark.parametrize("code", ["330100", "330106"])
def test_communities_of_a_city_or_county(demo_store, code) -> None:
    data = build_profile(demo_store, 2022, code)
    c = demo_store.communities()
    expected = c["county_code"].str.startswith(code[:4]) if code.endswith("00") else (
        c["county_code"] == code)
    assert len(pv.community_table(data, demo_store.regions(), "zh")) == expected.sum()
    summary = pv.community_summary(data, "zh")
    assert summary["小区数"].sum() == expected.sum()
