"""Who may see and do what: the access policy, declared once as a table.

Every reader of the data layer, the importer, the write actions, the pages and the CLI ask
this table; nothing else decides. A row `(role, action, resource, rounds, units)` grants
`role` the `action` on `resource` in rounds of that state, for all units or only its own.
What no row grants is refused.

- rounds: "published", "draft" or "any" (the state of the round the data belongs to; for
  progress data, a batch year counts as published when a round of that year or later is).
- units: "all", or "own": a unit user's own unit; a group user's inspected city and its
  counties in that round (Store.own_units); for the audit log, the entries one made oneself.

Resources read:
- results: scores, derived points, bonus claims, deductions; boards and ranks built on them
- stage_detail_internal: stage-by-stage points of indicators the rubric marks `internal`,
  and every stage aggregate they could be recovered from by subtraction (the dimension
  subtotal, base and total at a stage). Final points are results.
- notes: evaluators' notes, reviewers' notes, deduction reasons
- progress: communities and targets; for "own" rows their current status, for other rows
  their status as at the end of the last published year
- groups: the inspection group pairings of a round
- round_setup: what an administrator sets up for a round beyond the pairings: its stage
  deadlines (round_stages) and each group's leader's name and title and its members
- audit: the audit log and sign-in events
- submissions: which units have submitted which stage, reopened stages and the reasons,
  the round's stage deadlines they are measured against, and what each unit has entered
  at each stage (the round status page: evalcore/round_status.py)
- evidence: evidence files (佐证材料) and their metadata; never the public
- problems: problems found by inspectors and their rectification (整改)
- notice: the annual notice (通报) and the meeting pack, documents for leadership built on
  results (a draft round's only with the 草稿 mark, evalcore/notice.py)
- incentives: the allocation of an incentive pool by the rubric's rule (evalcore/incentives.py)
Resources written: scores:<stage>, communities, round (create, publish, unpublish),
revert, accounts (unlock), and the parts of a round's setup (evalcore/rounds_setup.py):
- round_setup:deadlines: the round's stage deadlines (round_stages)
- round_setup:groups: the round's 11 inspection groups (who leads, whom they inspect, the
  group leader and members)
- round_setup:targets: the plan per unit (communities, households, investment) of the
  round's year, which the start and completion rates are measured against
The round workflow (issue 11) writes, each in a draft round unless said otherwise:
- scores:<stage> also covers entering that stage online and submitting it (which locks it
  for that unit); submission:reopen is an administrator's reopening of a submitted stage
- bonus:claim: a unit's bonus cases (self stage); bonus:review:<stage>: accepting or
  rejecting cases of the categories the rubric verifies at that stage
- deductions: deduction items and vetoes with their reasons
- problems:record, problems:answer (the unit's rectification), problems:review (sign off or
  send back: only the problem's finder, checked on the row, or whoever holds
  problems:review_any, administrators)
- evidence: attaching an evidence file to what the writer may write
- stage_window:override: writing a stage's scores (entry, import, submission) outside the
  window its round_stages row sets; the audit entry says so (evalcore/actions_entry.py)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from evalcore import vocab

ROLES = vocab.ROLES

Scope = Literal["all", "own"]

POLICY: tuple[tuple[str, str, str, str, str], ...] = (
    # role     action   resource                 rounds       units
    ("public", "read", "results", "published", "all"),
    ("public", "read", "progress", "published", "all"),
    ("public", "read", "groups", "published", "all"),

    ("unit", "read", "results", "published", "all"),
    ("unit", "read", "results", "draft", "own"),
    ("unit", "read", "stage_detail_internal", "any", "own"),
    ("unit", "read", "notes", "any", "own"),
    ("unit", "read", "progress", "published", "all"),
    ("unit", "read", "progress", "draft", "own"),
    ("unit", "read", "groups", "published", "all"),
    ("unit", "read", "groups", "draft", "own"),
    ("unit", "read", "audit", "any", "own"),
    ("unit", "write", "scores:self", "draft", "own"),
    ("unit", "read", "submissions", "any", "own"),
    ("unit", "read", "evidence", "any", "own"),
    ("unit", "read", "problems", "any", "own"),
    ("unit", "write", "bonus:claim", "draft", "own"),
    ("unit", "write", "problems:answer", "draft", "own"),
    ("unit", "write", "evidence", "draft", "own"),

    ("group", "read", "results", "published", "all"),
    ("group", "read", "results", "draft", "own"),
    ("group", "read", "stage_detail_internal", "any", "own"),
    ("group", "read", "notes", "any", "own"),
    ("group", "read", "progress", "published", "all"),
    ("group", "read", "progress", "draft", "own"),
    ("group", "read", "groups", "published", "all"),
    ("group", "read", "groups", "draft", "own"),
    ("group", "read", "audit", "any", "own"),
    ("group", "write", "scores:cross", "draft", "own"),
    ("group", "read", "submissions", "any", "own"),
    ("group", "read", "evidence", "any", "own"),
    ("group", "read", "problems", "any", "own"),
    ("group", "write", "bonus:review:cross", "draft", "own"),
    ("group", "write", "problems:record", "draft", "own"),
    ("group", "write", "problems:review", "draft", "own"),
    ("group", "write", "evidence", "draft", "own"),

    # The professional institution evaluates every unit in the third-party stage.
    ("third_party", "read", "results", "any", "all"),
    ("third_party", "read", "stage_detail_internal", "any", "all"),
    ("third_party", "read", "notes", "any", "all"),
    ("third_party", "read", "progress", "any", "all"),
    ("third_party", "read", "groups", "any", "all"),
    ("third_party", "read", "audit", "any", "own"),
    ("third_party", "read", "submissions", "any", "all"),
    ("third_party", "read", "evidence", "any", "all"),
    ("third_party", "read", "problems", "any", "all"),
    ("third_party", "write", "scores:third_party", "draft", "all"),
    ("third_party", "write", "bonus:review:third_party", "draft", "all"),
    ("third_party", "write", "deductions", "draft", "all"),
    ("third_party", "write", "problems:record", "draft", "all"),
    ("third_party", "write", "problems:review", "draft", "all"),
    ("third_party", "write", "evidence", "draft", "all"),

    ("leader", "read", "results", "any", "all"),
    ("leader", "read", "stage_detail_internal", "any", "all"),
    ("leader", "read", "notes", "any", "all"),
    ("leader", "read", "progress", "any", "all"),
    ("leader", "read", "groups", "any", "all"),
    ("leader", "read", "round_setup", "any", "all"),
    ("leader", "read", "submissions", "any", "all"),
    ("leader", "read", "evidence", "any", "all"),
    ("leader", "read", "problems", "any", "all"),
    ("leader", "read", "notice", "any", "all"),
    ("leader", "read", "incentives", "any", "all"),

    ("admin", "read", "results", "any", "all"),
    ("admin", "read", "stage_detail_internal", "any", "all"),
    ("admin", "read", "notes", "any", "all"),
    ("admin", "read", "progress", "any", "all"),
    ("admin", "read", "groups", "any", "all"),
    ("admin", "read", "round_setup", "any", "all"),
    ("admin", "read", "audit", "any", "all"),
    ("admin", "read", "notice", "any", "all"),
    ("admin", "read", "incentives", "any", "all"),
    ("admin", "write", "scores:self", "any", "all"),
    ("admin", "write", "scores:cross", "any", "all"),
    ("admin", "write", "scores:third_party", "any", "all"),
    ("admin", "write", "communities", "any", "all"),
    ("admin", "write", "round", "any", "all"),
    ("admin", "write", "revert", "any", "all"),
    ("admin", "write", "accounts", "any", "all"),
    ("admin", "write", "round_setup:deadlines", "any", "all"),
    ("admin", "write", "round_setup:groups", "any", "all"),
    ("admin", "write", "round_setup:targets", "any", "all"),
    ("admin", "read", "submissions", "any", "all"),
    ("admin", "read", "evidence", "any", "all"),
    ("admin", "read", "problems", "any", "all"),
    ("admin", "write", "submission:reopen", "any", "all"),
    ("admin", "write", "bonus:claim", "any", "all"),
    ("admin", "write", "bonus:review:cross", "any", "all"),
    ("admin", "write", "bonus:review:third_party", "any", "all"),
    ("admin", "write", "deductions", "any", "all"),
    ("admin", "write", "problems:record", "any", "all"),
    ("admin", "write", "problems:answer", "any", "all"),
    ("admin", "write", "problems:review", "any", "all"),
    ("admin", "write", "problems:review_any", "any", "all"),
    ("admin", "write", "evidence", "any", "all"),
    ("admin", "write", "stage_window:override", "any", "all"),
)

# The parts of a round's setup, each written as the resource "round_setup:<part>".
SETUP_PARTS: tuple[str, ...] = ("deadlines", "groups", "targets")

ACTIONS = ("read", "write")
RESOURCES = tuple(dict.fromkeys(r for _, _, r, _, _ in POLICY))


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a role and, for unit and group users, the unit or leading city."""

    role: str = "public"
    unit_code: str | None = None  # role 'unit'
    group_city_code: str | None = None  # role 'group': the city leading the group
    # role 'third_party' has neither: the institution evaluates every unit

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")

    @property
    def key(self) -> str:
        """A short text identity, used to key caches so viewers never share cached data."""
        return ":".join(p for p in (self.role, self.unit_code or self.group_city_code) if p)

    @classmethod
    def from_key(cls, key: str) -> Viewer:
        role, _, code = key.partition(":")
        if role == "unit":
            return cls(role, unit_code=code or None)
        if role == "group":
            return cls(role, group_city_code=code or None)
        return cls(role)

    # Shorthands over the table, for the questions pages ask most.
    @property
    def may_manage(self) -> bool:
        return allows(self, "write", "round", published=False)

    @property
    def may_import(self) -> bool:
        return bool(importable_stages(self))

    @property
    def may_lead(self) -> bool:
        """May read the leadership documents (the notice, the pack, the incentives page)."""
        return allows(self, "read", "notice", published=True)

    @property
    def may_set_up(self) -> bool:
        """May write some part of a round's setup (the round setup page's audience)."""
        return bool(setup_parts(self))


