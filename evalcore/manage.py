"""The rules of the data management page, without Streamlit: whether a deployment writes at
all, who is offered the page, the import template of a round, the audit entries and rounds a
viewer may see. The access policy (evalcore/access.py) decides; this module only asks it.

Writes are not here: they go through evalcore.actions, which checks again as it writes.
"""

from __future__ import annotations

import io
import os

import pandas as pd

from evalcore.access import Viewer, scope
from evalcore.actions import Actor
from evalcore.db import Store
from evalcore.importer.template import write_score_template
from evalcore.paths import default_db_path
from evalcore.rounds import round_rubric


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


def managed_rounds(store: Store, viewer: Viewer) -> pd.DataFrame:
    """Every round with its state, for a viewer who may create and publish rounds; else none."""
    return store.rounds() if viewer.may_manage else pd.DataFrame()
