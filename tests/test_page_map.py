"""Map page: the regions hold the board's 11 cities or 90 counties, named and with their
tooltips; the measure, level and layer in the URL change the map; the map is SVG fitted to its
box (whole on a phone); tooltips follow the language; the fallback opens profiles."""

from __future__ import annotations

import pytest

from evalcore import scoring
from evalcore.db import Store
from evalcore.rounds import load_round_inputs
from tests.map_checks import assert_svg_map, values
from tests.pages_helper import (
    assert_own_units_only,
    open_page,
    open_restricted,
    own_units,
    plotly_spec,
    restricted_views,
)


def traces(at) -> list[dict]:
    return plotly_spec(at, "map.chart")["data"]


def regions(at) -> list[dict]:
    """Per region in board order: code, tip (tooltip lines) and name (when drawn)."""
    [labels] = [t for t in traces(at) if t.get("name") == "regions"]
    names = labels.get("text") or [None] * len(labels["customdata"])
    return [{"code": c, "tip": tip.replace("<br>", "\n"), "name": n}
            for c, tip, n in zip(values(labels["customdata"]), labels["hovertext"], names,
                                 strict=True)]


def classes(at) -> list[dict]:
    """The filled traces: one per colour class (or the grey regions under a density)."""
    return [t for t in traces(at) if t.get("fill") == "toself" and t.get("name") != "regions"]


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
    assert shown[0]["name"] == first["unit_name"].removesuffix("市")  # cities are named
    assert not [t for t in traces(at) if t.get("mode") == "markers"]  # no community layer
    assert any("示意" in c.value for c in at.caption)
    assert_svg_map(plotly_spec(at, "map.chart"))


def test_the_map_fits_its_box_with_the_province_whole(demo_db_path, monkeypatch) -> None:
    """Plotly fits the axes to the box at any width: the ranges hold every region, and the
    plot shrinks to the map's shape (the deck.gl map kept a zoom that cut the coast off)."""
    spec = plotly_spec(open_page(demo_db_path, monkeypatch, "map", round="2022"), "map.chart")
    west, east = spec["layout"]["xaxis"]["range"]
    south, north = spec["layout"]["yaxis"]["range"]
    xs = [x for t in classes_of(spec) for x in values(t["x"]) if x is not None]
    ys = [y for t in classes_of(spec) for y in values(t["y"]) if y is not None]
    assert west < min(xs) and max(xs) < east and south < min(ys) and max(ys) < north
    assert max(xs) > 122.5  # the Zhoushan islands are drawn
    assert spec["layout"]["xaxis"]["constrain"] == "domain"
    assert spec["layout"]["dragmode"] is False  # a drag scrolls the page on a phone


def classes_of(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("fill") == "toself"]


@pytest.mark.parametrize(("params", "count", "named"), [
    ({"level": "county"}, 90, False),  # over the province, only the cities are named
    ({"level": "county", "within": "330100"}, 13, True),
    ({"level": "city", "within": "330100"}, 11, True),  # `within` only applies to counties
])
def test_level_in_the_url_sets_the_regions(demo_db_path, monkeypatch, params, count,
                                           named) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", **params)
    assert len(regions(at)) == count
    assert all(r["name"] for r in regions(at)) is named
    city_names = [t for t in traces(at) if t.get("name") == "names"]
    assert bool(city_names) is not named
    if city_names:
        assert len(city_names[0]["text"]) == 11


def test_measure_in_the_url_changes_colours_and_tooltips(demo_db_path, monkeypatch) -> None:
    by_total = open_page(demo_db_path, monkeypatch, "map", round="2022")
    by_rate = open_page(demo_db_path, monkeypatch, "map", round="2022", measure="start_rate")
    assert [t["fillcolor"] for t in classes(by_total)] != [t["fillcolor"] for t in classes(by_rate)] \
        or [t["name"] for t in classes(by_total)] != [t["name"] for t in classes(by_rate)]
    shown = regions(by_rate)
    assert all("开工率" in p["tip"] for p in shown)
    with Store(demo_db_path) as store:
        metrics = load_round_inputs(store, 2022).metrics
    rate = metrics.query("metric == 'start_rate' and unit_code == @shown[0]['code']")["value"]
    assert shown[0]["tip"].endswith(f"开工率 {rate.iloc[0]:.1%}")


def test_quartile_classes_are_one_hue_light_to_dark_and_named_in_the_legend(demo_db_path,
                                                                            monkeypatch) -> None:
    from evalcore.views.map import CLASS_COLOURS

    at = open_page(demo_db_path, monkeypatch, "map", round="2022", level="county")
    drawn = classes(at)
    assert [t["name"][0] for t in drawn] == ["●", "◕", "◑", "◔"]  # best first, as shapes
    assert [t["fillcolor"] for t in drawn] == [
        "rgba({},{},{},1)".format(*c) for c in reversed(CLASS_COLOURS)]
    assert sum(int(t["name"].split("（")[1].rstrip("个）")) for t in drawn) == 90


def test_grade_legend_counts_units(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", level="county",
                   measure="grade")
    board = engine_board(demo_db_path, 2022, "county")
    legend = " ".join(t["name"] for t in classes(at))
    for grade, n in board["grade_name_zh"].value_counts().items():
        assert f"{grade}（{n}个）" in legend
    table = at.dataframe[0].value  # the map's table, one click away
    assert len(table) == 90 and table["等次"].value_counts().to_dict() == \
        board["grade_name_zh"].value_counts().to_dict()


def started_in(db, within: str) -> int:
    with Store(db) as store:
        c = store.communities()
    inside = c["county_code"].isin(engine_board(db, 2022, "county", within)["unit_code"])
    started = (c["batch_year"] <= 2022) & (c["start_date"] <= "2022-12-31")
    return int((inside & started).sum())


def test_community_points_by_status_shape(demo_db_path, monkeypatch) -> None:
    from evalcore.views.palette import STATUS_SYMBOLS

    at = open_page(demo_db_path, monkeypatch, "map", round="2022", level="county",
                   within="330100", points="points")
    dots = [t for t in traces(at) if t.get("mode") == "markers" and t["name"] != "regions"]
    assert sum(len(values(t["x"])) for t in dots) == started_in(demo_db_path, "330100")
    labels = {"已开工": "started", "已完工": "completed", "已验收": "accepted"}
    assert all(t["marker"]["symbol"] == STATUS_SYMBOLS[labels[t["name"]]] for t in dots)


def test_density_hexagons_over_grey_regions(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "map", round="2022", level="county",
                   within="330100", points="hexagon")
    hexagons = [t for t in classes(at) if "每格" in t["name"]]
    assert hexagons and len(classes(at)) == len(hexagons) + 1  # + the grey regions
    assert any("六边形" in c.value for c in at.caption)


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
    assert all("(n = " in t["name"] for t in classes(at))


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
