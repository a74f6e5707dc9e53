"""Progress page: the province's headline numbers equal counts made here with SQL on the demo
database; cities, charts and the small map follow the round; the language switch relabels."""

from __future__ import annotations

import base64
import re

import duckdb
import numpy as np
import pytest

from evalcore.access import PUBLIC, Viewer
from evalcore.db import Store
from evalcore.labels import t
from evalcore.views.progress import community_points
from tests.map_checks import assert_svg_map, split_map
from tests.map_checks import values as trace_values
from tests.pages_helper import open_page, open_restricted, plotly_spec, restricted_views

STARTED = """SELECT count(*), sum(households) FROM communities
             WHERE batch_year = $y AND start_date <= make_date($y, 12, 31)"""
COMPLETED = """SELECT count(*), count(*) FILTER (status = 'accepted') FROM communities
               WHERE batch_year = $y - 1 AND completion_date <= make_date($y, 12, 31)"""
TARGET = "SELECT communities, households FROM targets WHERE year = $y AND unit_code = '330000'"
STARTED_BY_CITY = """SELECT r.parent_code, count(*) FROM communities c
                     JOIN regions r ON r.code = c.county_code
                     WHERE batch_year = $y AND start_date <= make_date($y, 12, 31)
                     GROUP BY 1 ORDER BY 1"""
POINTS = """SELECT count(*) FROM communities
            WHERE batch_year <= $y AND start_date <= make_date($y, 12, 31)"""


def sql(db, query: str, year: int) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, {"y": year}).fetchall()


def number(text: str) -> float:
    """'1,768个' → 1768.0, '18.7万户' → 187000.0."""
    value = float(re.sub(r"[^\d.]", "", text))
    return value * 10_000 if "万" in text else value


def plotly_values(values) -> list:
    """Plotly 7 sends numeric arrays as typed base64 ({'dtype', 'bdata'}); lists stay lists."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), values["dtype"]).tolist()
    return values


def metrics(at) -> dict[str, list]:
    """label → [(value, delta, description, help)] in page order (year first, then cumulative)."""
    out: dict[str, list] = {}
    for m in at.metric:
        out.setdefault(m.label, []).append(
            (m.value, m.proto.delta, m.proto.delta_description, m.proto.help))
    return out


@pytest.mark.parametrize("year", [2021, 2022])
def test_province_headline_equals_sql(demo_db_path, monkeypatch, year) -> None:
    at = open_page(demo_db_path, monkeypatch, "progress", round=str(year))
    [(started, households)] = sql(demo_db_path, STARTED, year)
    [(completed, accepted)] = sql(demo_db_path, COMPLETED, year)
    [(target, household_target)] = sql(demo_db_path, TARGET, year)
    [(previous_target, _)] = sql(demo_db_path, TARGET, year - 1)
    cards = metrics(at)
    value, delta, description, _ = cards["开工小区"][0]
    assert value == f"{started:,}个"
    assert delta == f"{started - target:+,}个" and description == f"较目标 {target:,}个"
    value, delta, description, _ = cards["完工小区"][0]
    assert value == f"{completed:,}个" and description == f"较目标 {previous_target:,}个"
    assert cards["验收小区"][0][0] == f"{accepted:,}个"
    assert number(cards["惠及居民"][0][0]) == pytest.approx(households, rel=5e-3)
    if household_target is None:  # 2021: not published, so no comparison is invented
        assert cards["惠及居民"][0][1] == "" and "目标未公布" in cards["惠及居民"][0][3]
    else:
        assert cards["惠及居民"][0][1] != ""


def test_2021_target_is_800(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "progress", round="2021")
    assert metrics(at)["开工小区"][0][2] == "较目标 800个"


def test_cumulative_since_2019(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "progress", round="2022")
    [(points,)] = sql(demo_db_path, POINTS, 2022)
    cumulative = metrics(at)["开工小区"][1]
    assert cumulative[0] == f"{points:,}个"
    assert cumulative[2] == "较目标 2,387个"  # 480 + 500 + 800 + 607
    assert any("2019年以来累计" in h.value for h in at.subheader)


def test_city_table_and_chart(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "progress", round="2022")
    table = at.dataframe[0].value
    by_city = sql(demo_db_path, STARTED_BY_CITY, 2022)
    assert len(table) == 11
    assert table["开工"].tolist() == [n for _, n in by_city]
    assert "户数目标(万户)" in table.columns and "投资目标(亿元)" not in table.columns
    cities, trend = plotly_spec(at, "progress.cities"), plotly_spec(at, "progress.trend")
    assert plotly_values(cities["data"][1]["x"]) == [n for _, n in by_city]
    assert "2022" in cities["layout"]["title"]["text"]
    # The public sees progress up to the last published round (2023 is a draft).
    assert trend["data"][0]["x"] == ["2019", "2020", "2021", "2022"]


def expected_points(db, viewer: Viewer, year: int, lang: str):
    """The map's communities from the data layer, as the viewer may see them."""
    with Store(db, read_only=True) as store:
        return community_points(store.communities(viewer), store.regions(), year, lang)


