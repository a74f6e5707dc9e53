"""The round status page (issue 11): offered to accounts that may read submissions, each seeing
its own units; states, deadlines, overdue problems and the units ranked on unverified
indicators, in Chinese and English."""

from __future__ import annotations

import re

import pytest

from evalcore.labels import t
from tests.pages_helper import open_page


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

ROUND = {"round": "2023", "level": "county"}


# AppTest does not expose a dataframe's key: each table is found by a column only it has.
MARKER = {"status.deadlines": "status_closes", "status.units": "status_problems_overdue",
          "status.unverified": "status_stand_in", "status.problems": "status_problem_id",
          "status.missing": "status_indicators", "status.cases": "status_case_no"}


def _tables(at, key: str) -> list:
    found = [d.value for d in at.dataframe
             if any(t(MARKER[key], lang) in d.value.columns for lang in ("zh", "en"))]
    if key == "status.missing":  # its marker column is in the unverified table too
        found = [f for f in found if not any(t("status_stand_in", g) in f.columns
                                             for g in ("zh", "en"))]
    return found


def _table(at, key: str):
    [frame] = _tables(at, key)
    return frame


def _codes(frame, column: str) -> set[str]:
    return {c for v in frame[column] for c in re.findall(r"\((\d{6})\)", str(v))}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_sees_the_whole_round(demo_db_path, monkeypatch, lang) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_status", role="admin", lang=lang, **ROUND)
    assert at.title[0].value == "🚦 " + t("page_round_status", lang)
    assert [s.value for s in at.subheader] == [
        t(k, lang) for k in ("status_deadlines", "status_units", "status_unverified",
                             "status_problems", "status_missing", "status_cases_pending")]
    captions = " ".join(c.value for c in at.caption)
    assert "2024-03-25" in captions  # the demo's own date, not today's
    deadlines = _table(at, "status.deadlines")
    assert deadlines[t("status_closes", lang)].tolist() == ["2024-01-20", "2024-02-28",
                                                            "2024-03-31"]
    assert deadlines[t("status_window", lang)].tolist() == [
        t("status_window_closed", lang)] * 2 + [t("status_window_open", lang)]
    units = _table(at, "status.units")
    assert len(units) == 90
    self_column = units[t("self", lang)]
    assert self_column.str.startswith("✅").any() and self_column.str.startswith("↩️").any()
    assert self_column.str.contains("⏰").any()  # not submitted after 20 January
    assert not units[t("third_party", lang)].str.contains("⏰").any()  # its window is open
    unverified = _table(at, "status.unverified")
    assert len(unverified) == 35
    assert unverified[t("crit_verified", lang)].str.startswith("⚠").all()
    assert t("status_unverified_summary", lang).format(n=35, of=90) in [m.value for m in
                                                                        at.markdown]
    problems = _table(at, "status.problems")
    assert len(problems) > 0
    assert set(problems[t("status_problem_status", lang)]) <= {
        t(f"status_problem_{s}", lang) for s in ("open", "answered", "returned")}
    assert len(_table(at, "status.cases")) > 0
    assert [b.label for b in at.get("download_button")][:2] == [t("download_csv", lang),
                                                               t("download_xlsx", lang)]


def test_a_unit_user_sees_only_its_unit(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_status", role="unit",
                   codes={"unit_code": "330106"}, lang="en", **ROUND)
    units = _table(at, "status.units")
    assert _codes(units, "Unit") == {"330106"}
    assert units.loc[0, "Self-evaluation"].startswith("↩️ reopened")  # reopened for changes
    for key in ("status.unverified", "status.problems", "status.missing", "status.cases"):
        assert all(_codes(f, "Unit") <= {"330106"} for f in _tables(at, key))


def test_a_unit_user_at_the_city_level_is_told_why_nothing_shows(demo_db_path,
                                                                  monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_status", role="unit",
                   codes={"unit_code": "330106"}, lang="zh", round="2023", level="city")
    assert t("status_no_units", "zh") in [i.value for i in at.info]
    assert not at.dataframe


def test_a_group_user_sees_the_city_it_inspects(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_status", role="group",
                   codes={"group_city_code": "330200"}, lang="en", **ROUND)
    units = _table(at, "status.units")
    assert _codes(units, "Unit") == {"330602", "330603", "330604", "330624", "330681",
                                     "330683"}  # 绍兴's counties
    assert units["Cross inspection"].str.contains("overdue").all()  # not submitted
    assert _codes(_table(at, "status.cases"), "Unit") <= _codes(units, "Unit")


@pytest.mark.parametrize("role", ["third_party", "leader"])
def test_the_third_party_and_leaders_see_every_unit(demo_db_path, monkeypatch, role) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_status", role=role, lang="zh", **ROUND)
    assert len(_table(at, "status.units")) == 90


def test_the_public_is_not_offered_the_page(demo_db_path, monkeypatch) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(demo_db_path, monkeypatch, "round_status", lang="zh", **ROUND)


def test_a_published_round_is_complete(demo_db_path, monkeypatch) -> None:
    at = open_page(demo_db_path, monkeypatch, "round_status", role="admin", lang="en",
                   round="2022", level="city")
    assert _table(at, "status.units")["Third-party evaluation"].eq("✅ submitted").all()
    successes = [s.value for s in at.success]
    assert t("status_all_verified", "en") in successes
    assert t("status_nothing_overdue", "en") in successes
