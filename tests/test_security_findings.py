"""The role-by-role probe's findings (issue #16), each replayed as the exact sequence found.

Writes re-check rights when they write; unit and group users see only their own drafts; the
public cannot recover internal stage points by subtraction, nor see statuses after the last
published year. Accounts and sessions: tests/test_security_accounts.py. Every page with
planted markers: tests/test_security_sweep.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from evalcore import actions, auth
from evalcore.access import FULL, PUBLIC, Viewer
from evalcore.db import Store
from evalcore.importer import prepare_scores
from evalcore.paths import ROOT
from evalcore.reader import Reader
from tests.test_import_reliability import score_file

UNIT = Viewer("unit", unit_code="330106")


@pytest.fixture
def world(demo_db_path, tmp_path):
    """A private database and users database with a unit account, as the dashboard has."""
    db = tmp_path / "eval.duckdb"
    shutil.copyfile(demo_db_path, db)
    users = tmp_path / "users.duckdb"
    with auth.AccountStore(users) as accounts:
        accounts.add("xihu", "correct horse battery", "unit", unit_code="330106")
    store = Store(db, read_only=False)
    accounts = auth.AccountStore(users)
    yield store, accounts, users, tmp_path
    store.close()
    accounts.close()


def _snapshot(store: Store):
    return store.table_counts(), store.scores(2023).sort_values(
        ["unit_code", "stage", "indicator_code"]).reset_index(drop=True)


def _assert_unchanged(store: Store, before) -> None:
    counts, scores = _snapshot(store)
    assert counts == before[0]
    pd.testing.assert_frame_equal(scores, before[1])


# -- 1. an action runs with the rights the page had when it was drawn ------------------------

def test_unit_import_confirmed_after_the_round_was_published_writes_nothing(world) -> None:
    store, accounts, _, tmp = world
    prepared = prepare_scores(store, score_file(tmp, "s.csv", ["西湖区"], 1.0), 2023, "self",
                              UNIT)  # the unit user uploads: valid, preview shown
    actions.set_published(store, actions.CLI, 2023, True)  # meanwhile the admin publishes
    before = _snapshot(store)
    with pytest.raises(actions.Refused) as refused:  # then the unit clicks confirm
        actions.import_prepared(store, actions.Actor("xihu", accounts), prepared)
    assert refused.value.message.code == "store_not_allowed"
    assert "无权" in refused.value.render("zh")
    _assert_unchanged(store, before)


def test_import_confirmed_after_the_account_was_removed_writes_nothing(world) -> None:
    store, accounts, users, tmp = world
    prepared = prepare_scores(store, score_file(tmp, "s.csv", ["西湖区"], 1.0), 2023, "self",
                              UNIT)
    env = {**os.environ, "EVAL_USERS_DB": str(users)}
    accounts.close()  # the CLI needs the users file (the dashboard holds it while it runs)
    removed = subprocess.run([sys.executable, "-m", "evalcore", "user", "remove", "xihu"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert removed.returncode == 0, removed.stderr
    before = _snapshot(store)
    with pytest.raises(actions.Refused) as refused:
        actions.import_prepared(store, actions.Actor("xihu", auth.AccountStore(users)),
                                prepared)
    assert refused.value.message.code == "store_account_gone"
    _assert_unchanged(store, before)


def test_the_same_import_is_written_while_the_rights_hold(world) -> None:
    """The control: without the intervening change the very same confirm writes."""
    store, accounts, _, tmp = world
    prepared = prepare_scores(store, score_file(tmp, "s.csv", ["西湖区"], 1.0), 2023, "self",
                              UNIT)
    entry = actions.import_prepared(store, actions.Actor("xihu", accounts), prepared)
    assert store.audit_entries(action="import").iloc[0]["id"] == entry
    assert store.audit_entries(action="import").iloc[0]["actor"] == "unit:xihu"


@pytest.mark.parametrize("act", ["revert", "publish", "create-round"])
def test_admin_actions_re_check_the_account(world, act) -> None:
    store, accounts, _, _ = world
    accounts.add("boss", "correct horse battery", "admin")
    accounts.remove("boss")  # removed between drawing the page and the click
    before = _snapshot(store)
    actor = actions.Actor("boss", accounts)
    with pytest.raises(actions.Refused):
        {"revert": lambda: actions.revert(store, actor, 1),
         "publish": lambda: actions.set_published(store, actor, 2023, True),
         "create-round": lambda: actions.create_round(store, actor, 2031, "zj-2020")}[act]()
    _assert_unchanged(store, before)


# -- 3. unit and group users see only their own drafts ------------------------------------

def test_a_county_user_sees_only_its_own_draft_row(demo_store) -> None:
    reader = Reader(demo_store, UNIT)
    board = reader.board(2023, "county", "final", None)
    assert board["unit_code"].tolist() == ["330106"]
    assert int(board["rank"].iloc[0]) == 1  # ranked among what it may see, nothing more
    assert reader.board(2023, "city", "final", None).empty
    # Its own total is the official one: scoring its unit alone changes nothing of it.
    official = Reader(demo_store, FULL).board(2023, "county", "final", None)
    mine = official.set_index("unit_code").loc["330106", "total"]
    assert board["total"].iloc[0] == pytest.approx(mine)
    # Nothing of another unit's draft progress either.
    communities = reader.communities()
    assert set(communities.loc[communities["batch_year"] == 2023, "county_code"]) == {"330106"}
    assert set(reader.targets().query("year == 2023")["unit_code"]) == {"330106"}
    # Published rounds: everyone's results, as for the public.
    assert len(reader.board(2022, "county", "final", None)) == 90


def test_a_city_user_s_draft_total_counts_its_counties_communities(demo_store) -> None:
    """A city's own progress rows are its counties': its derived points are the official
    ones, and its counties' current statuses are its own to see."""
    reader = Reader(demo_store, Viewer("unit", unit_code="330200"))
    board = reader.board(2023, "city", "final", None)
    official = Reader(demo_store, FULL).board(2023, "city", "final", None)
    assert board["unit_code"].tolist() == ["330200"]
    assert board["total"].iloc[0] == pytest.approx(
        official.set_index("unit_code").loc["330200", "total"])
    assert reader.status_as_of("330203") == demo_store.meta()["as_of"]  # 海曙, one of its own
    assert reader.status_as_of("330106") == "2022-12-31"


