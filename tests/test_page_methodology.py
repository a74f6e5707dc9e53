"""Methodology page: the rubric as rendered, inspection groups, live what-if, rank intervals."""

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

DEFAULTS = {"A": 20.0, "B": 15.0, "C": 35.0, "D": 10.0, "E": 20.0}


def tables_with(at, *columns: str) -> list:
    """Frames of the dataframes and static tables that have all these columns."""
    frames = [d.value for d in at.dataframe] + [t.value for t in at.table]
    return [f for f in frames if set(columns) <= set(f.columns)]


def engine_what_if(db, weights: dict[str, float], level: str = "city") -> list[str]:
    with Store(db) as store:
        return scoring.what_if(load_round_inputs(store, 2022), weights, level)["unit_name"].tolist()


@pytest.fixture
def page(demo_db_path, monkeypatch):
    return open_page(demo_db_path, monkeypatch, "methodology", round="2022")


def test_rubric_lists_all_23_indicators_worth_100(page) -> None:
    indicators = tables_with(page, "代码", "指标", "满分", "核验阶段", "评分规则")
    assert len(indicators) == 5
    codes = [c for table in indicators for c in table["代码"]]
    assert len(codes) == 23 == len(set(codes))
    assert sum(table["满分"].sum() for table in indicators) == 100
    assert "C1" in codes and "E5" in codes
    assert any("非官方" in i.value for i in page.info)  # the constructed-rubric note


def test_bonus_deductions_and_grades_are_shown(page) -> None:
    assert len(tables_with(page, "分组上限")[0]) == 8
    assert tables_with(page, "最少扣分")[0]["代码"].tolist() == ["P1", "SC"]
    assert tables_with(page, "分数区间")[0]["等次"].tolist() == ["优秀", "良好", "合格", "不合格"]


def test_inspection_groups_never_inspect_their_own_city(page) -> None:
    groups = tables_with(page, "组别", "带队城市", "检查城市")[0]
    assert len(groups) == 11
    assert (groups["带队城市"] != groups["检查城市"]).all()
    assert set(groups["检查城市"]) == set(groups["带队城市"])  # every city inspected once
    assert set(groups["检查本市"]) == {"否 ✅"}


def test_moving_a_weight_reorders_as_the_engine_predicts(page, demo_db_path) -> None:
    whatif = tables_with(page, "新排名", "原排名")
    assert whatif[0]["单位"].tolist() == engine_what_if(demo_db_path, DEFAULTS)
    page.slider(key="methodology.w.C").set_value(0.0).run()
    moved = tables_with(page, "新排名", "原排名")[0]
    expected = engine_what_if(demo_db_path, {**DEFAULTS, "C": 0.0})
    assert moved["单位"].tolist() == expected
    assert expected != engine_what_if(demo_db_path, DEFAULTS)  # the order really changed
    assert (moved["变化"] != "—").any()


def test_reset_restores_the_rubric_weights(page, demo_db_path) -> None:
    page.slider(key="methodology.w.A").set_value(50.0).run()
    page.button(key="methodology.reset").click().run()
    assert page.slider(key="methodology.w.A").value == 20.0
    table = tables_with(page, "新排名", "原排名")[0]
    assert (table["新排名"] == table["原排名"]).all()


def test_rank_intervals_chart_and_table(page) -> None:
    table = tables_with(page, "名次区间(90%)", "与之并列")[0]
    assert len(table) == 11 and table["排名"].is_monotonic_increasing
    spec = next(s for s in plotly_specs(page) if "名次区间" in s["layout"]["title"]["text"])
    ranks = next(trace for trace in spec["data"] if trace.get("name") == "排名")
    assert len(ranks["y"]) == 11 and ranks["y"][0] == table["单位"].iloc[0]
    bars = next(trace for trace in spec["data"] if trace["type"] == "bar")
    assert bars["y"] == ranks["y"] and bars["orientation"] == "h"


def test_counties_within_a_city(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "methodology", round="2022", level="county",
                   within="330100")
    assert len(tables_with(at, "新排名", "原排名")[0]) == 13
    assert len(tables_with(at, "名次区间(90%)")[0]) == 13


def test_language_switch_changes_labels(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "methodology", round="2022", lang="en")
    assert at.title[0].value.endswith("Methodology")
    table = tables_with(at, "Code", "Indicator", "Max", "Verified by")[0]
    assert table["Indicator"].iloc[0] == "Leading group / task force"
    assert tables_with(at, "New rank", "Base rank")


def test_what_if_weights_live_in_the_url(demo_db_path, monkeypatch) -> None:
    from evalcore import scoring
    from evalcore.db import Store
    from evalcore.rounds import load_round_inputs

    at = open_page(demo_db_path, monkeypatch, "methodology", round="2022", w="0,0,70,0,0")
    assert at.query_params["w"] == "0,0,70,0,0"
    with Store(demo_db_path) as store:
        expected = scoring.what_if(load_round_inputs(store, 2022), {"A": 0, "B": 0, "C": 70,
                                                                    "D": 0, "E": 0}, "city")
    shown = next(df.value for df in at.dataframe if len(df.value) == 11)
    assert shown.iloc[0, :].astype(str).str.contains(expected.iloc[0]["unit_name"]).any()


def test_invalid_weights_in_the_url_are_ignored(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "methodology", round="2022", w="1,2,x")
    assert at.query_params["w"] == "20,15,35,10,20"


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_see_their_own_units_of_the_draft_round(demo_db_path, monkeypatch,
                                                                     role, codes, level) -> None:
    at = open_restricted(demo_db_path, monkeypatch, "methodology", role, codes, level)
    assert_own_units_only(at, own_units(demo_db_path, role, codes, level))
