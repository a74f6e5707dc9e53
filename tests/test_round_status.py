"""Where a round stands (evalcore/round_status.py) and the Store readers it reads: states per
unit and stage, what is missing, overdue stages and problems, units ranked on unverified
indicators, each bound to the access policy; on both rubrics."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from evalcore import round_status as rs
from evalcore.access import FULL, PUBLIC, Viewer
from evalcore.db import Store
from evalcore.reader import Reader
from evalcore.rubric import load_rubric
from tests.two_rubrics import JX, JX_YEAR


@pytest.fixture(scope="module")
def demo_db_path(workflow_demo_db_path):
    """This module tests the demo's round workflow in progress (the shipped demo)."""
    return workflow_demo_db_path


@pytest.fixture(scope="module")
def demo_store(workflow_demo_db_path):
    """The shipped demo, read-only (the session's demo_store is the workflow-free one)."""
    from evalcore.db import Store

    store = Store(workflow_demo_db_path, read_only=True)
    yield store
    store.close()

YEAR = 2023
AS_OF = date(2024, 3, 25)  # the demo's status date
UNIT = Viewer("unit", unit_code="330106")
GROUP = Viewer("group", group_city_code="330200")  # inspects 绍兴 (330600) in 2023
THIRD = Viewer("third_party")


@pytest.fixture(scope="module")
def full(demo_store) -> rs.RoundStatus:
    return Reader(demo_store, FULL).round_status(YEAR, "county")


# -- pure rules ------------------------------------------------------------------------------

def _frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def test_states_follow_submissions_then_entries() -> None:
    submissions = _frame([("A", "self", "submitted"), ("B", "self", "reopened")],
                         ["unit_code", "stage", "status"])
    entered = _frame([("A", "self"), ("B", "self"), ("C", "self"), ("C", "cross")],
                     ["unit_code", "stage"])
    state = rs.stage_states(["A", "B", "C", "D"], submissions, entered)
    assert state["self"].tolist() == ["submitted", "reopened", "draft", "empty"]
    assert state["cross"].tolist() == ["empty", "empty", "draft", "empty"]


@pytest.mark.parametrize(("closes", "overdue"), [
    (date(2024, 3, 24), [False, True, True, True]),  # closed the day before: not submitted = late
    (date(2024, 3, 25), [False, False, False, False]),  # closes today: not yet overdue
    (None, [False, False, False, False]),  # no deadline set
])
def test_a_stage_is_overdue_when_not_submitted_after_it_closes(closes, overdue) -> None:
    state = pd.DataFrame({"self": ["submitted", "reopened", "draft", "empty"],
                          "cross": "empty", "third_party": "empty"}, index=list("ABCD"))
    deadlines = _frame([] if closes is None else [("self", None, closes)],
                       ["stage", "opens", "closes"])
    assert rs.overdue_stages(state, deadlines, AS_OF)["self"].tolist() == overdue


@pytest.mark.parametrize(("version", "stage", "expected"), [
    ("zj-2020", "self", "all"), ("zj-2020", "cross", "all"),
    ("zj-2020", "third_party", "B3 C3 D2 E4"),  # the hand-scored ones it verifies
    (JX, "self", "all"), (JX, "cross", ""), (JX, "third_party", "all"),  # blend: self, tp
])
def test_expected_indicators_follow_each_rubric(version, stage, expected) -> None:
    rubric = load_rubric(version)
    manual = [i.code for i in rubric.manual_indicators()]
    wanted = manual if expected == "all" else expected.split()
    assert rs.expected_indicators(rubric, stage) == wanted


def test_a_claim_awaits_its_categorys_verifying_stage() -> None:
    bonus = _frame([("A", "self", "F1", 1), ("A", "cross", "F1", 1), ("A", "self", "F2", 1),
                    ("A", "self", "R1", 1), ("B", "self", "F1", 1)],
                   ["unit_code", "stage", "category_code", "case_no"])
    pending = rs.pending_cases(["A"], bonus, load_rubric("zj-2020"))
    assert pending.values.tolist() == [["A", "F2", 1, "cross"], ["A", "R1", 1, "third_party"]]