def test_a_group_user_sees_the_city_it_inspects_only(demo_store) -> None:
    viewer = Viewer("group", group_city_code="330200")  # inspects 绍兴 (330600) in 2023
    reader = Reader(demo_store, viewer)
    counties = set(demo_store.regions().query("parent_code == '330600'")["code"])
    assert set(reader.board(2023, "county", "final", None)["unit_code"]) == counties
    assert reader.board(2023, "city", "final", None)["unit_code"].tolist() == ["330600"]


def test_draft_rank_change_compares_the_same_peers(demo_store) -> None:
    board = Reader(demo_store, UNIT).board(2023, "county", "final", None)
    # Against 2022 restricted to the same unit: rank 1 of 1 then and now, so no change.
    assert int(board["rank_change"].iloc[0]) == 0


# -- 4. the subtraction attack on internal indicators ----------------------------------------

def _stage_columns(reader: Reader, year: int) -> pd.DataFrame:
    table = reader.indicator_table(year, "county", None)
    return table.pivot(index="unit_code", columns="indicator_code",
                       values=["self", "cross", "third_party"])


@pytest.mark.parametrize("viewer", [PUBLIC, UNIT], ids=["public", "unit"])
@pytest.mark.parametrize("stage", ["self", "cross", "third_party"])
def test_internal_stage_points_cannot_be_subtracted(demo_store, viewer, stage) -> None:
    reader = Reader(demo_store, viewer)
    rubric = reader.round_inputs(2022).rubric
    internal = [i for i in rubric.indicators if i.internal]
    assert internal, "the demo rubric marks an indicator internal"
    columns = _stage_columns(reader, 2022)[stage]
    board = reader.board(2022, "county", stage, None).set_index("unit_code")
    full_board = Reader(demo_store, FULL).board(2022, "county", stage, None).set_index(
        "unit_code")
    full_columns = _stage_columns(Reader(demo_store, FULL), 2022)[stage]
    recovered = 0
    for indicator in internal:
        dim = indicator.dimension
        siblings = [i.code for i in rubric.indicators
                    if i.dimension == dim and i.code != indicator.code]
        truth = full_columns[indicator.code]
        # dimension subtotal at the stage − siblings' stage points = the internal points?
        guess = board[dim].astype(float) - columns[siblings].sum(axis=1, min_count=1)
        # or: the stage total − every other dimension − siblings
        others = [d.code for d in rubric.dimensions if d.code != dim]
        rest = (board["base"].astype(float) - board[others].astype(float).sum(axis=1)
                - columns[siblings].sum(axis=1, min_count=1))
        for attempt in (guess, rest):
            hit = (attempt - truth).abs() < 1e-6
            outsiders = hit.index != viewer.unit_code
            recovered += int((hit & outsiders).sum())
        # Where a unit is the viewer's own, it does see it all (and that is allowed).
        if viewer.unit_code:
            assert not np.isnan(board.loc[viewer.unit_code, dim])
    assert recovered == 0
    # The control: with the full view, the same subtraction does work (the attack is real).
    full_guess = full_board["D"] - full_columns[["D1", "D2"]].sum(axis=1)
    assert ((full_guess - full_columns["D3"]).abs() < 0.05).mean() > 0.9


# -- 5. no statuses after the last published year for the public ----------------------------

def test_public_profile_shows_statuses_as_at_the_last_published_year_end(demo_store) -> None:
    reader = Reader(demo_store, PUBLIC)
    assert reader.status_as_of("330106") == "2022-12-31"
    shown = reader.profile_data(2022, "330106").communities
    full = Reader(demo_store, FULL)
    assert full.status_as_of("330106") == demo_store.meta()["as_of"]
    truth = full.communities().query("county_code == '330106' and batch_year <= 2022")
    done_by_then = pd.to_datetime(truth["completion_date"]) <= pd.Timestamp("2022-12-31")
    assert (~done_by_then & truth["status"].isin(["completed", "accepted"])).any()  # exercised
    assert shown["status"].isin(["completed", "accepted"]).sum() == int(done_by_then.sum())
    assert Reader(demo_store, UNIT).status_as_of("330106") == demo_store.meta()["as_of"]


# -- 9. an administrator unlocks an account, audited --------------------------------------

def test_admin_unlock_is_re_checked_and_logged(world) -> None:
    _, accounts, _, _ = world
    accounts.add("boss", "correct horse battery", "admin")
    now = auth.utc_now()
    for _ in range(6):
        auth.login(accounts, "xihu", "wrong password!", now, source="attacker")
    assert accounts.lock_state("xihu", "attacker").locked_until is not None
    with pytest.raises(actions.Refused):  # a unit user may not unlock
        actions.unlock_account(actions.Actor("xihu", accounts), "xihu")
    assert actions.unlock_account(actions.Actor("boss", accounts), "xihu")
    assert accounts.lock_state("xihu", "attacker").locked_until is None
    events = accounts.sign_in_events(action="unlock-account")
    assert events.iloc[0]["actor"] == "admin:boss"
