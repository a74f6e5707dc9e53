"""The ranking rule (competition_ranks, rank_keys): "1224" on totals as shown (two decimals),
float noise, direction, missing values, vetoed units last, and a draws × units matrix ranked
row by row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalcore.scoring.common import NOISE_DECIMALS, competition_ranks, rank_keys


@pytest.mark.parametrize(
    ("totals", "ranks"),
    [
        ([90, 85, 85, 80], [1, 2, 2, 4]),
        ([70, 70, 70], [1, 1, 1]),
        ([1, 2, 3], [3, 2, 1]),
        ([0.1 + 0.2, 0.3, 0.2], [1, 1, 3]),  # float noise must not split a tie
    ],
)
def test_competition_ranking_1224(totals: list[float], ranks: list[int]) -> None:
    assert competition_ranks(pd.Series(totals)).tolist() == ranks
    assert competition_ranks(np.array(totals, dtype=float)).tolist() == ranks


def test_hand_made_table_with_ties() -> None:
    # unit:   A     B     C      D     E     F
    totals = [88.5, 92.0, 88.5, 95.0, 70.0, 92.0 - 1e-12]
    assert competition_ranks(totals).tolist() == [4, 2, 4, 1, 6, 2]
    assert competition_ranks(totals).dtype == np.int64


def test_ascending_ranks_the_smallest_first() -> None:
    assert competition_ranks([0.2, -0.1, 0.2, 0.0], ascending=True).tolist() == [3, 1, 3, 2]


@pytest.mark.parametrize("ascending", [False, True])
def test_missing_values_rank_last_and_tie(ascending: bool) -> None:
    values = [0.1, np.nan, -0.2, 0.1, np.nan]
    expected = pd.Series(values).rank(method="min", ascending=ascending, na_option="bottom")
    ranks = competition_ranks(values, ascending=ascending)
    assert ranks.tolist() == expected.astype(int).tolist()
    assert ranks[1] == ranks[4] == 4


def test_matrix_rows_match_pandas_competition_ranks() -> None:
    rng = np.random.default_rng(3)
    totals = rng.integers(0, 6, size=(200, 9)).astype(float) / 2  # many ties
    expected = pd.DataFrame(totals).rank(axis=1, method="min", ascending=False).to_numpy()
    assert (competition_ranks(totals) == expected).all()


def test_matrix_ignores_float_noise() -> None:
    assert competition_ranks(np.array([[0.1 + 0.2, 0.3, 0.2]])).tolist() == [[1, 1, 3]]


@pytest.mark.parametrize("ascending", [False, True])
def test_each_row_of_a_matrix_ranks_as_it_does_alone(ascending: bool) -> None:
    rng = np.random.default_rng(8)
    totals = rng.integers(0, 40, size=(50, 12)) / 4 + rng.normal(0, 1e-9, size=(50, 12))
    totals[3, [2, 5]] = np.nan
    matrix = competition_ranks(totals, ascending=ascending)
    rows = np.stack([competition_ranks(row, ascending=ascending) for row in totals])
    assert (matrix == rows).all()


def test_rank_keys_are_the_totals_as_shown_to_two_decimals() -> None:
    # Rule changed: totals are ranked on the value shown (two decimals), not to 6 decimals, so
    # 90.004 (shown 90.00) ties with 90.0; 90.006 (shown 90.01) is ahead.
    keys = rank_keys([89.99999999999999, 90.0, 90.000001, 90.0000004, 90.004, 90.006])
    assert keys[0] == keys[1] == keys[2] == keys[3] == keys[4] == 90.0
    assert keys[5] == 90.01


def test_rank_keys_to_six_decimals_keep_real_differences() -> None:
    keys = rank_keys([89.99999999999999, 90.0, 90.000001, 90.0000004], NOISE_DECIMALS)
    assert keys[0] == keys[1] == keys[3] and keys[2] > keys[1]


def test_float_noise_on_either_side_of_a_half_neither_splits_nor_ties() -> None:
    # 82.745 computed two ways lands on either side of the half: one key, not 82.74 and 82.75.
    below, above = 82.745 - 1e-12, 82.745 + 1e-12
    assert rank_keys([below])[0] == rank_keys([above])[0]
    assert competition_ranks([below, above]).tolist() == [1, 1]


@pytest.mark.parametrize(
    ("totals", "shown_ties", "ranks"),
    [
        ([82.7382, 82.7396, 82.75], "82.74 82.74 82.75", [2, 2, 1]),
        ([76.9014, 76.8984, 76.8949], "76.90 76.90 76.89", [1, 1, 3]),
        ([70.004, 70.0, 69.996], "70.00 70.00 70.00", [1, 1, 1]),
    ],
)
def test_units_shown_with_equal_totals_share_a_rank(
    totals: list[float], shown_ties: str, ranks: list[int]
) -> None:
    assert " ".join(f"{v:.2f}" for v in totals) == shown_ties
    assert competition_ranks(totals).tolist() == ranks


@pytest.mark.parametrize(
    ("totals", "vetoed", "ranks"),
    [
        # Units without a veto first, by total; then vetoed units, by total.
        ([90, 80, 95, 70, 85], [False, False, True, False, True], [1, 2, 4, 3, 5]),
        ([90, 90, 95, 95], [False, False, True, True], [1, 1, 3, 3]),  # ties on each side
        ([90, 80], [True, True], [1, 2]),  # all vetoed: by total
        ([90, 80], [False, False], [1, 2]),
        ([np.nan, 60, 99], [False, False, True], [2, 1, 3]),  # a veto ranks after a missing total
        ([np.nan, 60, np.nan], [False, True, True], [1, 2, 3]),
    ],
)
def test_vetoed_units_rank_after_every_unit_without_a_veto(
    totals: list[float], vetoed: list[bool], ranks: list[int]
) -> None:
    assert competition_ranks(totals, vetoed=vetoed).tolist() == ranks


def test_vetoes_rank_last_in_every_row_of_a_matrix() -> None:
    rng = np.random.default_rng(5)
    totals = rng.integers(0, 20, size=(40, 7)) / 2
    vetoed = np.array([False, True, False, False, True, False, False])
    matrix = competition_ranks(totals, vetoed=vetoed)
    rows = np.stack([competition_ranks(row, vetoed=vetoed) for row in totals])
    assert (matrix == rows).all()
    assert (matrix[:, vetoed] > matrix[:, ~vetoed].max(axis=1, keepdims=True)).all()
