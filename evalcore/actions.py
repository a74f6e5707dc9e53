"""Write actions, each checked against the access policy at the moment it writes.

A page is drawn with the rights its user had then; by the time a button is clicked the round
may have been published or the account removed. So every action here re-reads the account
(`Actor.viewer`) and the round's state inside the write transaction and asks the policy
(evalcore/access.py) again; a refusal writes nothing. No Streamlit: the data page, the CLI
and the tests call these functions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from evalcore import evidence, rounds_setup, snapshot
from evalcore.access import FULL, Viewer, allows, scope
from evalcore.db import Store, StoreError
from evalcore.messages import Message

LOG = logging.getLogger("evalcore.actions")


class Refused(StoreError):
    """The policy does not allow this write (now); shown in the user's language."""

    def __init__(self, code: str, **params) -> None:
        super().__init__(Message(code, params))


@dataclass(frozen=True)
class Actor:
    """Who writes: a signed-in account (re-read at each write) or the command line."""

    username: str | None  # None: the command line, run by the operator (full rights)
    accounts: object | None = None  # auth.AccountStore holding the account

    @property
    def name(self) -> str:
        return "cli" if self.username is None else self.username

    def viewer(self) -> Viewer:
        """The account's rights as stored now; refused when it no longer exists."""
        if self.username is None:
            return FULL
        account = (self.accounts.current_account(self.username)
                   if self.accounts is not None else None)
        if account is None:
            raise Refused("store_account_gone")
        return Viewer(account.role, unit_code=account.unit_code,
                      group_city_code=account.group_city_code)

    def label(self, viewer: Viewer) -> str:
        """The audit log's actor column: role and name."""
        return self.name if self.username is None else f"{viewer.role}:{self.username}"


CLI = Actor(None)


def _published(cur: duckdb.DuckDBPyConnection, year: int) -> bool:
    row = cur.execute("SELECT published FROM rounds WHERE year = ?", [year]).fetchone()
    if row is None:
        raise Refused("round_missing", year=year)
    return bool(row[0])


def _require(viewer: Viewer, resource: str, published: bool, own: bool = True) -> None:
    if not allows(viewer, "write", resource, published, own):
        raise Refused("store_not_allowed")


def _checked(actor: Actor, check: Callable[[duckdb.DuckDBPyConnection, Viewer], None]):
    """A check for Store writes: re-read the account, then run `check` in the transaction."""
    def run(cur: duckdb.DuckDBPyConnection) -> str:
        viewer = actor.viewer()
        check(cur, viewer)
        return actor.label(viewer)
    return run


def import_prepared(store: Store, actor: Actor, prepared, now: datetime | None = None) -> int:
    """Write a validated import (importer.Prepared) if the actor may, now; the audit id.
    Targets, groups and deadlines are checked as their setup actions check them."""
    detail = dict(prepared.detail)  # a window override is noted in it (actions_entry)
    at = now or datetime.now()
    if prepared.table == "problems":  # new problems: ids allocated as they are written
        from evalcore.actions_problems import record_rows

        return record_rows(store, actor, int(detail["round"]), prepared.rows, detail,
                           now).audit_id

    def check(cur, viewer: Viewer) -> None:
        if prepared.table == "communities":
            _require(viewer, "communities", published=False)
            return
        if prepared.table in SETUP_CHECKS:
            SETUP_CHECKS[prepared.table](cur, viewer, int(detail["round"]), prepared.rows)
            return
        if prepared.table in ("bonus_claims", "deductions"):
            from evalcore.actions_bonus import check_import  # it imports this module

            check_import(store, cur, viewer, prepared.table, int(detail["round"]),
                         prepared.rows)
            return
        # Scores: rights, and the stage's lock and window, as entering them online checks.
        from evalcore import actions_entry

        actions_entry._check_scores(store, cur, viewer, int(detail["round"]),
                                    str(detail["stage"]), prepared.rows, at, detail)

    return store.write_rows(prepared.table, prepared.rows, action="import", detail=detail,
                            at=at, check=_checked(actor, check))


# -- setting a round up: deadlines, groups, targets (rules in evalcore/rounds_setup.py) ------

def _refuse_if(problems: list) -> None:
    """Refuse, naming every problem (Messages, or rounds_setup.Findings)."""
    if problems:
        raise Refused("setup_refused", n=len(problems),
                      problems=[getattr(p, "message", p) for p in problems])


