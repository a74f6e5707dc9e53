"""Map page: the region layer holds the board's 11 cities or 90 counties; the measure, level
and layer in the URL change the map; tooltips follow the language; the fallback opens profiles."""

from __future__ import annotations

import json

import pytest

from evalcore import scoring
from evalcore.db import Store
from evalcore.rounds import load_round_inputs
from tests.pages_helper import (
    assert_own_units_only,
    open_page,
    open_restricted,
    own_units,
    restricted_views,
)


def layers(at) -> dict[str, dict]:
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer for layer in deck["layers"]}


def regions(at) -> list[dict]:
    return [f["properties"] for f in layers(at)["regions"]["data"]["features"]]


def engine_board(db, year: int, level: str, within=None):
    with Store(db) as store:
        return scoring.leaderboard(load_round_inputs(store, year), level, "final", within)


def test_cities_match_the_engine(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022")
    shown = regions(at)
    board = engine_board(demo_db_path, 2022, "city")
    assert len(shown) == 11
    assert [p["code"] for p in shown] == board["unit_code"].tolist()
    first = board.iloc[0]
    assert shown[0]["tip"].startswith(f"{first['unit_name']}\n总分 {first['total']:.2f} · 第1名")
    assert shown[0]["tip"].endswith(first["grade_name_zh"])
    assert set(layers(at)) == {"regions"}  # community layer off by default
    assert any("示意" in c.value for c in at.caption)


@pytest.mark.parametrize(("params", "count"), [
    ({"level": "county"}, 90),
    ({"level": "county", "within": "330100"}, 13),
    ({"level": "city", "within": "330100"}, 11),  # `within` only applies to counties
])
def test_level_in_the_url_sets_the_regions(demo_db_path, monkeypatch, params, count) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", **params)
    assert len(regions(at)) == count


def test_measure_in_the_url_changes_colours_and_tooltips(demo_db_path, monkeypatch) -> None:
    by_total = regions(open_page(demo_db_path, monkeypatch, "map", round="2022"))
    by_rate = regions(open_page(demo_db_path, monkeypatch, "map", round="2022",
                                measure="start_rate"))
    assert [p["fill"] for p in by_total] != [p["fill"] for p in by_rate]
    assert all("开工率" in p["tip"] for p in by_rate)
    with Store(demo_db_path) as store:
        metrics = load_round_inputs(store, 2022).metrics
    rate = metrics.query("metric == 'start_rate' and unit_code == @by_rate[0]['code']")["value"]
    assert by_rate[0]["tip"].endswith(f"开工率 {rate.iloc[0]:.1%}")


def test_grade_legend_counts_units(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", level="county",
                   measure="grade")
    board = engine_board(demo_db_path, 2022, "county")
    legend = next(m.value for m in at.markdown if m.value.startswith("- "))
    for grade, n in board["grade_name_zh"].value_counts().items():
        assert f"{grade}（{n}个）" in legend


@pytest.mark.parametrize(("mode", "layer_type"), [("points", "ScatterplotLayer"),
                                                  ("hexagon", "HexagonLayer")])
def test_community_layer_toggle(demo_db_path, monkeypatch, mode, layer_type) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", level="county",
                   within="330100", points=mode)
    extra = [layer for layer_id, layer in layers(at).items() if layer_id != "regions"]
    assert [layer["@@type"] for layer in extra] == [layer_type]
    with Store(demo_db_path) as store:
        c = store.communities()
    hangzhou = c["county_code"].isin(engine_board(demo_db_path, 2022, "county", "330100")
                                      ["unit_code"])
    started = (c["batch_year"] <= 2022) & (c["start_date"] <= "2022-12-31")
    assert len(extra[0]["data"]) == int((hangzhou & started).sum())


def test_invalid_measure_falls_back_to_total(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", measure="<script>")
    assert at.query_params["measure"] == "total"
    assert len(regions(at)) == 11


def test_language_switch(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", lang="en", measure="C")
    shown = regions(at)
    assert "\nTotal " in shown[0]["tip"] and " · rank 1 · " in shown[0]["tip"]
    assert "C Project delivery" in shown[0]["tip"]
    assert at.title[0].value.endswith("Map")
    assert any(m.value.startswith("**Legend") for m in at.markdown)


def test_open_profile_fallback(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022")
    at.selectbox(key="map.open").select("330100").run()
    assert at.query_params["unit"] == "330100"
    assert at.query_params["round"] == "2022"


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_see_their_own_units_of_the_draft_round(demo_db_path, monkeypatch,
                                                                     role, codes, level) -> None:
    at = open_restricted(demo_db_path, monkeypatch, "map", role, codes, level)
    expected = own_units(demo_db_path, role, codes, level)
    if not expected:
        assert_own_units_only(at, expected)
        return
    assert {p["code"] for p in regions(at)} == expected  # coloured, with a tooltip
    with Store(demo_db_path) as store:
        by_name = dict(zip(store.regions()["name"], store.regions()["code"], strict=True))
    assert {by_name[o] for o in at.selectbox(key="map.open").options} == expected
