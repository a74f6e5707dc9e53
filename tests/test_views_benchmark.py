"""Benchmark view models: default unit, radar shares, gap tables, the closing set in words."""

from __future__ import annotations

import pandas as pd
import pytest

from evalcore.rubric import load_rubric
from evalcore.views import benchmark as view

ZJ = load_rubric("zj-2020")
DIMS = ["A", "B", "C", "D", "E"]  # max 20, 15, 35, 10, 20


def _board() -> pd.DataFrame:
    rows = [("330100", "杭州市", 1, 95.0, [19, 14, 33, 9, 20]),
            ("330200", "宁波市", 2, 90.0, [18, 13, 31, 9, 19]),
            ("330300", "温州市", 3, 80.0, [16, 12, 28, 8, 16])]
    return pd.DataFrame([{"unit_code": c, "unit_name": n, "rank": r, "total": t,
                          **dict(zip(DIMS, d, strict=True))} for c, n, r, t, d in rows])


def _gaps() -> pd.DataFrame:
    scopes = ["total", *DIMS]
    return pd.DataFrame({
        "scope": scopes, "own": [80, 16, 12, 28, 8, 16], "leader": [95, 19, 14, 33, 9, 20],
        "above": [90, 18, 13, 31, 9, 19], "median": [90, 18, 13, 31, 9, 19],
    }).assign(gap_to_leader=lambda g: g["leader"] - g["own"],
              gap_to_above=lambda g: g["above"] - g["own"])


@pytest.mark.parametrize(("codes", "expected"), [
    (["330100", "330200", "330300"], "330200"),
    (["330100"], "330100"),
])
def test_default_unit_is_the_runner_up(codes, expected) -> None:
    board = _board().loc[lambda b: b["unit_code"].isin(codes)]
    assert view.default_unit(board) == expected


@pytest.mark.parametrize(("unit", "expected"), [("330100", "330200"), ("330300", "330100")])
def test_runner_up_is_the_best_other_unit(unit, expected) -> None:
    assert view.runner_up(_board(), unit) == expected


def test_radar_shares_of_each_dimension_max() -> None:
    radar = view.radar_frame(_gaps(), ZJ, "zh")
    assert radar["label"].tolist()[0] == "A 统筹领导"
    assert radar["own"].round(4).tolist() == [0.8, 0.8, 0.8, 0.8, 0.8]
    assert radar["leader"].round(4).tolist() == [0.95, round(14 / 15, 4), round(33 / 35, 4),
                                                 0.9, 1.0]
    assert view.radar_floor(radar) == 70


def test_radar_with_a_rival_replaces_the_leader() -> None:
    rival = _board().set_index("unit_code").loc["330200"]
    radar = view.radar_frame(_gaps(), ZJ, "en", rival)
    assert radar["leader"].round(4).tolist()[0] == 0.9


@pytest.mark.parametrize(("lowest", "floor"), [(0.93, 80), (0.75, 60), (0.12, 0), (0.05, 0)])
def test_radar_floor(lowest, floor) -> None:
    radar = pd.DataFrame({"own": [lowest, 1.0], "median": [1.0, 1.0], "leader": [1.0, 1.0]})
    assert view.radar_floor(radar) == floor


def test_gap_frame_columns_and_values() -> None:
    shown = view.gap_frame(_gaps(), ZJ, {"above": "上一名 宁波市", "leader": "第一名 杭州市"}, "zh")
    assert list(shown.columns) == ["项目", "本单位", "上一名 宁波市", "与上一名差距", "第一名 杭州市",
                                   "与第一名差距"]
    assert shown["项目"].tolist()[:2] == ["总分", "A 统筹领导"]
    assert shown["与上一名差距"].tolist()[0] == 10 and shown["与第一名差距"].tolist()[0] == 15


def test_lead_frame_of_the_leader() -> None:
    shown = view.lead_frame(_board(), "330100", "330200", ZJ, {"second": "宁波市"}, "en")
    assert shown["Lead"].tolist() == [5.0, 1.0, 1.0, 2.0, 0.0, 1.0]
    assert shown["宁波市"].tolist()[0] == 90.0


def _closing() -> pd.DataFrame:
    return pd.DataFrame({"indicator_code": ["C4", "A2"], "dimension_code": ["C", "A"],
                         "points": [4.2, 4.95], "max_points": [6.0, 5.0], "gain": [1.8, 0.05],
                         "new_total": [81.8, 81.85]})


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "提高 C4 征求意见与方案公示 1.8 分、A2 责任主体和实施主体明确 0.05 分，即可超过 宁波市。"),
    ("en", "Raise C4 Consultation and publicity 1.8 pts, A2 Responsible and implementing "
           "entities named 0.05 pts to overtake 宁波市."),
])
def test_closing_sentence(lang, expected) -> None:
    assert view.closing_sentence(_closing(), ZJ, "宁波市", lang) == expected


def test_closing_frame() -> None:
    shown = view.closing_frame(_closing(), ZJ, "zh")
    assert shown["指标"].tolist() == ["C4 征求意见与方案公示", "A2 责任主体和实施主体明确"]
    assert shown["需提高"].tolist() == [1.8, 0.05]
    assert shown["提分后总分"].tolist() == [81.8, 81.85]


def test_losses_frame_names_the_best_unit() -> None:
    losses = pd.DataFrame({"indicator_code": ["C3"], "dimension_code": ["C"], "own": [3.8],
                           "best": [5.8], "best_unit": ["330100"], "lost": [2.0]})
    shown = view.losses_frame(losses, ZJ, {"330100": "杭州市"}, "zh")
    assert shown.iloc[0].tolist() == ["C3 改造内容丰富", 3.8, 5.8, "杭州市", 2.0]


def test_unit_history_oldest_first() -> None:
    history = pd.DataFrame({"unit_code": ["A", "A", "B"], "year": [2022, 2021, 2022],
                            "rank": [2, 5, 1], "total": [90.0, 80.0, 95.0]})
    assert view.unit_history(history, "A")["rank"].tolist() == [5, 2]


def test_unit_name_map() -> None:
    assert view.unit_name_map(_board(), "en")["330100"] == "杭州市 (330100)"
    assert view.unit_name_map(_board(), "zh")["330100"] == "杭州市"