def _cities(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(cur.execute(
        "SELECT code, name FROM regions WHERE level = 'city' ORDER BY code").fetchall())


def _check_deadlines(cur, viewer: Viewer, year: int, rows: pd.DataFrame) -> None:
    _require(viewer, "round_setup:deadlines", _published(cur, year))
    stored = cur.execute("SELECT stage, opens, closes FROM round_stages WHERE round_year = ?",
                         [year]).df()
    _refuse_if(rounds_setup.check_deadlines(year, rounds_setup.merge_deadlines(stored, rows)))


def _check_groups(cur, viewer: Viewer, year: int, rows: pd.DataFrame) -> None:
    _require(viewer, "round_setup:groups", _published(cur, year))
    _refuse_if(rounds_setup.check_groups(rows, _cities(cur)))


def _check_targets(cur, viewer: Viewer, year: int, rows: pd.DataFrame) -> None:
    _require(viewer, "round_setup:targets", _published(cur, year))
    if set(rows["year"].astype(int)) != {year}:
        raise ValueError(f"targets of another year than {year}")


SETUP_CHECKS = {"round_stages": _check_deadlines, "inspection_groups": _check_groups,
                "targets": _check_targets}


def set_deadlines(store: Store, actor: Actor, year: int, windows: dict[str, tuple],
                  now: datetime | None = None) -> int:
    """Set stage deadlines of a round ({stage: (opens or None, closes)}; other stages keep
    theirs) if the actor may, now, and the dates are valid with the stored ones."""
    if not windows:
        raise Refused("setup_deadline_none_given")
    rows = rounds_setup.deadline_rows(year, windows)
    detail = {"round": year, "stages": {s: [None if o is None else str(o), str(c)]
                                        for s, (o, c) in windows.items()}}
    return store.write_rows("round_stages", rows, action="set-deadlines", detail=detail,
                            at=now or datetime.now(), check=_checked(
                                actor, lambda cur, viewer: _check_deadlines(cur, viewer, year,
                                                                            rows)))


def assign_groups(store: Store, actor: Actor, year: int, groups: pd.DataFrame,
                  source: str = "form", now: datetime | None = None) -> int:
    """Replace a round's inspection groups (group_no, leader_city_code, inspected_city_code,
    leader_name, leader_title, members) if the actor may, now, and they are valid: every city
    leads one group and is inspected once, none its own. `source`: form or suggestion."""
    cities = dict(store.regions().query("level == 'city'")[["code", "name"]].to_numpy())
    _refuse_if(rounds_setup.check_groups(groups, cities))
    rows = rounds_setup.clean_groups(groups, year)
    detail = {"round": year, "source": source, "groups": len(rows)}
    return store.write_rows("inspection_groups", rows, action="assign-groups", detail=detail,
                            at=now or datetime.now(), check=_checked(
                                actor, lambda cur, viewer: _check_groups(cur, viewer, year,
                                                                         rows)))


def set_targets(store: Store, actor: Actor, year: int, rows: pd.DataFrame,
                now: datetime | None = None) -> int:
    """Set the targets of units for the round's year (year, unit_code, communities,
    households, investment_wan; other units keep theirs) if the actor may, now."""
    if rows.empty:
        raise Refused("setup_nothing_changed")
    detail = {"round": year, "units": len(rows)}
    return store.write_rows("targets", rows, action="set-targets", detail=detail,
                            at=now or datetime.now(), check=_checked(
                                actor, lambda cur, viewer: _check_targets(cur, viewer, year,
                                                                          rows)))


def revert(store: Store, actor: Actor, audit_id: int, now: datetime | None = None) -> int:
    """Undo one audited import (Store.revert) if the actor may, now."""
    return store.revert(audit_id, at=now or datetime.now(), check=_checked(
        actor, lambda cur, viewer: _require(viewer, "revert", published=False)))


def set_published(store: Store, actor: Actor, year: int, published: bool,
                  now: datetime | None = None) -> int:
    """Publish or unpublish a round if the actor may, now; once it is committed, the public
    snapshot replicas serve is written again (evalcore.snapshot, where EVAL_SNAPSHOT_DIR is
    set). A snapshot that fails is logged and leaves the replicas on the previous one; the
    publish stands."""
    def check(cur, viewer: Viewer) -> None:
        _require(viewer, "round", _published(cur, year))

    entry = store.set_published(year, published, at=now or datetime.now(),
                                check=_checked(actor, check))
    try:
        snapshot.publish_if_configured(store)
    except Exception:
        LOG.exception("round %s %s, but the public snapshot was not written", year,
                      "published" if published else "unpublished")
    return entry


def create_round(store: Store, actor: Actor, year: int, rubric_version: str,
                 now: datetime | None = None) -> int:
    """A new draft round scored with `rubric_version`, if the actor may, now. The rubric must
    exist and load: a broken file is refused with its message (file, entry, rule)."""
    from evalcore.rubric import RubricError, list_rubrics, load_rubric

    if rubric_version not in list_rubrics():
        raise Refused("store_unknown_rubric", version=rubric_version)
    try:
        load_rubric(rubric_version)
    except RubricError as broken:
        raise Refused("store_broken_rubric", version=rubric_version, reason=str(broken)) from None

    def check(cur, viewer: Viewer) -> None:
        _require(viewer, "round", published=False)
        if cur.execute("SELECT 1 FROM rounds WHERE year = ?", [year]).fetchone():
            raise Refused("store_round_exists", year=year)

    return store.create_round(year, rubric_version, at=now or datetime.now(),
                              check=_checked(actor, check))


def unlock_account(actor: Actor, username: str, now: datetime | None = None) -> bool:
    """Clear an account's failed sign-ins and locks (AccountStore.unlock, logged there) if
    the actor, re-read now, may manage accounts."""
    viewer = actor.viewer()
    _require(viewer, "accounts", published=False)
    if not actor.accounts.unlock(username, actor.label(viewer), now or datetime.now()):
        raise Refused("store_unknown_account", name=username)
    return True


# -- evidence files (佐证材料): the helpers bonus claims use (adding one file: actions_entry)

def evidence_row(year: int, unit_code: str, subject: str, subject_key: str,
                 accepted: evidence.EvidenceFile, by: str, at: datetime) -> dict:
    """One `evidence` row (the metadata of a stored file)."""
    return {"round_year": year, "unit_code": unit_code, "subject": subject,
            "subject_key": subject_key, "sha256": accepted.sha256,
            "size_bytes": accepted.size_bytes, "media_type": accepted.media_type,
            "file_name": accepted.file_name, "uploaded_by": by, "uploaded_at": at}


def checked_files(files) -> list[tuple[evidence.EvidenceFile, bytes]]:
    """Each (file name, bytes) checked by content: refused whole, naming the file, if any
    one is not accepted."""
    try:
        return [(evidence.check(data, name), data) for name, data in files]
    except evidence.EvidenceRefused as refused:
        raise Refused(refused.message.code, **refused.message.params) from None


def check_evidence_quota(cur: duckdb.DuckDBPyConnection, year: int, unit_code: str,
                         adding: list[evidence.EvidenceFile]) -> None:
    used = cur.execute("SELECT coalesce(sum(size_bytes), 0) FROM evidence WHERE round_year = ? "
                       "AND unit_code = ?", [year, unit_code]).fetchone()[0]
    for accepted in adding:
        try:
            evidence.check_quota(int(used), accepted)
        except evidence.EvidenceRefused as refused:
            raise Refused(refused.message.code, **refused.message.params) from None
        used += accepted.size_bytes


def require_unit_right(store: Store, cur: duckdb.DuckDBPyConnection, viewer: Viewer,
                       year: int, resource: str, unit_code: str) -> None:
    """Refuse unless the policy lets `viewer` write `resource` for this unit in the round as
    it is now: a published round, a unit outside the viewer's own, no right at all."""
    published = _published(cur, year)
    granted = scope(viewer, "write", resource, published)
    if granted is None:
        if published and scope(viewer, "write", resource, False) is not None:
            raise Refused("rights_round_published", year=year)
        raise Refused("store_not_allowed")
    if granted == "own" and unit_code not in store.own_units(year, viewer):
        raise Refused("rights_unit_outside", unit=unit_code, year=year)


# Online entry, submissions and evidence (issue 11) live in evalcore/actions_entry.py, which
# builds on the helpers above; its public actions are reachable from here too, loaded on
# first use (actions_entry imports this module).
ENTRY_ACTIONS = ("add_evidence", "enter_scores", "reopen_stage", "submit_stage")


def __getattr__(name: str):
    if name in ENTRY_ACTIONS:
        from evalcore import actions_entry

        return getattr(actions_entry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
