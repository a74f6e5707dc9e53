"""The bonus cases workspace's side: the round's cases, evidence and deductions as the policy
lets the viewer read them, the units it may act for, and the write actions (claim, edit,
withdraw, review, enter a deduction), the templates and imports of both tables.

Every write goes through ui.actions._act: the user reads one message in their language and
nothing is written on failure. Form callbacks read their widgets from session state (keys
`bc.*`, scalars and the uploader's files), so they act on what was submitted.
"""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from evalcore import actions, evidence, manage
from evalcore import actions_bonus as ab
from evalcore.access import Viewer, scope
from evalcore.importer import ImportRejected
from evalcore.importer.bonus import prepare_bonus
from evalcore.importer.bonus_template import write_bonus_template
from evalcore.paths import evidence_dir
from evalcore.rounds import round_rubric
from evalcore.rubric import Rubric
from evalcore.ui.actions import _act
from evalcore.ui.loaders import TTL, Source, _store, regions
from evalcore.ui.state import Context
from evalcore.views.data import problems_frame

KINDS = {"claims": "bonus_case_rows", "deductions": "deduction_entries"}


def may_use(viewer: Viewer) -> bool:
    """Whether the workspace is offered: to whoever may claim, review or enter deductions."""
    return not manage.read_only_deployment() and (
        ab.may_claim(viewer) or bool(ab.review_stages(viewer)) or ab.may_enter_deductions(viewer))


def visibility(viewer: Viewer) -> str | None:
    """How the navigation lists the page (manage.bonus_cases_page_visibility)."""
    return manage.bonus_cases_page_visibility(viewer)


@st.cache_data(ttl=TTL)
def _rows(source: Source, kind: str, year: int) -> pd.DataFrame:
    store, viewer = _store(source.path), Viewer.from_key(source.viewer)
    if kind == "evidence":
        return store.evidence_rows(year, viewer)
    return getattr(store, KINDS[kind])(year, viewer)


def rows(ctx: Context, kind: str, year: int) -> pd.DataFrame:
    """The round's claims, deductions or evidence rows the viewer may read."""
    return _rows(ctx.source, kind, year)


def rubric(ctx: Context, year: int) -> Rubric:
    return round_rubric(_store(ctx.path), year, ctx.viewer)


def units(ctx: Context, year: int) -> dict[str, str]:
    """The units the viewer may act for in this round (code → name): all cities and counties
    where a write row grants "all", else its own units."""
    published = bool(_store(ctx.path)._is_published(year))
    resources = ["bonus:claim", "deductions", *(f"bonus:review:{s}"
                                                for s in ab.review_stages(ctx.viewer))]
    scopes = {scope(ctx.viewer, "write", r, p) for r in resources for p in (published, False)}
    frame = regions(ctx.source)
    frame = frame[frame["level"].isin(["city", "county"])]
    if "all" not in scopes:
        frame = frame[frame["code"].isin(_store(ctx.path).own_units(year, ctx.viewer))]
    return dict(zip(frame["code"], frame["name"], strict=True))


def root(ctx: Context):
    return evidence_dir(ctx.path)


def evidence_file(ctx: Context, sha256: str) -> bytes:
    """A stored file's bytes (the caller lists only rows the viewer may read)."""
    return evidence.read(root(ctx), sha256)


def _files(key: str) -> list[tuple[str, bytes]]:
    return [(f.name, f.getvalue()) for f in st.session_state.get(key) or []]


def claim(ctx: Context, year: int, unit: str, case_no: int | None, form: str) -> None:
    """The claim form's callback: a new case (case_no None) or an edit; `form` names the
    form whose widgets hold the values."""
    state = st.session_state
    _act(ctx, lambda actor: ab.claim_case(
        _store(ctx.path), actor, root(ctx), year, unit, state[f"bc.category.{form}"],
        state.get(f"bc.title.{form}", ""), state.get(f"bc.description.{form}"),
        state.get(f"bc.amount.{form}"), files=_files(f"bc.files.{form}"), case_no=case_no),
        "bc_claimed")


def withdraw(ctx: Context, year: int, unit: str, category: str, case_no: int) -> None:
    _act(ctx, lambda actor: ab.withdraw_case(_store(ctx.path), actor, year, unit, category,
                                             case_no), "bc_withdrawn")


def review(ctx: Context, year: int, unit: str, category: str, case_no: int) -> None:
    state = st.session_state
    accept = state.get("bc.verdict") == "accepted"
    _act(ctx, lambda actor: ab.review_case(_store(ctx.path), actor, year, unit, category,
                                           case_no, accept, state.get("bc.note", "")),
         "bc_reviewed")


def deduct(ctx: Context, year: int, unit: str) -> None:
    state = st.session_state
    _act(ctx, lambda actor: ab.enter_deduction(
        _store(ctx.path), actor, root(ctx), year, unit, state["bc.item"],
        state.get("bc.points"), state.get("bc.reason", ""), files=_files("bc.ded_files")),
        "bc_deducted")


def kinds_allowed(viewer: Viewer) -> list[str]:
    """The import kinds this viewer may use (bonus: claim or review; deductions)."""
    out = ["bonus"] if ab.may_claim(viewer) or ab.review_stages(viewer) else []
    return out + (["deductions"] if ab.may_enter_deductions(viewer) else [])


def template_bytes(ctx: Context, kind: str, year: int) -> bytes:
    """The template of a kind, filled with the rows the viewer may read: also the export."""
    stored = rows(ctx, "claims" if kind == "bonus" else "deductions", year)
    buffer = io.BytesIO()
    write_bonus_template(buffer, kind, year, rubric(ctx, year), regions(ctx.source), stored)
    return buffer.getvalue()


@st.cache_data(ttl=TTL, max_entries=16)
def _prepared_upload(source: Source, file_id: str, kind: str, year: int, _name: str,
                     _data: bytes):
    try:
        return prepare_bonus(_store(source.path), _name, kind, year,
                             Viewer.from_key(source.viewer), data=_data), []
    except ImportRejected as rejected:
        return None, rejected.problems


def import_box(ctx: Context, kind: str, year: int, prefix: str = "bc") -> None:
    """Template (and export) download, upload, its problems or preview, the confirm button."""
    st.download_button(ctx.t("bc_template"), lambda: template_bytes(ctx, kind, year),
                       file_name=f"{kind}-{year}.xlsx", key=f"{prefix}.template.{kind}")
    upload = st.file_uploader(ctx.t("upload"), type=["csv", "xlsx"],
                              key=f"{prefix}.upload.{kind}")
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
    st.button(ctx.t("confirm_import"), type="primary", key=f"{prefix}.confirm.{kind}",
              on_click=_act, args=(ctx, lambda actor: actions.import_prepared(
                  _store(ctx.path), actor, prepared), "import_done"))


__all__ = ["claim", "deduct", "evidence_file", "import_box", "kinds_allowed", "may_use",
           "review", "rows", "rubric", "template_bytes", "units", "visibility",
           "withdraw"]