def test_the_status_date_is_the_demos_own_or_today() -> None:
    today = date(2026, 11, 29)
    assert rs.status_date({"dataset": "demo", "status_as_of": "2024-03-25"}, today) == AS_OF
    assert rs.status_date({"dataset": "real", "status_as_of": "2024-03-25"}, today) == today
    assert rs.status_date({}, today) == today


@pytest.mark.parametrize(("viewer", "offered"), [
    (PUBLIC, False), (UNIT, True), (GROUP, True), (THIRD, True), (Viewer("leader"), True),
    (FULL, True)])
def test_the_page_is_offered_to_who_may_read_submissions(viewer, offered) -> None:
    assert rs.offered(viewer) is offered


# -- the demo's draft round --------------------------------------------------------------

def test_the_demo_round_is_in_progress(full) -> None:
    assert full.as_of == AS_OF and len(full.units) == 90
    deadlines = full.deadlines.set_index("stage")
    assert deadlines["closes"].tolist() == [date(2024, 1, 20), date(2024, 2, 28),
                                            date(2024, 3, 31)]
    assert deadlines["overdue"].tolist() == [True, True, False]
    for stage in ("self", "cross"):  # some submitted, some not
        assert 0 < deadlines.loc[stage, "submitted"] < 90
        assert deadlines.loc[stage, "late"] == 90 - deadlines.loc[stage, "submitted"]
    assert deadlines.loc["self", "reopened"] == 3
    assert deadlines.loc["third_party", "empty"] > 0  # the third party has not visited all
    assert deadlines.loc["third_party", "late"] == 0  # its window is still open


def test_counts_agree_with_the_tables(demo_store, full) -> None:
    units = full.units.set_index("unit_code")
    counts = demo_store.query(
        "SELECT unit_code, count(*) FILTER (status <> 'closed') open, count(*) FILTER "
        "(status <> 'closed' AND deadline < ?) overdue FROM problems WHERE round_year = ? "
        "GROUP BY 1", [AS_OF, YEAR]).set_index("unit_code")
    counties = counts.index.intersection(units.index)
    assert units.loc[counties, "problems_open"].tolist() == counts.loc[counties, "open"].tolist()
    assert units["problems_overdue"].sum() == counts.loc[counties, "overdue"].sum() > 0
    assert len(full.problems) == units["problems_overdue"].sum()
    assert (full.problems["status"] != "closed").all()
    assert (pd.to_datetime(full.problems["deadline"]).dt.date < AS_OF).all()
    assert units["cases_pending"].sum() == len(full.cases) > 0


def test_units_ranked_on_unverified_indicators_are_the_boards(demo_store, full) -> None:
    board = Reader(demo_store, FULL).board(YEAR, "county", "final", None)
    marked = board.loc[board["unverified_count"] > 0, "unit_code"]
    assert full.unverified["unit_code"].tolist() == marked.tolist()  # in rank order
    assert len(full.unverified) == 35  # of 90 counties, in the demo's draft 2023
    assert set(full.unverified["stand_in"]) == {"cross"}  # cross stands in for the third party
    row = full.unverified.iloc[0]
    assert len(row["unverified"].split(", ")) == row["unverified_count"]
    missing = full.missing.set_index("unit_code")
    assert set(missing.loc[missing["stage"] == "third_party"].index) == set(
        full.units.loc[full.units["third_party_state"] == "empty", "unit_code"])


# -- the policy ------------------------------------------------------------------------------

@pytest.mark.parametrize(("viewer", "expected"), [
    (UNIT, {"330106"}), (GROUP, None), (THIRD, "all"), (Viewer("leader"), "all"), (PUBLIC, set())])
