"""A vetoed unit (一票否决) gets the lowest grade and ranks after every unit without a veto, in
every place a rank or grade is shown: the boards of each view, within a city, the profile's
headline and history, the benchmark's next-higher unit, the rank uncertainty, the what-if
board and the leaderboard's export. The demo's 龙泉市 (331181) is vetoed in 2021 (issue 11
reported it at 86 of 90 on an older main) with a total above several units'."""

from __future__ import annotations

import pytest

from evalcore.access import FULL, PUBLIC
from evalcore.reader import Reader
from evalcore.views import leaderboard as leaderboard_view
from evalcore.views import profile as profile_view

VETOED, YEAR = "331181", 2021


@pytest.fixture(scope="module")
def reader(demo_store) -> Reader:
    return Reader(demo_store, FULL)


def _last(board, code: str = VETOED) -> None:
    row = board.set_index("unit_code").loc[code]
    assert bool(row["vetoed"]) and int(row["rank"]) == len(board)
    assert (board.loc[~board["vetoed"].astype(bool), "rank"] < row["rank"]).all()


def test_the_vetoed_total_is_above_others_yet_it_ranks_last_with_the_lowest_grade(
        demo_store) -> None:
    board = Reader(demo_store, PUBLIC).board(YEAR, "county", "final", None)
    row = board.set_index("unit_code").loc[VETOED]
    assert (board["total"] < row["total"]).sum() >= 3  # it would not be last on its total
    _last(board)
    rubric = Reader(demo_store, PUBLIC).round_inputs(YEAR).rubric
    assert row["grade"] == rubric.lowest_grade().code


@pytest.mark.parametrize("stage", ["final", "self", "cross", "third_party"])
def test_every_board_view(reader, stage) -> None:
    _last(reader.board(YEAR, "county", stage, None))


def test_within_its_city(reader) -> None:
    _last(reader.board(YEAR, "county", "final", "331100"))


def test_profile_headline_and_history(reader) -> None:
    data = reader.profile_data(YEAR, VETOED)
    head = profile_view.headline(data)
    assert head.vetoed and head.rank == head.peers == 90
    history = data.history.set_index("year")
    assert int(history.loc[YEAR, "rank"]) == 90
    assert profile_view.veto_text(data, "en")


def test_rank_history(reader) -> None:
    history = reader.rank_history("county", "final", None)
    assert int(history.query("unit_code == @VETOED and year == @YEAR")["rank"].iloc[0]) == 90


def test_benchmark_next_higher_is_the_unit_ranked_just_above(reader) -> None:
    board = reader.board(YEAR, "county", "final", None).set_index("unit_code")
    bench = reader.benchmark(YEAR, "county", None, VETOED)
    assert int(board.loc[bench.next_higher, "rank"]) == 89
    assert bench.closing.empty  # no indicator gain lifts a vetoed unit past an unvetoed one


def test_uncertainty_and_what_if(reader) -> None:
    spread = reader.uncertainty(YEAR, "county", None).set_index("unit_code")
    assert int(spread.loc[VETOED, "rank"]) == 90 and int(spread.loc[VETOED, "rank_p05"]) == 90
    weights = tuple((d, 20.0) for d in "ABCDE")
    _last(reader.what_if(YEAR, "county", None, weights))


def test_the_leaderboard_export_puts_it_last_marked(reader) -> None:
    board = reader.board(YEAR, "county", "final", None)
    rubric = reader.round_inputs(YEAR).rubric
    shown = leaderboard_view.display_frame(board, rubric, "zh")
    last = shown.iloc[-1]
    assert last["排名"] == 90 and last["单位"].startswith("龙泉") and "⛔" in last["等次"]
