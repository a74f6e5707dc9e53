"""The problems page's side (整改): the round's problems and their evidence as the policy lets
the viewer read them, what the viewer may do, the forms' choices and the write actions.

Every write goes through ui.actions._act (one message in the user's language; nothing
written on failure) and evalcore.actions_problems (rights and the problem's state checked
again inside the write transaction). Session keys: `problems.*`, scalars only.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from evalcore import actions, evidence, rectification
from evalcore import actions_problems as ap
from evalcore.access import Viewer, allows, scope
from evalcore.importer import ImportRejected
from evalcore.importer.problem_rows import prepare_problems
from evalcore.importer.problem_template import write_problem_template
from evalcore.paths import evidence_dir
from evalcore.rounds import round_rubric
from evalcore.ui.actions import _act
from evalcore.ui.loaders import TTL, Source, _store, communities, regions, rounds
from evalcore.ui.session import username
from evalcore.ui.state import Context
from evalcore.views import problems as pv
from evalcore.views.data import problems_frame

KEY = "problems."


def may_read(viewer: Viewer) -> bool:
    """Whether the page is offered: to whoever the policy lets read problems of some round."""
    return any(scope(viewer, "read", "problems", p) is not None for p in (False, True))


def _published(ctx: Context, year: int) -> bool:
    frame = rounds(ctx.source).set_index("year")
    return bool(frame.loc[year, "published"]) if year in frame.index else False


def may(ctx: Context, year: int, what: str) -> bool:
    """May the viewer record, answer or review problems of some unit in this round?"""
    return scope(ctx.viewer, "write", f"problems:{what}", _published(ctx, year)) is not None


@st.cache_data(ttl=TTL)
def _problems(source: Source, year: int) -> pd.DataFrame:
    return _store(source.path).problems(year, Viewer.from_key(source.viewer))


def problems(ctx: Context, year: int) -> pd.DataFrame:
    """The round's problems the viewer may read (Store.problems)."""
    return _problems(ctx.source, year)


@st.cache_data(ttl=TTL)
def _evidence(source: Source, year: int) -> pd.DataFrame:
    return _store(source.path).evidence_rows(year, Viewer.from_key(source.viewer))


def evidence_files(ctx: Context, year: int, problem_id: int) -> pd.DataFrame:
    """The evidence of one problem and of its rectification that the viewer may read."""
    files = _evidence(ctx.source, year)
    return files[files["subject"].isin(("problem", "rectification"))
                  & (files["subject_key"] == str(problem_id))].reset_index(drop=True)


def evidence_bytes(ctx: Context, sha256: str) -> bytes:
    return evidence.read(evidence_dir(ctx.path), sha256)


def today() -> date:
    return date.today()


def filtered(found: pd.DataFrame, unit: str, status: str, severity: str,
             overdue: bool) -> pd.DataFrame:
    """The problems matching the list's filters ("" or False: any), as of today."""
    return rectification.filtered(found, today(), unit or None, status or None,
                                  severity or None, overdue)


def reviewable(ctx: Context, found: pd.DataFrame) -> pd.DataFrame:
    """The problems the viewer may sign off or send back: those its account found, or any
    where the policy grants problems:review_any (administrators); checked again on writing."""
    if allows(ctx.viewer, "write", "problems:review_any", False):
        return found
    return found[found["found_by"] == f"{ctx.viewer.role}:{username()}"]


def counts_for(ctx: Context, year: int, code: str) -> dict | None:
    """recorded, outstanding, overdue, closed of one unit (a city with its counties) for the
    profile page; None where the viewer may not read that unit's problems (the public)."""
    every, own = _store(ctx.path).scope_of(year, ctx.viewer, "problems")
    if not every and code not in own:
        return None
    units = regions(ctx.source)
    counties = set(units.loc[units["parent_code"] == code, "code"])
    return rectification.unit_counts(problems(ctx, year), code, counties, today())


# -- the forms' choices -------------------------------------------------------------------

def unit_names(ctx: Context) -> dict[str, str]:
    return pv.unit_names(regions(ctx.source), ctx.lang)


def recordable_units(ctx: Context, year: int) -> list[str]:
    """The units the viewer may record problems for in this round (its inspected units for a
    group; every unit for the third party and administrators)."""
    published = _published(ctx, year)
    own = set(_store(ctx.path).own_units(year, ctx.viewer))
    return [c for c in unit_names(ctx)
            if allows(ctx.viewer, "write", "problems:record", published, c in own)]


