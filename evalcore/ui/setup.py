"""The round setup page's side: the stored setup of a round as the policy lets the viewer read
it, the tables its editors start from, templates and uploads, and the write actions.

What belongs here: turning the page's widgets into calls of evalcore.views.round_setup (the
tables and their checks), evalcore.importer.setup (files) and evalcore.actions (writes, which
check rights and the rules again inside the transaction). Every write goes through
ui.actions._act: the user reads one message in their language, nothing is written on failure.
Session keys: `setup.*`, scalars only (the editors' own edit state aside).
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from evalcore import actions, manage, rounds_setup
from evalcore.access import Viewer
from evalcore.importer import ImportRejected
from evalcore.importer.setup import prepare_setup, stored_setup
from evalcore.importer.setup_template import write_setup_template
from evalcore.messages import Message, render
from evalcore.ui.actions import _act
from evalcore.ui.loaders import TTL, Source, _store, regions
from evalcore.ui.state import Context
from evalcore.ui.widgets import OUTCOME
from evalcore.views import round_setup as rv
from evalcore.views.data import audit_frame, problems_frame


def may_set_up(viewer: Viewer) -> bool:
    """Whether the page is offered: never on a read-only deployment."""
    return manage.setup_page_visibility(viewer) == "visible"


def _editor_key(year: int) -> str:
    return f"setup.groups_editor.{year}"


def _suggested_key(year: int) -> str:
    return f"setup.groups_suggested.{year}"


@st.cache_data(ttl=TTL)
def _stored(source: Source, kind: str, year: int) -> pd.DataFrame:
    viewer = Viewer.from_key(source.viewer)
    store = _store(source.path)
    if kind == "targets":  # the progress rule's rows of the year
        targets = store.targets(viewer)
        return targets[targets["year"] == year]
    return store.group_assignments(year, viewer) if kind == "groups" else store.round_stages(
        year, viewer)


def stored(ctx: Context, kind: str, year: int) -> pd.DataFrame:
    """The round's stored targets, groups or deadlines, as the viewer may read them."""
    return _stored(ctx.source, kind, year)


def city_names(ctx: Context) -> dict[str, str]:
    cities = regions(ctx.source).query("level == 'city'").sort_values("code")
    return dict(zip(cities["code"], cities["name"], strict=True))


def notes(ctx: Context, year: int) -> list[str]:
    """What the round still lacks and what that does, in the user's language."""
    lacking = [Message("setup_round_no_groups", {"year": year})] if stored(
        ctx, "groups", year).empty else []
    targets = stored(ctx, "targets", year - 1)
    lacking += rounds_setup.missing_targets(pd.concat([targets, stored(ctx, "targets", year)]),
                                            year)
    return [render(m, ctx.lang) for m in lacking]


# -- deadlines ---------------------------------------------------------------------------

def deadline_defaults(ctx: Context, year: int) -> dict[str, tuple]:
    """{stage: (opens, closes)} stored for the round: the inputs' first values."""
    return rv.deadline_defaults(stored(ctx, "deadlines", year))


def checked_deadlines(ctx: Context, year: int, due, cross, third) -> tuple[dict, list[str]]:
    """The windows the inputs give and their problems in the user's language."""
    windows = rv.deadline_windows(due, cross, third)
    problems = rv.deadline_problems(year, stored(ctx, "deadlines", year), windows)
    return windows, [render(m, ctx.lang) for m in problems]


def save_deadlines(ctx: Context, year: int, windows: dict) -> None:
    _act(ctx, lambda actor: actions.set_deadlines(_store(ctx.path), actor, year, windows),
         "deadlines_saved_page")


# -- groups ------------------------------------------------------------------------------

def groups_table(ctx: Context, year: int) -> tuple[pd.DataFrame, bool]:
    """The editor's starting table and whether it is the suggestion (no groups stored, or
    the suggestion was asked for)."""
    groups = stored(ctx, "groups", year)
    suggested = groups.empty or st.session_state.get(_suggested_key(year), False)
    if suggested:
        groups = rounds_setup.suggest_groups(list(city_names(ctx)), year)
    return rv.groups_editor_frame(groups, city_names(ctx)), suggested


def rotation_step(ctx: Context, year: int) -> int:
    return rounds_setup.rotation_step(len(city_names(ctx)), year)


def group_columns(ctx: Context) -> dict:
    """The groups editor's columns: cities as selectboxes of the city names, texts capped."""
    names = list(city_names(ctx).values())
    city = {c: st.column_config.SelectboxColumn(ctx.t(f"setup_{c}"), options=names,
                                                required=True)
            for c in ("leader_city", "inspected_city")}
    texts = {c: st.column_config.TextColumn(ctx.t(f"setup_{c}"), max_chars=limit)
             for c, limit in rounds_setup.TEXT_LIMITS.items()}
    return {"group_no": st.column_config.NumberColumn(ctx.t("setup_group_no"), disabled=True),
            **city, **texts}


