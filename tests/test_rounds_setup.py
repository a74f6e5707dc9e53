"""The rules of setting a round up (evalcore/rounds_setup.py): the rotation, the checks of a
groups table and of deadlines, and what a round lacks without targets."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from evalcore import rounds_setup
from evalcore.demo.evaluation import generate_groups
from evalcore.messages import render

CITIES = {f"33{i:02d}00": name for i, name in enumerate(
    ["杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "衢州市", "舟山市",
     "台州市", "丽水市"], start=1)}
CODES = list(CITIES)


def codes(findings) -> list[str]:
    return [f.message.code for f in findings]


# -- the rotation ----------------------------------------------------------------------------

@pytest.mark.parametrize("year", range(2015, 2040))
def test_the_rotation_is_a_valid_assignment_every_year(year) -> None:
    groups = rounds_setup.suggest_groups(CODES, year)
    assert rounds_setup.check_groups(groups, CITIES) == []
    assert groups["group_no"].tolist() == list(range(1, 12))
    assert groups["leader_city_code"].tolist() == CODES
    assert sorted(groups["inspected_city_code"]) == CODES  # each city inspected exactly once
    k = 1 + year % 10
    assert (groups["inspected_city_code"] == [CODES[(i + k) % 11] for i in range(11)]).all()


@pytest.mark.parametrize(("year", "k"), [(2020, 1), (2023, 4), (2024, 5), (2029, 10), (2030, 1)])
def test_the_step_moves_by_one_a_year_and_is_never_0(year, k) -> None:
    assert rounds_setup.rotation_step(11, year) == k


def test_the_rotation_is_deterministic_whatever_the_order_given() -> None:
    a = rounds_setup.suggest_groups(CODES, 2024)
    b = rounds_setup.suggest_groups(list(reversed(CODES)), 2024)
    pd.testing.assert_frame_equal(a, b)


def test_the_rotation_is_the_demos(demo_store) -> None:
    demo = generate_groups(demo_store.regions())
    for year, groups in demo.groupby("round_year"):
        suggested = rounds_setup.suggest_groups(CODES, int(year))
        assert groups["inspected_city_code"].tolist() == suggested["inspected_city_code"].tolist()


# -- checking a groups table -------------------------------------------------------------

def _valid() -> pd.DataFrame:
    return rounds_setup.suggest_groups(CODES, 2024)


def test_a_group_inspecting_its_own_city_is_named_with_its_city() -> None:
    groups = _valid()
    swap = groups.loc[0, "inspected_city_code"]  # group 1 (杭州) inspects 绍兴; give it 杭州
    groups.loc[0, "inspected_city_code"] = "330100"
    groups.loc[groups["inspected_city_code"].eq("330100") & (groups.index > 0),
               "inspected_city_code"] = swap
    found = rounds_setup.check_groups(groups, CITIES)
    assert codes(found) == ["setup_group_own_city"]
    assert (found[0].row, found[0].column) == (0, "inspected_city_code")
    assert render(found[0].message, "zh") == "第 1 组由杭州市牵头，不能检查本市"
    assert render(found[0].message, "en") == (
        "group 1 is led by 杭州市 and cannot inspect its own city")


@pytest.mark.parametrize(("change", "expected"), [
    (lambda g: g.drop(index=10), ["setup_groups_count", "setup_city_leads_no_group", "setup_city_not_inspected"]),
    (lambda g: g.assign(group_no=[1, 1, *range(3, 12)]), ["setup_group_number_duplicate"]),
    (lambda g: g.assign(group_no=[0, *range(2, 12)]), ["setup_group_number_invalid"]),
    (lambda g: g.assign(group_no=[1.5, *range(2, 12)]), ["setup_group_number_invalid"]),
    (lambda g: g.assign(leader_city_code=["330100", *CODES[:10]]),
     ["setup_city_leads_no_group", "setup_city_leads_twice"]),
    (lambda g: g.assign(inspected_city_code=[CODES[2], *g["inspected_city_code"][1:]]),
     ["setup_city_not_inspected", "setup_city_inspected_twice"]),
    (lambda g: g.assign(leader_city_code=["330106", *CODES[1:]]),
     ["setup_group_not_a_city", "setup_city_leads_no_group"]),
    (lambda g: g.assign(leader_name=["张" * 51] + [None] * 10), ["setup_group_text_too_long"]),
    (lambda g: g.iloc[0:0], ["setup_groups_count"]),
])
def test_every_problem_of_a_groups_table_is_found(change, expected) -> None:
    found = rounds_setup.check_groups(change(_valid()), CITIES)
    assert sorted(codes(found)) == sorted(expected)
    for finding in found:  # each says what it is about in both languages
        assert render(finding.message, "zh") and render(finding.message, "en")


def test_clean_groups_stores_whole_numbers_and_empty_texts_as_null() -> None:
    groups = _valid().assign(group_no=[float(i) for i in range(1, 12)],
                             leader_name=[" 张三 ", "", *[None] * 9])
    clean = rounds_setup.clean_groups(groups, 2024)
    assert clean["group_no"].tolist() == list(range(1, 12))
    assert clean["leader_name"].tolist()[:3] == ["张三", None, None]
    assert list(clean.columns) == list(rounds_setup.GROUP_COLUMNS)


# -- checking deadlines ----------------------------------------------------------------------

def _deadlines(**windows) -> pd.DataFrame:
    return rounds_setup.deadline_rows(2024, windows)


def test_valid_deadlines() -> None:
    stages = _deadlines(self=(None, date(2024, 3, 31)),
                        cross=(date(2024, 4, 1), date(2024, 4, 30)),
                        third_party=(date(2024, 4, 15), date(2024, 5, 31)))  # may overlap
    assert rounds_setup.check_deadlines(2024, stages) == []


@pytest.mark.parametrize(("windows", "expected"), [
    ({"cross": (date(2024, 5, 1), date(2024, 4, 1))}, ["setup_deadline_reversed"]),
    ({"self": (None, date(2022, 12, 31))}, ["setup_deadline_out_of_range"]),
    ({"third_party": (date(2025, 12, 1), date(2026, 1, 1))}, ["setup_deadline_out_of_range"]),
    ({"self": (None, date(2024, 4, 1)), "cross": (date(2024, 4, 1), date(2024, 4, 30))},
     ["setup_deadline_self_after_cross"]),
    ({"cross": (date(2024, 4, 1), date(2024, 4, 30)),
      "third_party": (date(2024, 3, 1), date(2024, 5, 31))}, ["setup_deadline_third_before_cross"]),
])
def test_deadline_problems(windows, expected) -> None:
    found = rounds_setup.check_deadlines(2024, _deadlines(**windows))
    assert [m.code for m in found] == expected
    assert all(render(m, "zh") and render(m, "en") for m in found)


def test_the_range_is_the_round_year_one_year_either_side() -> None:
    assert rounds_setup.deadline_range(2024) == (date(2023, 1, 1), date(2025, 12, 31))
    ok = _deadlines(self=(None, date(2023, 1, 1)), cross=(date(2025, 1, 1), date(2025, 12, 31)))
    assert rounds_setup.check_deadlines(2024, ok) == []


def test_new_deadlines_are_checked_with_the_stored_ones() -> None:
    stored = _deadlines(cross=(date(2024, 4, 1), date(2024, 4, 30)))
    new = _deadlines(self=(None, date(2024, 4, 10)))
    merged = rounds_setup.merge_deadlines(stored, new)
    assert merged["stage"].tolist() == ["self", "cross"]
    assert [m.code for m in rounds_setup.check_deadlines(2024, merged)] == [
        "setup_deadline_self_after_cross"]


# -- what a round lacks --------------------------------------------------------------------

def test_a_round_without_targets_says_both_rates_score_0() -> None:
    targets = pd.DataFrame({"year": [2023], "unit_code": ["330000"], "communities": [1]})
    assert [m.code for m in rounds_setup.missing_targets(targets, 2024)] == ["setup_round_no_targets"]
    assert [m.code for m in rounds_setup.missing_targets(targets, 2025)] == [
        "setup_round_no_targets", "setup_round_no_previous_targets"]
    assert rounds_setup.missing_targets(targets.assign(year=2024), 2025)[0].code == (
        "setup_round_no_targets")
    assert rounds_setup.missing_targets(pd.concat([targets, targets.assign(year=2024)]),
                                        2024) == []
