"""Benchmark page: the unit from the URL, the engine's closing set, gaps and rank history."""

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


def engine(db, year: int, unit: str | None = None, level: str = "city", within=None):
    with Store(db) as store:
        inputs = load_round_inputs(store, year)
    board = scoring.leaderboard(inputs, level, within=within)
    report = None if unit is None else scoring.benchmark_report(inputs, unit, level, within)
    return inputs, board, report


def _unit_with_closing_set(db) -> str:
    """A 2022 city below first place whose closing set is not empty."""
    inputs, board, _ = engine(db, 2022)
    return next(u for u in board["unit_code"].iloc[1:]
                if not scoring.benchmark_report(inputs, u, "city").closing.empty)


def test_default_unit_is_the_runner_up(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022")
    _, board, _ = engine(demo_db_path, 2022)
    assert at.query_params["unit"] == board["unit_code"].iloc[1]
    assert at.subheader[0].value.startswith(board["unit_name"].iloc[1] + " · 排名 2/11")


def test_closing_set_equals_the_engine(demo_db_path, monkeypatch) -> None:
    unit = _unit_with_closing_set(demo_db_path)
    inputs, board, report = engine(demo_db_path, 2022, unit)
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit=unit)
    assert at.selectbox(key="param.unit").value == unit  # the deep link selects the unit
    closing = at.dataframe[0].value
    names = {i.code: f"{i.code} {i.name_zh}" for i in inputs.rubric.indicators}
    assert closing["指标"].tolist() == report.closing["indicator_code"].map(names).tolist()
    assert closing["需提高"].tolist() == report.closing["gain"].astype(float).round(2).tolist()
    above = board.set_index("unit_code").loc[report.next_higher, "unit_name"]
    sentence = at.success[0].value
    assert sentence.startswith("提高 ") and sentence.endswith(f"即可超过 {above}。")
    assert all(code in sentence for code in report.closing["indicator_code"])


def test_gaps_and_losses_equal_the_engine(demo_db_path, monkeypatch) -> None:
    unit = _unit_with_closing_set(demo_db_path)
    _, _, report = engine(demo_db_path, 2022, unit)
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit=unit)
    gaps = next(d.value for d in at.dataframe if "与上一名差距" in d.value.columns)
    assert gaps["与上一名差距"].tolist() == report.gaps["gap_to_above"].round(2).tolist()
    assert gaps["与第一名差距"].tolist() == report.gaps["gap_to_leader"].round(2).tolist()
    assert gaps["项目"].tolist()[0] == "总分"
    losses = next(d.value for d in at.dataframe if "失分" in d.value.columns)
    assert losses["失分"].tolist() == report.losses["lost"].round(2).tolist()
    assert len(losses) == len(report.losses) <= 5


def test_radar_and_rank_history(demo_db_path, monkeypatch) -> None:
    unit = "330300"
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit=unit,
                   role="leader")  # a leader also sees the draft round in the history
    radar, history, dimensions = plotly_specs(at)
    assert len(dimensions["data"]) == 5  # one line per dimension
    assert [t["type"] for t in radar["data"]] == ["scatterpolar"] * 3
    _, _, report = engine(demo_db_path, 2022, unit)
    own = report.gaps.set_index("scope")["own"]
    assert values(radar["data"][0]["r"])[0] == pytest.approx(own["A"] / 20 * 100)
    ranks = [int(engine(demo_db_path, y)[1].set_index("unit_code").loc[unit, "rank"])
             for y in (2020, 2021, 2022, 2023)]
    assert history["data"][0]["x"] == ["2020", "2021", "2022", "2023"]
    assert values(history["data"][0]["y"]) == ranks
    low, high = history["layout"]["yaxis"]["range"]
    assert low > high  # reversed: first place at the top


def test_public_rank_history_stops_at_the_last_published_round(demo_db_path, monkeypatch):
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit="330300")
    assert plotly_specs(at)[1]["data"][0]["x"] == ["2020", "2021", "2022"]


def test_first_place_shows_its_lead_over_second(demo_db_path, monkeypatch) -> None:
    _, board, _ = engine(demo_db_path, 2022)
    first, second = board["unit_code"].iloc[0], board["unit_code"].iloc[1]
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit=first)
    assert "已位列第一" in at.success[0].value
    lead = at.dataframe[0].value
    expected = board["total"].iloc[0] - board["total"].iloc[1]
    assert lead["领先分差"].iloc[0] == pytest.approx(round(expected, 2))
    assert board["unit_name"].iloc[1] in lead.columns
    radar = plotly_specs(at)[0]
    assert radar["data"][2]["name"].endswith(board.set_index("unit_code").loc[second,
                                                                             "unit_name"])


def test_counties_within_a_city(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", level="county",
                   within="330100", unit="330106")
    assert len(at.selectbox(key="param.unit").options) == 13
    assert at.selectbox(key="param.unit").value == "330106"
    assert at.subheader[0].value.startswith("西湖区")


@pytest.mark.parametrize("bad", ["999999", "330106", "'; DROP TABLE scores"])
def test_invalid_unit_falls_back_to_the_default(demo_db_path, monkeypatch, bad) -> None:
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit=bad)
    _, board, _ = engine(demo_db_path, 2022)
    assert at.query_params["unit"] == board["unit_code"].iloc[1]  # a county is not a city peer


def test_language_switch_changes_labels(demo_db_path, monkeypatch) -> None:
    unit = _unit_with_closing_set(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit=unit, lang="en")
    assert at.title[0].value.endswith("Benchmark")
    assert at.success[0].value.startswith("Raise ")
    assert {"Indicator", "Gain", "Total after"} <= set(at.dataframe[0].value.columns)
    assert "Rank history" in plotly_specs(at)[1]["layout"]["title"]["text"]


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_see_their_own_units_of_the_draft_round(demo_db_path, monkeypatch,
                                                                     role, codes, level) -> None:
    at = open_restricted(demo_db_path, monkeypatch, "benchmark", role, codes, level)
    assert_own_units_only(at, own_units(demo_db_path, role, codes, level), "param.unit")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dimension_subtotals_over_the_rounds(demo_db_path, monkeypatch, lang) -> None:
    """The unit's dimension subtotals and rank in each published round, from the engine."""
    from evalcore.labels import t

    unit = _unit_with_closing_set(demo_db_path)
    at = open_page(demo_db_path, monkeypatch, "benchmark", round="2022", unit=unit, lang=lang)
    table = next(d.value for d in at.dataframe if t("rubric_version", lang) in d.value.columns)
    assert table[t("pf_year", lang)].tolist() == ["2020", "2021", "2022"]
    for i, year in enumerate((2020, 2021, 2022)):
        inputs, board, _ = engine(demo_db_path, year)
        row = board.set_index("unit_code").loc[unit]
        assert table[t("rank", lang)].iloc[i] == row["rank"]
        first = next(c for c in table.columns if c.startswith("A "))
        assert table[first].iloc[i] == f"{row['A']:.2f}/{inputs.rubric.dimensions[0].max:g}"
    assert any(t("dh_chart", lang) in s["layout"]["title"]["text"] for s in plotly_specs(at))
