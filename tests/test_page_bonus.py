"""Bonus page: the matrix equals the engine's bonus report; caps, cases and funding mix."""

from __future__ import annotations

import pytest

from evalcore import scoring
from evalcore.db import Store
from evalcore.rounds import load_round_inputs
from tests.pages_helper import (
    assert_own_units_only,
    open_page,
    open_restricted,
    own_units,
    plotly_specs,
    restricted_views,
)
from tests.test_page_criterion import values


def engine(db, year: int, level: str = "city", stage: str = "final"):
    with Store(db) as store:
        inputs = load_round_inputs(store, year)
        claims = store.bonus_claims(year)
        communities = store.communities()
        regions = store.regions()
    report = scoring.bonus_report(inputs, level, None, stage)
    board = scoring.leaderboard(inputs, level, stage)
    return inputs, report, board, claims, communities, regions


@pytest.mark.parametrize("value", ["claimed", "awarded", "rejected"])
def test_matrix_table_totals_equal_the_engine(demo_db_path, monkeypatch, value) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus", round="2022", bonus_view="table",
                   bonus_value=value)
    _, report, board, *_ = engine(demo_db_path, 2022)
    shown = at.dataframe[0].value
    assert len(shown) == 11
    assert shown["单位"].tolist() == board["unit_name"].tolist()
    sums = report.groupby("unit_code")[value].sum().reindex(board["unit_code"])
    assert shown["合计（封顶前）"].tolist() == pytest.approx(sums.tolist())
    total_cap = report.groupby("unit_code")["total_cap_reached"].any().reindex(board["unit_code"])
    assert (shown["达到总封顶"] == "■").tolist() == total_cap.tolist()
    assert shown["计入总分的加分"].tolist() == board["bonus"].round(2).tolist()
    per_category = report.groupby("category_code")[value].sum()
    assert shown["F1 引入社会资本"].sum() == pytest.approx(per_category["F1"])


def test_heatmap_cells_equal_the_engine(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus", round="2022", level="county")
    _, report, board, *_ = engine(demo_db_path, 2022, "county")
    heat = plotly_specs(at)[0]["data"][0]
    z = values(heat["z"])
    assert len(z) == 90 and len(z[0]) == 8
    assert sum(map(sum, z)) == pytest.approx(report["awarded"].sum())
    capped = set(report.loc[report["total_cap_reached"], "unit_code"])
    names = board.set_index("unit_code")["unit_name"]
    assert {y[:-2] for y in heat["y"] if y.endswith(" ■")} == {names[u] for u in capped}
    assert at.query_params["bonus_view"] == "heatmap"


def test_case_list_filtered_by_category(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus", round="2022", category="F1",
                   role="leader")  # review notes are for signed-in evaluators, not the public
    _, _, board, claims, *_ = engine(demo_db_path, 2022)
    cases = at.dataframe[0].value  # heatmap mode: the case list is the only table
    peers = claims.loc[claims["unit_code"].isin(board["unit_code"])
                       & (claims["category_code"] == "F1")]
    assert len(cases) == peers[["unit_code", "case_no"]].drop_duplicates().shape[0] > 0
    assert set(cases["加分类别"]) == {"F1 引入社会资本"}
    rejected = peers.loc[(peers["stage"] == "cross") & (peers["points_awarded"] == 0)]
    assert (cases["结果"] == "❌ 不予认定").sum() == len(rejected)
    assert set(cases["案例"]) == set(peers["case_title"])
    notes = cases.loc[cases["结果"] == "❌ 不予认定", "审核意见"]
    assert sorted(notes) == sorted(rejected["review_note"].fillna(""))
    assert at.selectbox(key="param.category").value == "F1"


def test_funding_mix_sums_the_round_batch(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus", round="2021")
    *_, communities, _ = engine(demo_db_path, 2021)
    funding = next(s for s in plotly_specs(at) if "资金来源构成" in s["layout"]["title"]["text"])
    assert len(funding["data"]) == 9  # central, provincial, local + six seed channels
    assert funding["data"][3]["name"] == "社会资本"
    shown = sum(sum(values(trace["x"])) for trace in funding["data"])
    batch = communities.loc[communities["batch_year"] == 2021]
    expected = batch.filter(like="fund_").to_numpy().sum() / 10_000  # 万元 → 亿元
    assert shown == pytest.approx(expected)
    assert "亿元" in funding["layout"]["xaxis"]["title"]["text"]


def test_language_switch_changes_labels(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus", round="2022", lang="en",
                   bonus_view="table")
    shown = at.dataframe[0].value
    assert {"Unit", "Sum (before caps)", "Total cap reached", "F1 Social capital"} <= set(
        shown.columns)
    assert at.title[0].value.endswith("Bonus points")
    funding = plotly_specs(at)[0]
    assert "¥ bn" in funding["layout"]["xaxis"]["title"]["text"]
    assert {"Result", "Case", "Review note"} <= set(at.dataframe[1].value.columns)


def test_invalid_view_in_url_falls_back_to_the_heatmap(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "bonus", round="2022", bonus_view="<script>",
                   category="ZZ")
    assert at.query_params["bonus_view"] == "heatmap"
    assert at.query_params["category"] == "all"
    assert len(plotly_specs(at)) == 2


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_see_their_own_units_of_the_draft_round(demo_db_path, monkeypatch,
                                                                     role, codes, level) -> None:
    at = open_restricted(demo_db_path, monkeypatch, "bonus", role, codes, level, bonus_view="table")
    assert_own_units_only(at, own_units(demo_db_path, role, codes, level))
