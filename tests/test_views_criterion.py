"""Criterion view models: options from the rubric, rank order, stages, points lost."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evalcore.rubric import load_rubric
from evalcore.views import criterion as view

ZJ = load_rubric("zj-2020")
BOARD = pd.DataFrame({"unit_code": ["B", "A", "C"], "unit_name": ["乙市", "甲市", "丙市"],
                      "rank": [1, 2, 3]})


def _table(code: str = "A1", max_points: float = 4.0) -> pd.DataFrame:
    """Three units on one indicator (units in code order, as the engine returns them)."""
    return pd.DataFrame({
        "unit_code": ["A", "B", "C"], "unit_name": ["甲市", "乙市", "丙市"],
        "indicator_code": code, "dimension_code": code[0], "max_points": max_points,
        "derived": False, "self": [4.0, 3.0, 3.8], "cross": [3.0, 3.0, 3.6],
        "third_party": [2.8, float("nan"), 3.5], "no_data": [False, False, True],
        "points": [3.0, 3.0, 0.0], "verified": [True, False, True],
    })


@pytest.mark.parametrize(("dimension", "expected"), [
    ("A", ["A1", "A2", "A3", "A4", "A5"]),
    ("C", ["C1", "C2", "C3", "C4", "C5", "C6"]),
    ("D", ["D1", "D2", "D3"]),
])
def test_indicator_options_follow_the_dimension(dimension, expected) -> None:
    assert view.indicator_options(ZJ, dimension) == expected


@pytest.mark.parametrize(("code", "has_detail"), [("A1", True), ("C1", False), ("C5", False),
                                                  ("E2", True)])
def test_derived_indicators_have_no_stage_detail(code, has_detail) -> None:
    assert view.has_stage_detail(ZJ.indicator(code)) is has_detail


@pytest.mark.parametrize(("stage", "column"), [("final", "points"), ("self", "self"),
                                               ("third_party", "third_party")])
def test_stage_column(stage, column) -> None:
    assert view.stage_column(stage) == column


@pytest.mark.parametrize(("lang", "labels"), [("zh", ["乙市", "甲市", "丙市"]),
                                              ("en", ["乙市 (B)", "甲市 (A)", "丙市 (C)"])])
def test_indicator_rows_in_rank_order_with_labels(lang, labels) -> None:
    rows = view.indicator_rows(_table(), "A1", BOARD, lang)
    assert rows["unit_code"].tolist() == ["B", "A", "C"]
    assert rows["label"].tolist() == labels


def test_distribution_reads_the_stage_column() -> None:
    rows = view.indicator_rows(_table(), "A1", BOARD, "zh")
    assert view.distribution(rows, "final")["value"].tolist() == [3.0, 3.0, 0.0]
    assert view.distribution(rows, "self")["value"].tolist() == [3.0, 4.0, 3.8]


def test_stage_comparison_takes_the_engine_flag_and_sorts_most_inflated_first() -> None:
    rows = view.indicator_rows(_table(), "A1", BOARD, "zh")
    inflation = pd.DataFrame({"unit_code": ["A", "B"], "indicator_code": "A1",
                              "inflation": [0.25, 0.0], "inflated": [True, False]})
    comp = view.stage_comparison(rows, inflation)
    assert comp["unit_code"].tolist() == ["A", "B", "C"]  # C has no self row in the table
    assert comp["inflated"].tolist() == [True, False, False]


def test_lost_matrix_units_in_rank_order_and_indicators_grouped() -> None:
    table = pd.concat([_table("A1", 4.0), _table("B1", 4.0)], ignore_index=True)
    lost = view.lost_matrix(table, ZJ, BOARD, "final")
    assert list(lost.index) == ["B", "A", "C"]
    assert list(lost.columns) == view.grouped_indicator_codes(ZJ)
    assert lost.loc["C", "A1"] == 4.0 and lost.loc["A", "B1"] == 1.0
    assert math.isnan(lost.loc["A", "C1"])  # an indicator not in the table stays empty


def test_grouped_codes_and_spans_cover_every_indicator() -> None:
    codes = view.grouped_indicator_codes(ZJ)
    assert sorted(codes) == sorted(i.code for i in ZJ.indicators)
    spans = view.dimension_spans(ZJ, "en")
    assert [s[0] for s in spans] == ["A", "B", "C", "D", "E"]
    assert spans[-1][2] == len(codes) - 1
    assert view.dimension_spans(ZJ, "zh")[0][0] == "A 统筹领导"


def test_detail_frame_marks_unverified_and_no_data() -> None:
    rows = view.indicator_rows(_table(), "A1", BOARD, "zh")
    shown = view.detail_frame(rows, BOARD, "zh")
    assert shown["排名"].tolist() == [1, 2, 3]
    assert shown["最终得分"].tolist() == [3.0, 3.0, 0.0]
    assert shown["核验"].tolist() == ["⚠ 未核验", "✓", "✓"]
    assert shown["无数据"].tolist() == ["", "", "∅"]


def test_metric_detail_shows_the_metric_in_percent() -> None:
    rows = view.indicator_rows(_table("C1", 8.0), "C1", BOARD, "en")
    metrics = pd.DataFrame({"unit_code": ["A", "B", "C"], "metric": "start_rate",
                            "value": [0.9, 1.05, float("nan")]})
    shown = view.metric_detail_frame(view.metric_rows(rows, metrics, "start_rate"), BOARD, "en")
    assert shown["Metric value (%)"].tolist()[:2] == [105.0, 90.0]
    assert math.isnan(shown["Metric value (%)"].iloc[2])


@pytest.mark.parametrize(("code", "expected"), [
    ("C1", [(80.0, "<80% → 0 分")]),
    ("C5", [(90.0, "≥90% → 6 分"), (80.0, "≥80% → 4 分"), (70.0, "≥70% → 2 分")]),
    ("C2", []),
    ("A1", []),
])
def test_metric_thresholds(code, expected) -> None:
    got = view.metric_thresholds(ZJ.indicator(code), "zh")
    assert [(round(x, 6), text) for x, text in got] == expected
