"""The rules of the data management page, without Streamlit: whether a deployment writes at
all, who is offered the page, the import template of a round, the audit entries and rounds a
viewer may see. The access policy (evalcore/access.py) decides; this module only asks it.

Writes are not here: they go through evalcore.actions, which checks again as it writes.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime

import pandas as pd

from evalcore.access import Viewer, allows, scope
from evalcore.actions import Actor
from evalcore.db import Store
from evalcore.importer.template import write_score_template
from evalcore.paths import default_db_path
from evalcore.rounds import round_rubric
from evalcore.vocab import STAGES


def read_only_deployment() -> bool:
    """EVAL_READ_ONLY=1 serves the file read-only: a public instance that cannot write, offers
    no sign-in and no data management. A snapshot directory (EVAL_DB naming a directory,
    evalcore.snapshot) is only ever served so."""
    return os.environ.get("EVAL_READ_ONLY", "") == "1" or default_db_path().is_dir()


def offers_data_page(viewer: Viewer) -> bool:
    """Whether the data page is offered to `viewer`: never on a read-only deployment."""
    return viewer.may_import and not read_only_deployment()


def data_page_visibility(viewer: Viewer) -> str | None:
    """How the navigation lists the data page: "visible" to whoever may import; "hidden" on a
    read-only deployment (a link to /data then opens and says it is not available there);
    None, not listed at all, otherwise."""
    if read_only_deployment():
        return "hidden"
    return "visible" if offers_data_page(viewer) else None


def setup_page_visibility(viewer: Viewer) -> str | None:
    """How the navigation lists the round setup page: "visible" to whoever may write a part of
    a round's setup; "hidden" on a read-only deployment (a link opens and says why not); None,
    not listed at all, otherwise."""
    if read_only_deployment():
        return "hidden"
    return "visible" if viewer.may_set_up else None


def entry_page_visibility(viewer: Viewer) -> str | None:
    """How the navigation lists the online entry page: "visible" to whoever may write some
    stage's scores in a draft round (access policy, scores:<stage>); "hidden" on a read-only
    deployment; None, not listed at all, otherwise."""
    if read_only_deployment():
        return "hidden"
    writes = any(scope(viewer, "write", f"scores:{s}", published=False) is not None
                 for s in STAGES)
    return "visible" if writes else None


def lead_page_visibility(viewer: Viewer) -> str | None:
    """The leadership page (notice, incentives): "visible" to leaders and administrators (the
    access policy's `notice`), not listed for anyone else (a link opens and refuses)."""
    return "visible" if viewer.may_lead else None


def bonus_cases_page_visibility(viewer: Viewer) -> str | None:
    """The bonus cases workspace: "visible" to whoever may claim or review bonus cases or
    enter deductions (evalcore.actions_bonus asks the policy); "hidden" on a read-only
    deployment; None otherwise."""
    from evalcore import actions_bonus as ab

    if read_only_deployment():
        return "hidden"
    uses = ab.may_claim(viewer) or bool(ab.review_stages(viewer)) \
        or ab.may_enter_deductions(viewer)
    return "visible" if uses else None


def manage_page_visibility(viewer: Viewer) -> dict:
    """Each management page (navigation.MANAGE_PAGES) and how the menu offers it to
    `viewer`: "visible", "hidden" (routed, not listed: a link opens it and it refuses) or None
    (not routed at all)."""
    from evalcore.navigation import (
        BONUS_CASES_PAGE,
        DATA_PAGE,
        ENTRY_PAGE,
        LEAD_PAGE,
        PROBLEMS_PAGE,
        SETUP_PAGE,
        STATUS_PAGE,
    )
    from evalcore.round_status import offered

    return {STATUS_PAGE: "visible" if offered(viewer) else None,
            ENTRY_PAGE: entry_page_visibility(viewer),
            BONUS_CASES_PAGE: bonus_cases_page_visibility(viewer),
            PROBLEMS_PAGE: problems_page_visibility(viewer),
            DATA_PAGE: data_page_visibility(viewer),
            SETUP_PAGE: setup_page_visibility(viewer),
            LEAD_PAGE: lead_page_visibility(viewer) or "hidden"}


def problems_page_visibility(viewer: Viewer) -> str | None:
    """How the navigation lists the problems page: "visible" to whoever the policy lets read
    problems (never the public); None, not listed, otherwise. A read-only deployment serves
    what the public sees, so it does not list it either."""
    if read_only_deployment():
        return None
    readable = any(scope(viewer, "read", "problems", p) is not None for p in (False, True))
    return "visible" if readable else None


def score_template(store: Store, viewer: Viewer, year: int, stage: str) -> bytes:
    """The XLSX template of one round and stage, from the rubric that round is scored with."""
    buffer = io.BytesIO()
    write_score_template(buffer, round_rubric(store, year, viewer), store.regions(), year, stage)
    return buffer.getvalue()


def audit_entries(store: Store, viewer: Viewer, username: str | None, action: str | None,
                  text: str | None) -> pd.DataFrame:
    """The audit log as the policy lets `viewer` read it: every entry ("all"), the entries the
    signed-in account made itself ("own"), or none."""
    granted = scope(viewer, "read", "audit", published=True)
    if granted is None or (granted == "own" and not username):
        return store.audit_entries(action=action, text=text).iloc[0:0]
    actor = None if granted == "all" else Actor(username).label(viewer)
    return store.audit_entries(action=action, actor=actor, text=text)


def sign_in_events(accounts, viewer: Viewer, username: str | None) -> pd.DataFrame:
    """Sign-ins, failures, lockouts and unlocks (auth.AccountStore.sign_in_events) as the
    audit log's policy lets `viewer` read them: every account's ("all"), the signed-in
    account's own ("own"), or none."""
    granted = scope(viewer, "read", "audit", published=True)
    if granted is None or (granted == "own" and not username):
        return accounts.sign_in_events(limit=0)
    return accounts.sign_in_events(actor=None if granted == "all" else username)


def locked_accounts(accounts, viewer: Viewer, now: datetime) -> list[str]:
    """Accounts locked now (from one source or from every one), for a viewer who may manage
    accounts; else none. The unlock itself re-checks (evalcore.actions.unlock_account)."""
    if not allows(viewer, "write", "accounts", published=False, own=False):
        return []
    frame = accounts.accounts()
    at = pd.Timestamp(now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now)
    return sorted(frame.loc[frame["locked_until"] > at, "username"])


def managed_rounds(store: Store, viewer: Viewer) -> pd.DataFrame:
    """Every round with its state, for a viewer who may create and publish rounds; else none."""
    return store.rounds() if viewer.may_manage else pd.DataFrame()
