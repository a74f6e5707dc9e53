"""The data page's side of data management: templates, uploads, the audit log, write actions.

What belongs here: turning the page's widgets into calls of evalcore.manage (what a viewer may
see and download) and evalcore.actions (writes, which check the viewer's rights again inside
the write transaction). Every write goes through `_act`: whatever fails, the user reads one
message in their language, the server log gets the details, and nothing is written.
An upload is prepared once per file (its uploader id), from memory, whatever the reruns.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from evalcore import actions, auth, manage
from evalcore.access import PUBLIC, Viewer
from evalcore.access import importable_stages as importable_stages_of
from evalcore.actions import Actor
from evalcore.db import StoreError
from evalcore.importer import ImportRejected, prepare_scores
from evalcore.messages import Message, render
from evalcore.rubric import list_rubrics
from evalcore.ui.loaders import TTL, Source, _store, rounds
from evalcore.ui.session import accounts, current_viewer, username
from evalcore.ui.state import Context
from evalcore.ui.widgets import LOG, OUTCOME
from evalcore.vocab import AUDIT_ACTIONS

ALL_ACTIONS = "all"  # the audit filter's first option


def may_import(viewer: Viewer) -> bool:
    """Whether the data page is offered: never on a read-only deployment."""
    return manage.offers_data_page(viewer)


def round_years(ctx: Context) -> list[int]:
    return [int(y) for y in rounds(ctx.source)["year"]]


def importable_stages(ctx: Context) -> tuple[str, ...]:
    return importable_stages_of(ctx.viewer)


def template_bytes(ctx: Context, year: int, stage: str) -> bytes:
    return manage.score_template(_store(ctx.path), ctx.viewer, year, stage)


@st.cache_data(ttl=TTL, max_entries=16)
def _prepared_upload(source: Source, file_id: str, year: int, stage: str, _name: str,
                     _data: bytes):
    # Keyed by the uploader's id of the file (a new id for every upload), not by its bytes:
    # nothing is hashed on a rerun. Writes clear every cache, so a preview is never stale.
    try:
        return prepare_scores(_store(source.path), _name, year, stage,
                              Viewer.from_key(source.viewer), data=_data), []
    except ImportRejected as rejected:
        return None, rejected.problems


def prepare_upload(ctx: Context, upload, year: int, stage: str):
    """(prepared import, []) or (None, problems) for the file in the uploader: validated once
    per file, round, stage and viewer, read from memory; nothing written, nothing on disk."""
    return _prepared_upload(ctx.source, upload.file_id, year, stage, upload.name,
                            upload.getvalue())


def _changed() -> None:
    """Data changed: every cached frame may be stale, for every viewer."""
    st.cache_data.clear()


def _act(ctx: Context, action: Callable[[Actor], int], success_key: str) -> None:
    """Run one write action as the signed-in account, re-checked when it writes, and record
    the outcome in the user's language. A refusal or any failure writes nothing.

    Only a signed-in, unexpired session acts (an Actor without a name is the command line),
    and never on a read-only deployment."""
    if current_viewer() == PUBLIC or manage.read_only_deployment():
        st.session_state[OUTCOME] = ("error", render(Message("store_not_allowed"), ctx.lang))
        return
    actor = Actor(username(), accounts())
    try:
        entry = action(actor)
    except StoreError as refused:  # Refused included: a Message in the user's language
        LOG.warning("data action refused: %s", refused)
        st.session_state[OUTCOME] = ("error", refused.render(ctx.lang))
        return
    except Exception:
        LOG.exception("data action failed")
        st.session_state[OUTCOME] = ("error", ctx.t("msg_action_failed"))
        return
    finally:
        _changed()
    st.session_state[OUTCOME] = ("success", ctx.t(success_key).format(id=entry))


def apply_upload(ctx: Context, prepared) -> None:
    _act(ctx, lambda actor: actions.import_prepared(_store(ctx.path), actor, prepared),
         "import_done")


def audit_actions() -> tuple[str, ...]:
    """The audit filter's options: every action the log records, after "all"."""
    return (ALL_ACTIONS, *AUDIT_ACTIONS)


def audit_log(ctx: Context, action: str, text: str | None) -> pd.DataFrame:
    """The audit log as the policy lets this viewer read it (evalcore.manage)."""
    return manage.audit_entries(_store(ctx.path), ctx.viewer, username(),
                                None if action == ALL_ACTIONS else action, text)


def sign_in_events(ctx: Context) -> pd.DataFrame:
    """Sign-ins, failures, lockouts and unlocks, as the audit policy lets this viewer read
    them (evalcore.manage); read anew on each run, never cached."""
    return manage.sign_in_events(accounts(), ctx.viewer, username())


def locked_accounts(ctx: Context) -> list[str]:
    return manage.locked_accounts(accounts(), ctx.viewer, auth.utc_now())


def unlock_account(ctx: Context, name: str) -> None:
    """Clear an account's failures and locks, as the signed-in administrator, re-checked."""
    _act(ctx, lambda actor: actions.unlock_account(actor, name) and name, "account_unlocked")


def revert(ctx: Context, audit_id: int) -> None:
    _act(ctx, lambda actor: actions.revert(_store(ctx.path), actor, audit_id), "reverted")


def rounds_for_admin(ctx: Context) -> pd.DataFrame:
    return manage.managed_rounds(_store(ctx.path), ctx.viewer)


def set_published(ctx: Context, year: int, published: bool) -> None:
    _act(ctx, lambda actor: actions.set_published(_store(ctx.path), actor, year, published),
         "published_done" if published else "unpublished_done")


def rubric_versions() -> list[str]:
    return list_rubrics()


def create_round(ctx: Context) -> None:
    """A new draft round from the form's values (admin); refused if the year exists."""
    year = int(st.session_state["data.new_year"])
    version = str(st.session_state["data.new_rubric"])
    _act(ctx, lambda actor: actions.create_round(_store(ctx.path), actor, year, version),
         "round_created")
