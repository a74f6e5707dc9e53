"""Methodology view model: rubric tables, rules in words, inspection groups, what-if, ties."""

from __future__ import annotations

import pandas as pd
import pytest

from evalcore.rubric import load_rubric
from evalcore.views import methodology as mv


@pytest.fixture(scope="module")
def zj():
    return load_rubric("zj-2020")


@pytest.mark.parametrize("version", ["zj-2020", "jx-2022"])
def test_indicator_tables_cover_the_rubric(version) -> None:
    rubric = load_rubric(version)
    tables = [mv.indicator_table(rubric, d.code, "zh") for d in rubric.dimensions]
    assert sum(len(t) for t in tables) == len(rubric.indicators)
    for d, table in zip(rubric.dimensions, tables, strict=True):
        assert table["满分"].sum() == pytest.approx(d.max)
    assert sum(t["满分"].sum() for t in tables) == pytest.approx(rubric.rubric.base_total)


def test_zj_has_23_indicators_worth_100(zj) -> None:
    dims = mv.dimension_table(zj, "en")
    assert dims["Indicators"].sum() == 23 and dims["Points"].sum() == 100


def test_derived_indicators_name_their_metric(zj) -> None:
    table = mv.indicator_table(zj, "C", "en").set_index("Code")
    assert table.loc["C1", "Scored by"] == "📊 computed from data: start_rate"
    assert table.loc["C4", "Scored by"] == "✍️ scored by evaluators"
    assert table.loc["C1", "Verified by"] == "Third-party evaluation"
    assert table.loc["C1", "Scoring rule"].startswith("8 ×")


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("zh", "A 统筹领导 · 20分 · 5项指标"),
     ("en", "A Leadership and coordination · 20 points · 5 indicators")],
)
def test_dimension_heading(zj, lang, heading) -> None:
    assert mv.dimension_heading(zj, "A", lang) == heading


def test_bonus_and_deduction_tables(zj) -> None:
    bonus = mv.bonus_table(zj, "zh")
    assert len(bonus) == 8 and set(bonus["分组上限"]) == {6.0, 4.0}
    assert "10" in mv.bonus_rule(zj, "zh")
    deductions = mv.deduction_table(zj, "zh")
    assert deductions["代码"].tolist() == ["P1", "SC"]
    head, vetoes = mv.veto_lines(zj, "zh")
    assert "不合格" in head and vetoes == ["V1 发生重大安全事故", "V2 数据弄虚作假"]
    assert "15%" in mv.credibility_text(zj, "zh") and "3项" in mv.credibility_text(zj, "zh")


@pytest.mark.parametrize(
    ("lang", "total", "ranks", "veto"),
    [("zh", "满分100分", "两位小数", "所有未被否决的单位之后"),
     ("en", "at most 100", "two decimals", "ranks after every unit without a veto")],
)
def test_the_rules_in_words_say_how_ranks_and_vetoes_work(zj, lang, total, ranks,
                                                           veto) -> None:
    rule = mv.total_rule(zj, lang)
    assert total in rule and ranks in rule and "1, 2, 2, 4" in rule.replace("、", ", ")
    assert veto in rule
    head, _ = mv.veto_lines(zj, lang)
    assert veto in head


def test_grade_bands_best_first_with_bounds(zj) -> None:
    table = mv.grade_table(zj, "en")
    assert table["Grade"].tolist() == ["Excellent", "Good", "Pass", "Fail"]
    assert table["Score range"].tolist() == ["[90, 110]", "[80, 90)", "[60, 80)", "[0, 60)"]


@pytest.mark.parametrize(
    ("version", "needle"), [("zj-2020", "核验阶段"), ("jx-2022", "市县自评 30%")])
def test_reconciliation_in_plain_words(version, needle) -> None:
    assert needle in mv.reconciliation_text(load_rubric(version), "zh")


def test_source_note_says_constructed(zj) -> None:
    assert "非官方" in mv.source_note(zj, "zh") and "not the official" in mv.source_note(zj, "en")


def test_inspection_table_flags_own_city() -> None:
    regions = pd.DataFrame({"code": ["330100", "330200"], "name": ["杭州市", "宁波市"]})
    groups = pd.DataFrame({"group_no": [1, 2], "leader_city_code": ["330100", "330200"],
                           "inspected_city_code": ["330200", "330200"]})
    table = mv.inspection_table(groups, regions, "zh")
    assert table["带队城市"].tolist() == ["杭州市", "宁波市"]
    assert table["检查本市"].tolist() == ["否 ✅", "是 ❌"]


def test_weights_and_rescaling(zj) -> None:
    weights = mv.default_weights(zj)
    assert mv.weight_pairs(weights) == (("A", 20.0), ("B", 15.0), ("C", 35.0), ("D", 10.0),
                                        ("E", 20.0))
    text = mv.rescaled_text(zj, {**weights, "C": 0.0}, "en")
    assert "C 0.0" in text and "A 30.8" in text  # 20 of 65, rescaled to 100


def test_whatif_frame_shows_new_and_base_rank() -> None:
    result = pd.DataFrame({"unit_code": ["b", "a"], "unit_name": ["乙", "甲"], "rank": [1, 2],
                           "total": [91.234, 90.0], "base_rank": [2, 1],
                           "base_total": [89.0, 92.0], "rank_change": [1, -1]})
    frame = mv.whatif_frame(result, "zh")
    assert frame["单位"].tolist() == ["乙", "甲"]
    assert frame["变化"].tolist() == ["▲1", "▼1"]
    assert frame["新总分"].tolist() == [91.23, 90.0]


def test_uncertainty_frame_names_tied_units() -> None:
    board = pd.DataFrame({"unit_code": ["a", "b", "c"], "unit_name": ["甲", "乙", "丙"]})
    u = pd.DataFrame({"unit_code": ["b", "a", "c"], "rank": [2, 1, 3], "rank_p05": [1, 1, 3],
                      "rank_median": [2.0, 1.0, 3.0], "rank_p95": [2, 2, 3],
                      "p_top3": [1.0, 1.0, 0.5], "tie_group": [1, 1, 2],
                      "tied_with": [["a"], ["b"], []]})
    frame = mv.uncertainty_frame(u, board, "zh")
    assert frame["单位"].tolist() == ["甲", "乙", "丙"]
    assert frame["名次区间(90%)"].tolist() == ["1–2", "1–2", "3"]
    assert frame["与之并列"].tolist() == ["乙", "甲", ""]
    assert frame["前三概率"].tolist() == ["100%", "100%", "50%"]


def test_uncertainty_text_states_draws_and_noise(zj) -> None:
    text = mv.uncertainty_text(zj, "en")
    assert "1000 simulations" in text and "±10%" in text and "Statistically tied" in text


def test_tie_colours_grey_for_untied_units() -> None:
    from evalcore.figures.methodology import UNTIED, tie_colours

    u = pd.DataFrame({"tie_group": [1, 2, 2, 3], "tied_with": [[], ["c"], ["b"], []]})
    colours = tie_colours(u)
    assert colours[0] == colours[3] == UNTIED
    assert colours[1] == colours[2] != UNTIED