@pytest.mark.parametrize(("role", "year"), [(None, 2021), (None, 2022), ("leader", 2023)])
def test_small_map_holds_every_started_community(demo_db_path, monkeypatch, role, year) -> None:
    at = open_page(demo_db_path, monkeypatch, "progress", role=role, round=str(year))
    spec = plotly_spec(at, "progress.map")
    assert_svg_map(spec)
    regions, points = split_map(spec)
    assert len(regions) == 1 and trace_values(regions[0]["x"]).count(None) >= 10  # 11 cities
    expected = expected_points(demo_db_path, Viewer(role) if role else PUBLIC, year, "zh")
    [(started_so_far,)] = sql(demo_db_path, POINTS, year)
    assert len(expected) == started_so_far
    counts = {name: len(trace_values(t["x"])) for name, t in points.items()}
    names = {"已开工": "started", "已完工": "completed", "已验收": "accepted"}
    assert {names[n]: c for n, c in counts.items()} == expected["status"].value_counts().to_dict()
    texts = [text for t in points.values() for text in t["text"]]
    assert sorted(texts) == sorted(tip.replace("\n", "<br>") for tip in expected["tip"])
    assert "http" not in str(spec)
    assert not at.get("deck_gl_json_chart")
    assert any("示意" in c.value for c in at.caption)
    assert any("示例数据" in c.value and "示意" in c.value for c in at.caption)


def test_round_changes_the_numbers(demo_db_path, monkeypatch) -> None:
    first = metrics(open_page(demo_db_path, monkeypatch, "progress", round="2021"))
    second = metrics(open_page(demo_db_path, monkeypatch, "progress", round="2022"))
    assert first["开工小区"][0][0] != second["开工小区"][0][0]


def test_language_switch(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "progress", round="2022", lang="en")
    cards = metrics(at)
    [(started, households)] = sql(demo_db_path, STARTED, 2022)
    assert cards["Communities started"][0][0] == f"{started:,}"
    assert cards["Households benefiting"][0][0] == f"{households:,}"
    assert cards["Investment completed"][0][0].startswith("¥")
    assert at.title[0].value.endswith("Progress")
    assert {"City", "Started", "Start target"} <= set(at.dataframe[0].value.columns)
    _, points = split_map(plotly_spec(at, "progress.map"))
    assert set(points) <= {"Started", "Completed", "Accepted"} and "Accepted" in points
    assert all("plan" in text for t in points.values() for text in t["text"])


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_see_the_draft_rounds_progress(demo_db_path, monkeypatch, role,
                                                            codes, level) -> None:
    # Progress is no board: every city's progress shows (others' as at the last published
    # year's end), with the round marked as a draft.
    at = open_restricted(demo_db_path, monkeypatch, "progress", role, codes, level)
    assert at.subheader[0].value.endswith(t("draft", "en"))
    assert len(at.dataframe[0].value) == 11
    assert len(at.get("plotly_chart")) == 3


TABLE_COLUMNS = {"progress.county_table": ("县（市、区）", "County", "开工", "Started"),
                 "progress.strength": ("计划小区(个)", "Planned communities")}


def frame(at, key: str):
    """The first table holding a column that only the table shown with `key` has (AppTest's
    dataframes carry no key)."""
    marks = TABLE_COLUMNS[key]
    if key == "progress.county_table":
        return next(d.value for d in at.dataframe if {marks[0], marks[2]} <= set(d.value.columns)
                    or {marks[1], marks[3]} <= set(d.value.columns))
    return next(d.value for d in at.dataframe if set(marks) & set(d.value.columns))


def test_county_table_and_strength(demo_db_path, monkeypatch) -> None:
    """90 counties with their city; the strength table equals the engine's (public reader),
    at city level and, after the switch, at county level."""
    from evalcore.reader import Reader

    at = open_page(demo_db_path, monkeypatch, "progress", round="2022")
    counties = frame(at, "progress.county_table")
    assert len(counties) == 90 and list(counties.columns[:2]) == ["设区市", "县（市、区）"]
    with Store(demo_db_path, read_only=True) as store:
        expected = {level: Reader(store, PUBLIC).strength(2022, level)
                    for level in ("city", "county")}
    started = sql(demo_db_path, STARTED_BY_CITY, 2022)
    assert counties.groupby("设区市", sort=False)["开工"].sum().tolist() == [n for _, n in started]
    shown = frame(at, "progress.strength")
    assert len(shown) == 11
    assert shown["计划小区(个)"].tolist() == expected["city"]["communities"].astype(int).tolist()
    assert shown["地方财政占比%"].tolist() == pytest.approx(
        (100 * expected["city"]["local_fiscal_share"]).round(1).tolist())
    at.radio(key="progress.strength_level").set_value("county").run()
    shown = frame(at, "progress.strength")
    assert len(shown) == 90
    assert shown["户均投资(元/户)"].tolist() == expected["county"][
        "investment_per_household_yuan"].round().astype(int).tolist()


def test_strength_in_english(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "progress", round="2022", lang="en")
    assert {"City", "Inv. per household (¥)", "Local fiscal share %",
            "Social & resident funds %", "Start rate %"} <= set(frame(at, "progress.strength")
                                                                .columns)
    assert {"City", "County"} <= set(frame(at, "progress.county_table").columns)
    assert any(s.value.startswith("Action and investment strength") for s in at.subheader)
