"""The setup write actions (evalcore/actions.py): each writes through Store.write_rows with its
audit entry and the previous rows in change_log, so it can be reverted; a refusal writes
nothing. Who may is walked in tests/test_access_matrix.py."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import pytest

from evalcore import actions, rounds_setup
from evalcore.db import Store

AT = datetime(2024, 3, 1, 9, 0)


@pytest.fixture
def store(writable_db):
    with Store(writable_db, read_only=False) as store:
        actions.create_round(store, actions.CLI, 2024, "zj-2020", now=AT)
        yield store


def _cities(store: Store) -> list[str]:
    return store.regions().query("level == 'city'")["code"].tolist()


def test_reassigning_groups_swaps_pairs_and_reverts(store) -> None:
    first = actions.assign_groups(store, actions.CLI, 2024,
                                  rounds_setup.suggest_groups(_cities(store), 2024), now=AT)
    before = store.group_assignments(2024)
    later = rounds_setup.suggest_groups(_cities(store), 2025).assign(leader_name="张三")
    second = actions.assign_groups(store, actions.CLI, 2024, later, now=AT)  # every pair moves
    after = store.group_assignments(2024)
    assert after["inspected_city_code"].tolist() == later["inspected_city_code"].tolist()
    assert set(after["leader_name"]) == {"张三"}
    changes = store.changes(second)
    assert len(changes) == 11 and changes["old_row"].notna().all()  # previous rows kept
    assert json.loads(changes.iloc[0]["row_key"]) == [2024, 1]
    store.revert(second, actor="admin", at=AT)
    pd.testing.assert_frame_equal(store.group_assignments(2024), before)
    store.revert(first, actor="admin", at=AT)
    assert store.group_assignments(2024).empty
    entry = store.audit_entries(action="assign-groups").iloc[-1]
    assert entry["actor"] == "cli" and json.loads(entry["detail"]) == {
        "round": 2024, "source": "form", "groups": 11}


def test_deadlines_replace_one_stage_and_revert(store) -> None:
    actions.set_deadlines(store, actions.CLI, 2024, {
        "self": (None, date(2024, 3, 31)), "cross": (date(2024, 4, 1), date(2024, 4, 30))})
    entry = actions.set_deadlines(store, actions.CLI, 2024, {
        "cross": (date(2024, 4, 2), date(2024, 5, 10))})
    stages = store.round_stages(2024).set_index("stage")
    assert stages.loc["cross", "closes"] == pd.Timestamp(2024, 5, 10)
    assert pd.isna(stages.loc["self", "opens"])
    assert json.loads(store.audit_entries(action="set-deadlines").iloc[0]["detail"]) == {
        "round": 2024, "stages": {"cross": ["2024-04-02", "2024-05-10"]}}
    store.revert(entry, actor="admin", at=AT)
    assert store.round_stages(2024).set_index("stage").loc["cross", "closes"] == pd.Timestamp(
        2024, 4, 30)


def test_targets_are_set_per_unit_and_revert(store) -> None:
    rows = pd.DataFrame([(2024, "330100", 120, 40000, None), (2024, "330106", 8, None, 55.5)],
                        columns=list(rounds_setup.TARGET_COLUMNS))
    entry = actions.set_targets(store, actions.CLI, 2024, rows)
    targets = store.targets().query("year == 2024").set_index("unit_code")
    assert targets["communities"].to_dict() == {"330100": 120, "330106": 8}
    store.revert(entry, actor="admin", at=AT)
    assert store.targets().query("year == 2024").empty


@pytest.mark.parametrize("write", [
    lambda s: actions.assign_groups(s, actions.CLI, 2031,
                                    rounds_setup.suggest_groups(_cities(s), 2031)),
    lambda s: actions.set_deadlines(s, actions.CLI, 2031, {"self": (None, date(2031, 3, 1))}),
    lambda s: actions.set_targets(s, actions.CLI, 2031, pd.DataFrame(
        [(2031, "330100", 1, None, None)], columns=list(rounds_setup.TARGET_COLUMNS))),
])
def test_a_missing_round_is_refused_and_nothing_written(store, write) -> None:
    before = store.table_counts()
    with pytest.raises(actions.Refused) as refused:
        write(store)
    assert refused.value.message.code == "round_missing"
    assert store.table_counts() == before


def test_invalid_setups_are_refused_before_and_inside_the_transaction(store) -> None:
    groups = rounds_setup.suggest_groups(_cities(store), 2024)
    groups.loc[2, "inspected_city_code"] = groups.loc[2, "leader_city_code"]
    before = store.table_counts()
    with pytest.raises(actions.Refused) as refused:
        actions.assign_groups(store, actions.CLI, 2024, groups)
    assert refused.value.message.code == "setup_refused"
    assert "第 3 组由温州市牵头，不能检查本市" in refused.value.render("zh")
    with pytest.raises(actions.Refused, match="no date given"):
        actions.set_deadlines(store, actions.CLI, 2024, {})
    with pytest.raises(actions.Refused, match="nothing changed"):
        actions.set_targets(store, actions.CLI, 2024, pd.DataFrame(
            columns=list(rounds_setup.TARGET_COLUMNS)))
    assert store.table_counts() == before


def test_a_prepared_groups_import_is_checked_again_as_it_is_written(store) -> None:
    """A Prepared made by hand (or stale) that breaks the rules: refused inside the write."""
    from evalcore.importer import ImportResult, Prepared

    groups = rounds_setup.clean_groups(rounds_setup.suggest_groups(_cities(store), 2024), 2024)
    groups.loc[0, "inspected_city_code"] = groups.loc[0, "leader_city_code"]
    prepared = Prepared("inspection_groups", groups, groups,
                        ImportResult("g.csv", "0" * 64, 11, 11, 0, 0),
                        {"kind": "groups", "round": 2024})
    before = store.table_counts()
    with pytest.raises(actions.Refused) as refused:
        actions.import_prepared(store, actions.CLI, prepared)
    assert "group 1 is led by 杭州市 and cannot inspect its own city" in str(refused.value)
    assert store.table_counts() == before
