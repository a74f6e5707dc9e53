"""Leaderboard page: rows, order and numbers match the engine; URL state drives the view."""

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


def engine_board(db, year: int, level: str, stage: str = "final", within=None):
    with Store(db) as store:
        return scoring.leaderboard(load_round_inputs(store, year), level, stage, within)


def test_cities_2022_match_the_engine(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "leaderboard", round="2022", level="city")
    table = at.dataframe[0].value
    board = engine_board(demo_db_path, 2022, "city")
    assert len(table) == 11
    assert table["排名"].tolist() == board["rank"].tolist()
    assert table["单位"].tolist() == board["unit_name"].tolist()
    assert table["总分"].tolist() == board["total"].round(2).tolist()
    assert table["排名"].is_monotonic_increasing
    assert "名次区间(90%)" in table.columns
    # What matters first comes first: a phone shows these and scrolls the rest in the table.
    assert list(table.columns[:5]) == ["排名", "单位", "总分", "等次", "名次变化"]
    assert all(cell.endswith(name) for cell, name in zip(table["等次"], board["grade_name_zh"],
                                                         strict=True))  # badge + the name
    assert "示例数据" in at.info[0].value


def test_deep_link_counties_within_a_city(demo_db_path, monkeypatch) -> None:
    # Stage views are offered to viewers who see internal stage detail (access policy).
    at = open_page(demo_db_path, monkeypatch, "leaderboard", role="leader", round="2021",
                   level="county", within="330100", stage="self")
    table = at.dataframe[0].value
    assert len(table) == 13  # Hangzhou's 13 county-level units
    board = engine_board(demo_db_path, 2021, "county", "self", "330100")
    assert table["总分"].tolist() == board["total"].round(2).tolist()
    assert "名次区间(90%)" not in table.columns  # uncertainty only for final scores
    assert at.query_params["within"] == "330100"


def test_all_counties_and_chart(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "leaderboard", round="2022", level="county")
    assert len(at.dataframe[0].value) == 90
    spec = plotly_specs(at)[0]
    assert len(spec["data"][0]["y"]) == 90
    assert "2022" in spec["layout"]["title"]["text"]


def test_language_switch_changes_labels(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "leaderboard", round="2022", lang="en")
    table = at.dataframe[0].value
    assert {"Rank", "Unit", "Total", "Grade"} <= set(table.columns)
    assert at.title[0].value.endswith("Leaderboard")


@pytest.mark.parametrize("bad", ["1999", "abc", "2022; DROP TABLE scores"])
def test_invalid_round_in_url_falls_back_to_latest_published(demo_db_path, monkeypatch, bad):
    at = open_page(demo_db_path, monkeypatch, "leaderboard", round=bad)
    assert at.query_params["round"] == "2022"
    assert len(at.dataframe[0].value) == 11


def test_public_is_offered_the_final_view_only(demo_db_path, monkeypatch) -> None:
    """The demo rubric has an internal indicator (D3): a stage board's subtotal minus the
    visible indicators would give its stage points away, so the public sees final only."""
    at = open_page(demo_db_path, monkeypatch, "leaderboard", round="2021", level="county",
                   within="330100", stage="self")
    assert at.query_params["stage"] == "final"
    board = engine_board(demo_db_path, 2021, "county", "final", "330100")
    assert at.dataframe[0].value["总分"].tolist() == board["total"].round(2).tolist()


@pytest.mark.parametrize(("role", "codes", "level"), restricted_views())
def test_unit_and_group_users_see_their_own_units_of_the_draft_round(demo_db_path, monkeypatch,
                                                                     role, codes, level) -> None:
    at = open_restricted(demo_db_path, monkeypatch, "leaderboard", role, codes, level)
    assert_own_units_only(at, own_units(demo_db_path, role, codes, level))


@pytest.mark.parametrize(("lang", "mark", "column"), [("zh", "⚠ 未核验（4项）", "核验"),
                                                      ("en", "⚠ unverified (4)", "Verified")])
def test_totals_with_unverified_indicators_are_marked(demo_db_path, monkeypatch, lang, mark,
                                                      column) -> None:
    # In the draft 2023, 35 of 90 counties rank partly on cross scores standing in for missing
    # third-party ones: the same mark as the criteria page, in the table and its export.
    from evalcore import exports
    from evalcore.access import FULL
    from evalcore.reader import Reader
    from evalcore.views.leaderboard import display_frame

    at = open_page(demo_db_path, monkeypatch, "leaderboard", role="admin", round="2023",
                   level="county", lang=lang)
    table = at.dataframe[0].value
    with Store(demo_db_path) as store:
        reader = Reader(store, FULL)
        board = reader.board(2023, "county", "final", None)
        rubric = reader.round_inputs(2023).rubric
    expected = [mark if n else "✓" for n in board["unverified_count"]]
    assert (board["unverified_count"].isin([0, 4])).all()
    assert table[column].tolist() == expected
    assert (table[column] != "✓").sum() == 35
    text = exports.csv_bytes(display_frame(board, rubric, lang)).decode("utf-8-sig")
    assert text.count(mark) == 35  # plain text in the download


def test_a_complete_round_is_verified_throughout(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "leaderboard", round="2022", level="city",
                   lang="en")
    assert set(at.dataframe[0].value["Verified"]) == {"✓"}
