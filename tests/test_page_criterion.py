"""Criterion page: selectors from the rubric and the URL, numbers equal to the engine."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
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


def engine(db, year: int, level: str = "city"):
    with Store(db) as store:
        inputs = load_round_inputs(store, year)
    return inputs, scoring.indicator_table(inputs, level), scoring.leaderboard(inputs, level)


def values(data) -> list:
    """Plotly 7 sends numeric arrays as base64 typed arrays: decode them to a (nested) list."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        shape = data.get("shape")
        if shape:
            array = array.reshape([int(n) for n in str(shape).split(",")])
        return array.tolist()
    return data


def _specs_by_title(at) -> dict[str, dict]:
    return {s["layout"]["title"]["text"]: s for s in plotly_specs(at)}


def _spec(at, words: str) -> dict:
    return next(s for title, s in _specs_by_title(at).items() if words in title)


def test_table_equals_the_engine_for_the_chosen_indicator(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "criterion", round="2022", dim="C", indicator="C4")
    inputs, table, board = engine(demo_db_path, 2022)
    rows = table.loc[table["indicator_code"] == "C4"].set_index("unit_name")
    shown = at.dataframe[0].value
    assert len(shown) == 11
    assert shown["单位"].tolist() == board["unit_name"].tolist()  # rank order
    expected = rows.loc[shown["单位"]]
    for column, label in [("points", "最终得分"), ("self", "市县自评"), ("cross", "交叉互查"),
                          ("third_party", "第三方评价")]:
        assert shown[label].tolist() == expected[column].round(2).tolist(), column
    verified = ["✓" if v else "⚠ 未核验" for v in expected["verified"]]
    assert shown["核验"].tolist() == verified
    assert at.selectbox(key="param.dim").value == "C"
    assert at.selectbox(key="param.indicator").value == "C4"
    assert at.query_params["indicator"] == "C4"


@pytest.mark.parametrize(("level", "units"), [("city", 11), ("county", 90)])
def test_heatmap_has_every_unit_and_indicator(demo_db_path, monkeypatch, level, units) -> None:
    at = open_page(demo_db_path, monkeypatch, "criterion", round="2022", level=level)
    inputs, table, board = engine(demo_db_path, 2022, level)
    heat = _spec(at, "失分")["data"][0]
    assert heat["type"] == "heatmap"
    assert len(heat["y"]) == units
    n_indicators = len(inputs.rubric.manual_indicators()) + sum(
        i.is_derived for i in inputs.rubric.indicators)
    assert len(heat["x"]) == n_indicators == 23
    assert heat["y"][0] == board["unit_name"].iloc[0]  # rank order, best on top
    # Points lost equal max − final, cell by cell, for the leader.
    lead = table.loc[table["unit_code"] == board["unit_code"].iloc[0]].set_index("indicator_code")
    lost = (lead["max_points"] - lead["points"]).reindex(heat["x"]).tolist()
    assert values(heat["z"])[0] == pytest.approx(lost)


def test_inflated_units_are_flagged_as_the_engine_says(demo_db_path, monkeypatch) -> None:
    with Store(demo_db_path) as store:
        inputs = load_round_inputs(store, 2022)
    inflation, _ = scoring.credibility_report(inputs, "city")
    code = inflation.loc[inflation["inflated"], "indicator_code"].value_counts().index[0]
    flagged = set(inflation.loc[inflation["inflated"] & (inflation["indicator_code"] == code),
                                "unit_code"])
    names = inputs.units.set_index("unit_code")["unit_name"]
    at = open_page(demo_db_path, monkeypatch, "criterion", round="2022", dim=code[0],
                   indicator=code)
    labels = _spec(at, "对比")["data"][0]["y"]
    assert {label[2:] for label in labels if label and label.startswith("⚠")} == {
        names[u] for u in flagged}
    assert flagged  # the demo has at least one inflated self-score to show


def test_derived_indicator_shows_the_metric_instead(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "criterion", round="2022", dim="C", indicator="C1")
    assert any("没有分阶段打分明细" in i.value for i in at.info)
    shown = at.dataframe[0].value
    assert "市县自评" not in shown.columns and "指标值（%）" in shown.columns
    with Store(demo_db_path) as store:
        metrics = load_round_inputs(store, 2022).metrics
    rate = metrics.loc[metrics["metric"] == "start_rate"].set_index("unit_code")["value"]
    inputs, table, board = engine(demo_db_path, 2022)
    expected = (board["unit_code"].map(rate) * 100).round(1)
    assert shown["指标值（%）"].tolist() == pytest.approx(expected.tolist())


def test_indicator_outside_the_dimension_falls_back(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "criterion", round="2022", dim="D", indicator="A1")
    assert at.selectbox(key="param.indicator").value == "D1"
    assert at.query_params["indicator"] == "D1"
    assert at.selectbox(key="param.indicator").options == [
        "D1 地方财政配套到位", "D2 中央和省级补助资金执行", "D3 资金使用合规"]


def test_changing_the_dimension_changes_the_view(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "criterion", round="2022")
    assert at.subheader[0].value.startswith("A1 ")
    at.selectbox(key="param.dim").set_value("E").run()
    assert at.selectbox(key="param.indicator").value == "E1"
    assert at.subheader[0].value.startswith("E1 ")
    assert at.query_params["dim"] == "E"


def test_stage_drives_the_distribution(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "criterion", role="leader", round="2022",
                   stage="self", dim="A", indicator="A2")
    inputs, table, board = engine(demo_db_path, 2022)
    box = _spec(at, "分布")["data"][0]
    self_points = table.loc[table["indicator_code"] == "A2", "self"]
    assert sorted(values(box["x"])) == pytest.approx(sorted(self_points.tolist()))


def test_language_switch_changes_labels(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "criterion", round="2022", lang="en", dim="C",
                   indicator="C4")
    shown = at.dataframe[0].value
    assert {"Rank", "Unit", "Self-evaluation", "Final", "Verified"} <= set(shown.columns)
    assert at.title[0].value.endswith("Criteria")
    assert at.subheader[0].value.startswith("C4 Consultation and publicity")
    assert isinstance(shown, pd.DataFrame) and shown["Unit"].str.contains(r"\(33").all()


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_see_their_own_units_of_the_draft_round(demo_db_path, monkeypatch,
                                                                     role, codes, level) -> None:
    at = open_restricted(demo_db_path, monkeypatch, "criterion", role, codes, level)
    assert_own_units_only(at, own_units(demo_db_path, role, codes, level))