PUBLIC = Viewer()
FULL = Viewer("admin")


def scope(viewer: Viewer, action: str, resource: str, published: bool) -> Scope | None:
    """The widest scope a row grants: "all", "own" or None (refused)."""
    state = "published" if published else "draft"
    found: Scope | None = None
    for role, act, res, rounds, units in POLICY:
        if role == viewer.role and act == action and res == resource \
                and rounds in (state, "any"):
            if units == "all":
                return "all"
            found = "own"
    return found


def allows(viewer: Viewer, action: str, resource: str, published: bool,
           own: bool = True) -> bool:
    """May `viewer` do `action` on `resource` in a round of that state, for a unit that is
    (`own`) or is not its own?"""
    granted = scope(viewer, action, resource, published)
    return granted == "all" or (granted == "own" and own)


def importable_stages(viewer: Viewer) -> tuple[str, ...]:
    """The score stages this viewer may write in some round (the data page's choices)."""
    return tuple(s for s in vocab.STAGES
                 if scope(viewer, "write", f"scores:{s}", published=False) is not None
                 or scope(viewer, "write", f"scores:{s}", published=True) is not None)


def setup_parts(viewer: Viewer) -> tuple[str, ...]:
    """The parts of a round's setup this viewer may write in some round (SETUP_PARTS)."""
    return tuple(p for p in SETUP_PARTS
                 if any(scope(viewer, "write", f"round_setup:{p}", published) is not None
                        for published in (False, True)))


def visible_views(viewer: Viewer, has_internal: bool) -> tuple[str, ...]:
    """The board views offered: stage views only to viewers who may see every unit's
    internal stage detail, when the rubric has internal indicators (otherwise a stage board's
    totals minus the visible indicators would give the internal points away)."""
    if not has_internal:
        return vocab.VIEWS
    if scope(viewer, "read", "stage_detail_internal", published=True) == "all":
        return vocab.VIEWS
    return ("final",)


def mask_internal(table: pd.DataFrame, internal: set[str], own: list[str], full: bool):
    """Blank the per-stage points of indicators the rubric marks internal in an indicator
    table (one row per unit and indicator), except for full viewers and the unit's own users.

    Scoring itself runs on the complete stage data, so totals are the official ones; only the
    stage-by-stage detail is withheld.
    """
    if full or not internal:
        return table
    hidden = table["indicator_code"].isin(internal) & ~table["unit_code"].isin(own)
    out = table.copy()
    for column in vocab.STAGES:
        if column in out.columns:
            out[column] = out[column].astype(float).where(~hidden)
    return out