def target_columns(ctx: Context) -> dict:
    """The targets editor's columns: the unit fixed, whole numbers ≥ 0, investment ≥ 0."""
    def fixed(label: str):
        return st.column_config.TextColumn(label, disabled=True)

    def count(label: str):
        return st.column_config.NumberColumn(label, min_value=0, step=1, format="%d")

    return {"unit_code": fixed(ctx.t("unit_code")), "unit_name": fixed(ctx.t("unit_name")),
            "level": fixed(ctx.t("level")), "communities": count(ctx.t("communities")),
            "households": count(ctx.t("households")),
            "investment_wan": st.column_config.NumberColumn(ctx.t("setup_investment_wan"),
                                                            min_value=0.0)}


def suggest(year: int) -> None:
    """Start the editor again from the suggested rotation (edits so far are dropped)."""
    st.session_state[_suggested_key(year)] = True
    st.session_state.pop(_editor_key(year), None)


def edited_groups(ctx: Context, edited: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The edited table as groups (cities by code) and its problems in the user's language."""
    groups = rv.groups_from_editor(edited, city_names(ctx))
    return groups, [render(m, ctx.lang) for m in rv.group_problems(groups, city_names(ctx))]


def save_groups(ctx: Context, year: int, groups: pd.DataFrame, suggested: bool) -> None:
    source = "suggestion" if suggested else "form"
    _act(ctx, lambda actor: actions.assign_groups(_store(ctx.path), actor, year, groups,
                                                  source=source), "groups_saved_page")
    if st.session_state.get(OUTCOME, ("",))[0] == "success":  # the stored groups show now
        st.session_state.pop(_suggested_key(year), None)
        st.session_state.pop(_editor_key(year), None)


# -- targets -----------------------------------------------------------------------------

def targets_table(ctx: Context, year: int) -> pd.DataFrame:
    return rv.targets_editor_frame(regions(ctx.source), stored(ctx, "targets", year))


def edited_targets(ctx: Context, year: int, edited: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows an edited targets table would write (changed ones) and its problems."""
    rows, problems = rv.targets_changes(edited, stored(ctx, "targets", year), year)
    return rows, [render(m, ctx.lang) for m in problems]


def save_targets(ctx: Context, year: int, rows: pd.DataFrame) -> None:
    _act(ctx, lambda actor: actions.set_targets(_store(ctx.path), actor, year, rows),
         "targets_saved_page")
    if st.session_state.get(OUTCOME, ("",))[0] == "success":
        st.session_state.pop(f"setup.targets_editor.{year}", None)


# -- files: templates (the stored setup, so also its export) and imports -------------------

def template_bytes(ctx: Context, kind: str, year: int) -> bytes:
    buffer = io.BytesIO()
    write_setup_template(buffer, kind, year, regions(ctx.source),
                         stored_setup(_store(ctx.path), kind, year))
    return buffer.getvalue()


@st.cache_data(ttl=TTL, max_entries=16)
def _prepared_upload(source: Source, file_id: str, kind: str, year: int, _name: str,
                     _data: bytes):
    # Keyed by the uploader's id of the file, as the data page's uploads are.
    try:
        return prepare_setup(_store(source.path), _name, kind, year,
                             Viewer.from_key(source.viewer), data=_data), []
    except ImportRejected as rejected:
        return None, rejected.problems


def import_box(ctx: Context, kind: str, year: int) -> None:
    """Template download, upload, its problems or preview, and the confirm button."""
    st.download_button(ctx.t("download_template"), lambda: template_bytes(ctx, kind, year),
                       file_name=f"{kind}-{year}.xlsx", key=f"setup.template.{kind}")
    upload = st.file_uploader(ctx.t("upload"), type=["csv", "xlsx"], key=f"setup.upload.{kind}")
    if upload is None:
        return
    prepared, problems = _prepared_upload(ctx.source, upload.file_id, kind, year, upload.name,
                                          upload.getvalue())
    if problems:
        st.error(ctx.t("import_refused").format(n=len(problems)))
        st.dataframe(problems_frame(problems, ctx.lang), hide_index=True)
        return
    r = prepared.result
    st.success(ctx.t("import_ready").format(new=r.new, changed=r.changed, unchanged=r.unchanged))
    st.button(ctx.t("confirm_import"), type="primary", key=f"setup.confirm.{kind}",
              on_click=_act, args=(ctx, lambda actor: actions.import_prepared(
                  _store(ctx.path), actor, prepared), "import_done"))


# -- history -----------------------------------------------------------------------------

def history(ctx: Context, year: int) -> tuple[pd.DataFrame, list[int]]:
    """This round's setup changes as a table in the user's language, and those revertible."""
    log = manage.audit_entries(_store(ctx.path), ctx.viewer, None, None, None)
    entries = rv.setup_history(log, year)
    return audit_frame(entries, ctx.lang), rv.revertible_setup(entries, log)
