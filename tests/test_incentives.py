"""Incentives (issue #12 §3): the allocation sums to the pool to the fen, ties get equal
amounts, and the rule is validated on load like the rest of the rubric."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from evalcore import incentives
from evalcore.access import FULL
from evalcore.reader import Reader
from evalcore.rubric import Rubric, RubricError, load_rubric, parse_rubric, rubric_path


def board(totals: list[float], grades: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({"unit_code": [f"33{i:04d}" for i in range(len(totals))],
                          "unit_name": [f"U{i}" for i in range(len(totals))],
                          "total": totals, "grade": grades, "vetoed": False})
    frame["rank"] = frame["total"].rank(ascending=False, method="min").astype(int)
    return frame.sort_values("rank").reset_index(drop=True)


@pytest.mark.parametrize(("pool_fen", "weights"), [
    (100, [1, 1, 1]),
    (1_000_001, [1.5, 1.5, 1.0, 0.5, 0.0]),
    (7, [2, 1, 1, 1]),
    (5_000 * 1_000_000 + 3, [1.5] * 27 + [1.0] * 37 + [0.5] * 26),
])
def test_split_sums_exactly_and_ties_are_equal(pool_fen, weights) -> None:
    amounts, exact = incentives.split_fen(pool_fen, weights)
    assert sum(amounts) == pool_fen
    if exact:
        for w in set(weights):
            assert len({a for a, x in zip(amounts, weights, strict=True) if x == w}) == 1
    assert all(a == 0 for a, w in zip(amounts, weights, strict=True) if w == 0)


def test_split_is_exact_for_random_pools() -> None:
    rng = random.Random(42)
    for _ in range(300):
        weights = [rng.choice([0, 0.5, 1.0, 1.5, rng.random() * 20]) for _ in range(rng.randint(1, 90))]
        pool = rng.randint(0, 10**10)
        amounts, exact = incentives.split_fen(pool, weights)
        assert sum(amounts) == (pool if sum(weights) > 0 else 0)
        assert all(a >= 0 for a in amounts)


def test_a_tie_that_cannot_be_split_is_reported() -> None:
    amounts, exact = incentives.split_fen(10, [1.0, 1.0, 1.0])
    assert sum(amounts) == 10 and not exact


def test_demo_round_allocation(demo_store) -> None:
    reader = Reader(demo_store, FULL)
    rubric = reader.round_inputs(2022).rubric
    county = reader.board(2022, "county", "final", None)
    result = incentives.allocate(county, rubric, 5000)
    table = result.table
    assert table["amount_fen"].sum() == 5000 * 1_000_000
    assert result.exact_ties
    for grade, rows in table.groupby("grade"):
        assert rows["amount_fen"].nunique() == 1, grade  # same grade, same amount
    by_grade = table.groupby("grade")["amount_fen"].first()
    assert by_grade["excellent"] > by_grade["good"] > by_grade["pass"]
    assert table["nominated"].sum() == 3 and set(table.loc[table["nominated"], "rank"]) == {1, 2, 3}


def test_threshold_rule_and_what_if(demo_store) -> None:
    reader = Reader(demo_store, FULL)
    rubric = reader.round_inputs(2022).rubric
    rule = rubric.incentives.model_copy(update={"method": "score_above_threshold",
                                                "threshold": 85.0})
    rubric = rubric.model_copy(update={"incentives": rule})
    county = reader.board(2022, "county", "final", None)
    result = incentives.allocate(county, rubric, 1234.5678)
    assert result.table["amount_fen"].sum() == 12_345_678 * 100
    assert (result.table.loc[result.table["total"] <= 85, "amount_fen"] == 0).all()
    weights = tuple((d.code, d.max * (2 if d.code == "C" else 1)) for d in rubric.dimensions)
    other = incentives.allocate(reader.what_if(2022, "county", None, weights), rubric, 1234.5678)
    changes = incentives.compare(result, other)
    assert round(changes["change_yuan"].sum(), 2) == 0


def _rubric_with(rule: str, tmp_path) -> Path:
    """zj-2020 with its incentive rule replaced by `rule` (TOML of the [incentives] table)."""
    text = rubric_path("zj-2020").read_text(encoding="utf-8").split("\n[incentives]")[0]
    rule = rule.replace("[coefficients]", "[incentives.coefficients]")
    path = tmp_path / "zj-test.toml"
    path.write_text(text + "\n[incentives]\n" + rule + "\n", encoding="utf-8")
    tomllib.loads(path.read_text(encoding="utf-8"))
    return path


@pytest.mark.parametrize(("rule", "says"), [
    ('method = "grade_coefficients"\n[coefficients]\nexcellent = 1\ngood = 1\npass = 1',
     "no coefficient for grade(s) fail"),
    ('method = "grade_coefficients"\n[coefficients]\nexcellent = 1\ngood = 1\npass = 1\n'
     'fail = 0\nsuperb = 2', "grade 'superb' does not exist"),
    ('method = "score_above_threshold"', "incentives.threshold: missing"),
    ('method = "score_above_threshold"\nthreshold = 200', "outside 0 to 110"),
    ('method = "lottery"', "method"),
    ('method = "grade_coefficients"\nnominate = -1\n[coefficients]\nexcellent = 1\ngood = 1\n'
     'pass = 1\nfail = 0', "nominate"),
])
def test_a_broken_rule_is_refused_on_load(rule, says, tmp_path) -> None:
    with pytest.raises(RubricError) as error:
        parse_rubric(_rubric_with(rule, tmp_path))
    assert says in str(error.value)


def test_jiangxi_rubric_has_no_rule() -> None:
    assert load_rubric("jx-2022").incentives is None
    assert isinstance(load_rubric("zj-2020"), Rubric)
