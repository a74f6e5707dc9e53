"""Builders for scoring tests: small hand-made rounds on the real or a tiny custom rubric."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from evalcore.rubric import STAGES, Rubric, load_rubric
from evalcore.scoring import RoundInputs

ZJ = load_rubric("zj-2020")
JX = load_rubric("jx-2022")

UNIT_COLUMNS = ["unit_code", "unit_name", "short_name", "level", "parent_code", "households"]
SCORE_COLUMNS = ["unit_code", "stage", "indicator_code", "points"]
METRIC_COLUMNS = ["unit_code", "metric", "value"]
CLAIM_COLUMNS = [
    "unit_code",
    "stage",
    "category_code",
    "case_no",
    "points_claimed",
    "points_awarded",
]
DEDUCTION_COLUMNS = ["unit_code", "seq", "code", "points"]


def _named(code: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "name_zh": code, "name_en": code, **extra}


TINY: dict[str, Any] = {
    "rubric": {
        "id": "tiny",
        "name_zh": "小",
        "name_en": "tiny",
        "region_code": "330000",
        "base_total": 10,
    },
    "credibility": {"inflation_threshold": 0.15, "min_inflated": 2, "deduction_code": "SC"},
    "dimensions": [_named("X", max=6), _named("Y", max=4)],
    "indicators": [
        _named("X1", dimension="X", max=4, stage="cross"),
        _named("X2", dimension="X", max=2, stage="third_party"),
        _named("Y1", dimension="Y", max=4, stage="third_party"),
    ],
    "bonus": {
        "total_cap": 3,
        "groups": [_named("g", cap=2), _named("h", cap=2)],
        "categories": [
            _named("G1", group="g", points=1, stage="cross"),
            _named("G2", group="g", points=1, stage="cross"),
            _named("G3", group="g", points=1, stage="cross"),
            _named("H1", group="h", points=2, stage="third_party"),
        ],
    },
    "deductions": {
        "total_cap": 3,
        "items": [
            _named("P1", min_points=1, max_points=3, cap=2),
            _named("P2", min_points=0.5, max_points=2, cap=2),
            _named("SC", min_points=1, max_points=1, cap=1),
        ],
    },
    "vetoes": [_named("V1")],
    "grades": [
        _named("top", min=8, max=13),
        _named("mid", min=5, max=8),
        _named("low", min=0, max=5),
    ],
}


def tiny_rubric(**changes: Any) -> Rubric:
    """The tiny rubric, with top-level sections replaced by `changes`."""
    data = copy.deepcopy(TINY)
    data.update(changes)
    return Rubric.model_validate(data)


def rubric_with(rubric: Rubric, **changes: Any) -> Rubric:
    """A copy of a real rubric with top-level sections replaced (validated again)."""
    data = rubric.model_dump()
    data.update(changes)
    return Rubric.model_validate(data)


def units_frame(codes: Sequence[str], level: str = "city", parent: str = "330000",
                households: Sequence[float] | None = None) -> pd.DataFrame:
    """Units named after their codes, all at one level under one parent."""
    households = households if households is not None else [1000.0] * len(codes)
    rows = [(c, f"U{c}", c, level, parent, h) for c, h in zip(codes, households, strict=True)]
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def frame(rows: Iterable[Sequence[Any]] | pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A long input frame from tuples (or pass a frame through)."""
    if isinstance(rows, pd.DataFrame):
        return rows
    out = pd.DataFrame(list(rows), columns=columns)
    return out.astype({c: float for c in columns if c in ("points", "value", "points_claimed",
                                                             "points_awarded")})


