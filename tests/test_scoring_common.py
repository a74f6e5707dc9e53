"""The ranking rule (competition_ranks, rank_keys): "1224", float noise, direction, missing
values, and a draws × units matrix ranked row by row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalcore.scoring.common import competition_ranks, rank_keys


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


def test_rank_keys_tie_float_noise_and_keep_real_differences() -> None:
    keys = rank_keys([89.99999999999999, 90.0, 90.000001, 90.0000004])
    assert keys[0] == keys[1] == keys[3] and keys[2] > keys[1]
