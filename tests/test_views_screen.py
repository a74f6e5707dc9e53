"""The big screen's settings from the URL (validated) and its numbers (from the Reader)."""

from __future__ import annotations

import pytest

from evalcore.access import PUBLIC
from evalcore.reader import Reader
from evalcore.views import screen as S


@pytest.mark.parametrize(("value", "expected"), [
    ("1", 1), ("15", 15), ("3600", 3600), (None, 15), ("", 15), ("0", 15), ("3601", 15),
    ("-5", 15), ("2.5", 15), ("1e3", 15), ("９", 15), ("99999999999999999999", 15),
    ("<script>", 15), (" 30 ", 30),
])
def test_rotate_is_a_whole_number_of_seconds_within_bounds(value, expected) -> None:
    assert S.parse_rotate(value) == expected


def test_theme_and_panel_choices() -> None:
    assert S.parse_choice("dark", S.THEMES, "light") == "dark"
    assert S.parse_choice("DARK", S.THEMES, "light") == "light"
    assert S.parse_choice("map", S.PANELS, None) == "map"
    assert S.parse_choice("javascript:", S.PANELS, None) is None


def test_panels_take_turns_unless_one_is_pinned() -> None:
    assert [S.panel_for(i, None) for i in range(5)] == [*S.PANELS, S.PANELS[0]]
    assert {S.panel_for(i, "trend") for i in range(5)} == {"trend"}


def test_the_public_latest_published_round(demo_store) -> None:
    reader = Reader(demo_store, PUBLIC)
    assert S.latest_published(reader.rounds()) == demo_store.last_public_year() == 2022
    assert S.latest_published(reader.rounds().iloc[0:0]) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headline_and_counter_are_the_province_progress(demo_store, lang) -> None:
    reader = Reader(demo_store, PUBLIC)
    progress = reader.progress(2022)
    province = progress[progress["level"] == "province"].iloc[0]
    head = S.headline(progress, 2022, lang)
    assert head.rate == pytest.approx(province["started"] / province["started_target"])
    assert head.started.startswith(f"{int(province['started']):,}")
    assert head.target.startswith(f"{int(province['started_target']):,}")
    assert len(head.tiles) == 3 and head.tiles[0][1].startswith(f"{int(province['completed']):,}")
    year, since = S.counter(progress, reader.progress(2022, cumulative=True), lang)
    assert year == head.started
    assert int(since.rstrip("个").replace(",", "")) > int(province["started"])


def test_city_rates_best_first_and_ranking_is_the_board(demo_store) -> None:
    reader = Reader(demo_store, PUBLIC)
    rates = S.city_rates(reader.progress(2022))
    assert len(rates) == 11 and rates["rate"].is_monotonic_decreasing
    board = reader.board(2022, "city", "final", None)
    shown = S.ranking(board, reader.round_inputs(2022).rubric, "zh")
    assert shown["单位"].tolist() == board["unit_name"].head(S.TOP).tolist()
    assert shown["排名"].tolist() == board["rank"].head(S.TOP).astype(int).tolist()
    assert shown["等次"].str.contains(" ").all()  # a badge and the grade's name
