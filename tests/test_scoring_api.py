"""The scoring package's public surface: importable without Streamlit, pure, documented shape."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from scoring_fixtures import ZJ, synthetic_round

import evalcore.scoring as scoring
from evalcore.scoring import indicator_table, leaderboard


def test_scoring_imports_without_streamlit() -> None:
    code = "import sys, evalcore.scoring; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_public_api_is_exported() -> None:
    for name in ("leaderboard", "indicator_table", "rank_uncertainty", "what_if",
                 "benchmark_report", "credibility_report", "bonus_report", "city_rollup"):
        assert callable(getattr(scoring, name)) and name in scoring.__all__


def test_scoring_does_not_mutate_its_inputs() -> None:
    inputs = synthetic_round(ZJ, cities=3, counties=6, seed=1)
    before = {n: getattr(inputs, n).copy() for n in ("units", "scores", "metrics",
                                                       "bonus_claims", "deductions")}
    leaderboard(inputs, "county")
    scoring.rank_uncertainty(inputs, "county", draws=20)
    scoring.city_rollup(inputs)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(inputs, name), frame)


def test_indicator_table_has_one_row_per_unit_and_indicator() -> None:
    inputs = synthetic_round(ZJ, cities=3, counties=0, seed=2)
    table = indicator_table(inputs)
    assert len(table) == 3 * len(ZJ.indicators)
    assert {"unit_code", "unit_name", "indicator_code", "dimension_code", "max_points", "self",
            "cross", "third_party", "points", "verified", "source_stage", "derived",
            "no_data"} <= set(table.columns)
    assert not table.duplicated(["unit_code", "indicator_code"]).any()


def test_leaderboard_sorted_by_rank_with_dimension_columns_in_rubric_order() -> None:
    board = leaderboard(synthetic_round(ZJ, cities=11, counties=0, seed=3))
    assert board["rank"].is_monotonic_increasing
    dims = [c for c in board.columns if c in {"A", "B", "C", "D", "E"}]
    assert dims == ["A", "B", "C", "D", "E"]
    assert list(board.columns[:7]) == ["unit_code", "unit_name", "rank", "total", "grade",
                                       "grade_name_zh", "grade_name_en"]