def test_readers_return_only_the_viewers_units(demo_store, viewer, expected) -> None:
    every = set(demo_store.query("SELECT code FROM regions WHERE level <> 'province'")["code"])
    if expected == "all":
        expected = every
    elif expected is None:
        expected = set(demo_store.own_units(YEAR, viewer))
    for frame in (demo_store.stage_submissions(YEAR, viewer),
                  demo_store.entered_scores(YEAR, viewer),
                  demo_store.bonus_review_state(YEAR, viewer),
                  demo_store.problem_counts(YEAR, AS_OF, viewer),
                  demo_store.overdue_problems(YEAR, AS_OF, viewer)):
        assert set(frame["unit_code"]) <= expected
    assert set(demo_store.stage_submissions(YEAR, viewer)["unit_code"]) == (
        expected & set(demo_store.stage_submissions(YEAR, FULL)["unit_code"]))
    deadlines = demo_store.stage_deadlines(YEAR, viewer)
    assert len(deadlines) == (0 if viewer == PUBLIC else 3)


def test_the_public_gets_no_status(demo_store) -> None:
    status = Reader(demo_store, PUBLIC).round_status(2022, "county")
    assert status.units.empty and status.unverified.empty and status.problems.empty


def test_a_group_sees_its_inspected_city(demo_store) -> None:
    status = Reader(demo_store, GROUP).round_status(YEAR, "county")
    assert set(status.units["parent_code"]) == {"330600"}
    assert set(status.units["cross_state"]) == {"draft"}  # this group has not submitted
    assert status.units["cross_overdue"].all()


# -- two rubrics -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_rubric_db_path(workflow_demo_db_path, tmp_path_factory):
    """The shipped demo with its draft 2023 on jx-2022 (tests/two_rubrics.py)."""
    from tests.two_rubrics import build_two_rubric_db

    return build_two_rubric_db(workflow_demo_db_path,
                               tmp_path_factory.mktemp("two-status") / "two.duckdb")


def test_a_round_on_another_rubric_is_measured_by_its_own(two_rubric_db_path) -> None:
    with Store(two_rubric_db_path) as store:
        reader = Reader(store, FULL)
        jx = reader.round_status(JX_YEAR, "county")
        zj = reader.round_status(2022, "county")
    manual = [i.code for i in load_rubric(JX).manual_indicators()]
    empty = jx.units.loc[jx.units["third_party_state"] == "empty", "unit_code"]
    assert len(empty) > 0
    missing = jx.missing.set_index(["unit_code", "stage"])
    for unit in empty:  # every jx-2022 hand-scored indicator, none of zj-2020's
        assert missing.loc[(unit, "third_party"), "indicators"] == ", ".join(manual)
    assert "cross" not in set(jx.missing["stage"])  # cross has weight 0 in jx-2022
    assert set(jx.unverified["stand_in"]) == {"blend"}  # renormalised over the stages present
    assert set(jx.unverified["unit_code"]) == set(empty)
    assert zj.unverified.empty and zj.missing.empty  # 2022 (zj-2020) is complete
    assert jx.cases.empty  # jx-2022 has no bonus; its claims went with the copy


def test_recorded_rows_reach_the_status(writable_db) -> None:
    with Store(writable_db, read_only=False) as store:
        with store.writing() as cur:
            cur.execute("DELETE FROM stage_submissions WHERE round_year = ? AND unit_code = ?",
                        [YEAR, "330106"])
            cur.execute("INSERT INTO stage_submissions (round_year, unit_code, stage, status, "
                        "submitted_at, submitted_by) VALUES (?, '330106', 'cross', 'submitted', "
                        "?, 'group:t')", [YEAR, datetime(2024, 2, 20)])
        units = Reader(store, FULL).round_status(YEAR, "county").units.set_index("unit_code")
    assert units.loc["330106", ["self_state", "cross_state"]].tolist() == ["draft", "submitted"]
    assert units.loc["330106", "self_overdue"] and not units.loc["330106", "cross_overdue"]