def make_inputs(
    rubric: Rubric = ZJ,
    units: pd.DataFrame | Sequence[str] = ("A", "B"),
    scores: Iterable[Sequence[Any]] | pd.DataFrame = (),
    metrics: Iterable[Sequence[Any]] | pd.DataFrame = (),
    claims: Iterable[Sequence[Any]] | pd.DataFrame = (),
    deductions: Iterable[Sequence[Any]] | pd.DataFrame = (),
    year: int = 2020,
) -> RoundInputs:
    """RoundInputs from plain tuples; `units` may be a list of city codes."""
    if not isinstance(units, pd.DataFrame):
        units = units_frame(list(units))
    return RoundInputs(
        year=year,
        rubric=rubric,
        units=units,
        scores=frame(scores, SCORE_COLUMNS),
        metrics=frame(metrics, METRIC_COLUMNS),
        bonus_claims=frame(claims, CLAIM_COLUMNS),
        deductions=frame(deductions, DEDUCTION_COLUMNS),
    )


def uniform_scores(
    rubric: Rubric, unit: str, share: float, stages: Sequence[str] = STAGES
) -> list[tuple[str, str, str, float]]:
    """Every hand-scored indicator at `share` of its max, at each given stage."""
    return [
        (unit, stage, ind.code, ind.max * share)
        for stage in stages
        for ind in rubric.manual_indicators()
    ]


def full_metrics(unit: str, value: float = 1.0) -> list[tuple[str, str, float]]:
    """Every metric at `value` (1.0 = full derived points except band-coded satisfaction)."""
    names = ("start_rate", "completion_rate", "investment_execution", "pm_coverage",
             "satisfaction")
    return [(unit, name, value) for name in names]


def synthetic_round(
    rubric: Rubric = ZJ, cities: int = 11, counties: int = 90, seed: int = 42,
    claims_per_unit: int = 3,
) -> RoundInputs:
    """A deterministic full round (11 cities + 90 counties by default), random.Random(seed)."""
    rng = random.Random(seed)
    city_codes = [f"33{i + 1:02d}00" for i in range(cities)]
    units = [units_frame(city_codes, "city", "330000", [rng.randint(1, 9) * 1e4] * cities)]
    for i, city in enumerate(city_codes):
        count = counties // cities + (i < counties % cities)
        codes = [f"{city[:4]}{j + 1:02d}" for j in range(count)]
        units.append(units_frame(codes, "county", city,
                                 [rng.randint(100, 9000) for _ in codes]))
    unit_frame = pd.concat(units, ignore_index=True)
    scores, metrics, claims, deductions = [], [], [], []
    for code in unit_frame["unit_code"]:
        quality = rng.uniform(0.5, 1.0)
        for ind in rubric.manual_indicators():
            verified = round(ind.max * min(1.0, quality + rng.uniform(-0.2, 0.2)), 1)
            verified = max(0.0, verified)
            self_points = min(ind.max, round(verified + rng.uniform(0, 0.3) * ind.max, 1))
            scores += [(code, "self", ind.code, self_points), (code, "cross", ind.code, verified),
                       (code, "third_party", ind.code, verified)]
        metrics += [(code, m, rng.uniform(0.6, 1.1)) for m in
                    ("start_rate", "completion_rate", "investment_execution", "pm_coverage")]
        metrics.append((code, "satisfaction", rng.uniform(0.6, 1.0)))
        for case, cat in enumerate(rng.sample(rubric.bonus.categories,
                                              min(claims_per_unit, len(rubric.bonus.categories)))):
            claims.append((code, "self", cat.code, case + 1, cat.points, None))
            claims.append((code, cat.stage, cat.code, case + 1, cat.points,
                           cat.points * rng.randint(0, 1)))
        if rng.random() < 0.2 and rubric.deductions.items:
            deductions.append((code, 1, rubric.deductions.items[0].code, 1.0))
    return make_inputs(rubric, unit_frame, scores, metrics, claims, deductions)


def tiny_verified(unit: str, x1: float, x2: float, y1: float) -> list[tuple[str, str, str, float]]:
    """Tiny-rubric rows at each indicator's verifying stage (X1 cross, X2 and Y1 third party)."""
    return [
        (unit, "cross", "X1", x1),
        (unit, "third_party", "X2", x2),
        (unit, "third_party", "Y1", y1),
    ]


def board_row(board: pd.DataFrame, unit: str) -> pd.Series:
    """The leaderboard row of one unit."""
    return board.set_index("unit_code").loc[unit]