def community_options(ctx: Context, unit: str | None) -> list[str]:
    """"" (none) and the ids of the unit's communities (a city's: its counties')."""
    if not unit:
        return [""]
    found = communities(ctx.source)
    units = regions(ctx.source)
    counties = {unit, *units.loc[units["parent_code"] == unit, "code"]}
    return ["", *sorted(found.loc[found["county_code"].isin(counties), "id"].astype(str))]


def community_label(ctx: Context, community_id: str) -> str:
    if not community_id:
        return "—"
    found = communities(ctx.source).set_index("id")
    return f"{found['name'].get(community_id, '')} ({community_id})"


def indicator_options(ctx: Context, year: int) -> dict[str, str]:
    """"" (none) and every indicator of the round's rubric: code → 'A1 name'."""
    rubric = round_rubric(_store(ctx.path), year, ctx.viewer)
    name = "name_en" if ctx.lang == "en" else "name_zh"
    return {"": "—", **{i.code: f"{i.code} {getattr(i, name)}" for i in rubric.indicators}}


def default_deadline(year: int) -> date:
    """A month from today, within the round's year and the years a deadline may take."""
    return min(max(today() + timedelta(days=30), date(year, 1, 1)),
               date(year + rectification.MAX_DEADLINE_YEARS, 12, 31))


def _files(widget_key: str) -> list[tuple[str, bytes]]:
    uploads = st.session_state.get(widget_key) or []
    return [(u.name, u.getvalue()) for u in uploads]


# -- the write actions (button callbacks: values read from the widgets' keys) --------------

def record(ctx: Context, year: int) -> None:
    s = st.session_state
    _act(ctx, lambda actor: ap.record_problem(
        _store(ctx.path), actor, year, s.get(KEY + "unit") or "",
        s.get(KEY + "description", ""), s.get(KEY + "severity", ""), s.get(KEY + "deadline"),
        community_id=s.get(KEY + "community") or None,
        indicator_code=s.get(KEY + "indicator") or None, files=_files(KEY + "files"),
        root=evidence_dir(ctx.path)).audit_id, "pr_recorded_done")


def answer(ctx: Context) -> None:
    s = st.session_state
    _act(ctx, lambda actor: ap.answer_problem(
        _store(ctx.path), actor, int(s[KEY + "answer_id"]), s.get(KEY + "answer", ""),
        files=_files(KEY + "answer_files"), root=evidence_dir(ctx.path)), "pr_answered_done")


def review(ctx: Context, close: bool) -> None:
    s = st.session_state
    problem_id, note = int(s[KEY + "review_id"]), s.get(KEY + "review_note", "")
    if close:
        _act(ctx, lambda actor: ap.close_problem(_store(ctx.path), actor, problem_id, note),
             "pr_closed_done")
    else:
        _act(ctx, lambda actor: ap.return_problem(_store(ctx.path), actor, problem_id, note),
             "pr_returned_done")


# -- many at once: the template and an upload ----------------------------------------------

def template_bytes(year: int) -> bytes:
    buffer = io.BytesIO()
    write_problem_template(buffer, year)
    return buffer.getvalue()


@st.cache_data(ttl=TTL, max_entries=16)
def _prepared_upload(source: Source, file_id: str, year: int, _name: str, _data: bytes):
    # Keyed by the uploader's id of the file, as the data page's uploads are.
    try:
        return prepare_problems(_store(source.path), _name, year,
                                Viewer.from_key(source.viewer), data=_data), []
    except ImportRejected as rejected:
        return None, rejected.problems


def import_box(ctx: Context, year: int) -> None:
    """Template download, upload, its problems or what it would record, and the confirm."""
    st.download_button(ctx.t("download_template"), lambda: template_bytes(year),
                       file_name=f"problems-{year}.xlsx", key=KEY + "template")
    upload = st.file_uploader(ctx.t("upload"), type=["csv", "xlsx"], key=KEY + "upload")
    if upload is None:
        return
    prepared, found = _prepared_upload(ctx.source, upload.file_id, year, upload.name,
                                       upload.getvalue())
    if found:
        st.error(ctx.t("import_refused").format(n=len(found)))
        st.dataframe(problems_frame(found, ctx.lang), hide_index=True)
        return
    st.success(ctx.t("pr_import_ready").format(n=prepared.result.rows))
    st.button(ctx.t("confirm_import"), type="primary", key=KEY + "confirm", on_click=_act,
              args=(ctx, lambda actor: actions.import_prepared(_store(ctx.path), actor,
                                                               prepared), "import_done"))
