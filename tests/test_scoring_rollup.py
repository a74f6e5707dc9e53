"""County → city roll-up: household-weighted means beside direct city evaluation."""

from __future__ import annotations

import pandas as pd
import pytest
from scoring_fixtures import make_inputs, tiny_rubric, tiny_verified, units_frame

from evalcore.scoring import RoundInputs, city_rollup, leaderboard

ROLLUP = tiny_rubric(rollup={"city_method": "household_weighted"})
DIRECT = tiny_rubric()

COUNTIES = {  # code: (parent, households, (X1, X2, Y1))
    "330102": ("330100", 300, (4, 2, 4)),  # 10
    "330105": ("330100", 100, (2, 1, 1)),  # 4
    "330203": ("330200", 0, (3, 1, 2)),  # 6
    "330204": ("330200", None, (1, 1, 2)),  # 4
}
CITY_POINTS = {"330100": (1, 1, 1), "330200": (4, 2, 4)}  # direct: 3 and 10


def _inputs(rubric: object, deductions: list | None = None) -> RoundInputs:
    cities = units_frame(list(CITY_POINTS), "city", "330000")
    counties = pd.concat(
        [units_frame([c], "county", parent, [h]) for c, (parent, h, _) in COUNTIES.items()],
        ignore_index=True,
    )
    points = CITY_POINTS | {c: p for c, (_, _, p) in COUNTIES.items()}
    scores = [r for u, p in points.items() for r in tiny_verified(u, *p)]
    return make_inputs(rubric, pd.concat([cities, counties], ignore_index=True), scores,
                       deductions=deductions or [])


def test_household_weighted_means() -> None:
    board = city_rollup(_inputs(DIRECT)).set_index("unit_code")
    hz = board.loc["330100"]
    assert hz[["X", "Y", "base", "total"]].tolist() == pytest.approx([5.25, 3.25, 8.5, 8.5])
    assert (hz["counties"], hz["households"], hz["rank"], hz["grade"]) == (2, 400, 1, "top")
    # Ningbo's counties have no households: plain mean.
    assert board.loc["330200", "total"] == pytest.approx(5.0)
    assert board.loc["330200", "unit_name"] == "U330200"


def test_rubric_default_decides_the_city_leaderboard() -> None:
    direct = leaderboard(_inputs(DIRECT), "city").set_index("unit_code")["total"]
    assert direct.to_dict() == {"330200": 10.0, "330100": 3.0}
    rolled = leaderboard(_inputs(ROLLUP), "city").set_index("unit_code")["total"]
    assert rolled.to_dict() == pytest.approx({"330100": 8.5, "330200": 5.0})
    forced = leaderboard(_inputs(ROLLUP), "city", city_method="direct")
    assert forced.set_index("unit_code")["total"].to_dict() == direct.to_dict()


@pytest.mark.parametrize("veto_unit", ["330105", "330100"])
def test_a_veto_in_a_county_or_the_city_vetoes_the_rolled_up_city(veto_unit: str) -> None:
    board = city_rollup(_inputs(DIRECT, [(veto_unit, 1, "V1", 0.0)])).set_index("unit_code")
    assert board.loc["330100", "vetoed"] and board.loc["330100", "grade"] == "low"
    assert not board.loc["330200", "vetoed"]
    # 8.5 against 5.0, but the vetoed city ranks after the city without a veto.
    assert board["rank"].to_dict() == {"330200": 1, "330100": 2}
