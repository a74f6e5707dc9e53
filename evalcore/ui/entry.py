"""The online entry page's side: what the user may choose, the form's rows and the stage's
state for a unit, evidence files (viewed only through Reader.evidence_file, which asks the
policy), and the write actions (save a draft, submit, reopen, attach evidence).

What belongs here: turning the page's widgets into calls of evalcore.views.entry (the form's
content) and evalcore.actions (writes, re-checked in their transaction). Saving validates the
form exactly as an import of the same row (actions_entry.prepare_form): its problems are shown
in the user's language and nothing is written. Session keys: `entry.*`, scalars only.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from evalcore import actions, actions_entry, evidence, manage
from evalcore.access import Viewer, allows
from evalcore.importer import ImportRejected
from evalcore.paths import evidence_dir
from evalcore.reader import Reader
from evalcore.rounds import round_rubric
from evalcore.ui.actions import _act
from evalcore.ui.loaders import TTL, Source, _store, indicator_table, regions, rounds
from evalcore.ui.state import Context
from evalcore.ui.widgets import OUTCOME
from evalcore.views import entry as ev
from evalcore.views.community import plain

UPLOAD_NO = "entry.upload_no"  # bumped after an upload, so the uploader starts empty


def may_enter(viewer: Viewer) -> bool:
    """Whether the page is offered: never on a read-only deployment."""
    return manage.entry_page_visibility(viewer) == "visible"


def draft_years(ctx: Context) -> list[int]:
    frame = rounds(ctx.source)
    return [int(y) for y in frame.loc[~frame["published"].astype(bool), "year"]]


def stages(ctx: Context) -> tuple[str, ...]:
    return ev.entry_stages(ctx.viewer)


@st.cache_data(ttl=TTL)
def _own_units(source: Source, year: int) -> list[str]:
    return _store(source.path).own_units(year, Viewer.from_key(source.viewer))


def units(ctx: Context, year: int, stage: str) -> list[str]:
    return ev.entry_units(ctx.viewer, stage, regions(ctx.source), _own_units(ctx.source, year))


def unit_name(ctx: Context):
    """format_func of the unit selector: 'name (code)'."""
    names = regions(ctx.source).set_index("code")["name"]
    return lambda code: f"{names.get(code, code)} ({code})"


@st.cache_data(ttl=TTL)
def _unit_data(source: Source, year: int, stage: str, unit: str):
    """The unit's stored scores of the stage, submissions, the stage's window, evidence."""
    store, viewer = _store(source.path), Viewer.from_key(source.viewer)
    scores = store.scores(year, viewer)
    scores = scores[(scores["unit_code"] == unit) & (scores["stage"] == stage)]
    reader = Reader(store, viewer)
    return (scores, reader.submissions(year), store.entry_window(year, stage, viewer),
            reader.evidence(year, unit=unit))


def form_rows(ctx: Context, year: int, stage: str, unit: str) -> list[ev.FormRow]:
    scores, _, _, evidence = _unit_data(ctx.source, year, stage, unit)
    level = str(regions(ctx.source).set_index("code").loc[unit, "level"])
    computed = indicator_table(ctx.source, year, level, None)
    rubric = round_rubric(_store(ctx.path), year, ctx.viewer)
    return ev.form_rows(rubric, stage, unit, scores, computed, evidence, ctx.lang)


def state(ctx: Context, year: int, stage: str, unit: str) -> ev.StageState:
    _, submissions, window, _ = _unit_data(ctx.source, year, stage, unit)
    return ev.stage_state(submissions, window, unit, stage, date.today())


def state_text(ctx: Context, s: ev.StageState) -> tuple[str, str]:
    """(kind, text) of the stage's state: 'info', 'success' (submitted) or 'warning'."""
    if s.status == "submitted":
        at = pd.Timestamp(s.submitted_at).strftime("%Y-%m-%d %H:%M")
        return "success", ctx.t("entry_state_submitted").format(by=s.submitted_by, at=at)
    text = ctx.t("entry_state_reopened").format(reason=s.reopen_reason) \
        if s.status == "reopened" else ctx.t("entry_state_draft")
    if s.closes is None:
        return "info", text + " " + ctx.t("entry_window_none")
    window = ctx.t("entry_window").format(opens=s.opens or "–", closes=s.closes)
    return ("warning" if s.window else "info"), f"{text} {window}" + (
        " " + ctx.t(f"entry_window_is_{s.window}") if s.window else "")


def value_text(ctx: Context, row: ev.FormRow) -> str:
    """A computed indicator's points as shown (no data: a dash)."""
    return "–" if row.value is None else f"{row.value:.2f}"


def row_caption(ctx: Context, row: ev.FormRow) -> str:
    """Description, rule, what this stage's points do and the evidence count (rubric text:
    the administrator's file, not user input)."""
    rule = f"{ctx.t('entry_rule')}: {row.rule}" if row.rule else ""
    counts = ctx.t(row.counts).format(stage=ctx.t(row.verifying_stage))
    files = ctx.t("entry_evidence_count").format(n=row.evidence) if row.evidence else ""
    return "  \n".join(p for p in (row.description, rule, " · ".join(
        p for p in (counts, files) if p)) if p)


def missing_text(ctx: Context, rows: list[ev.FormRow]) -> str | None:
    """The typed indicators still without points, said before submitting; None if none."""
    missing = ev.missing_codes(rows)
    return ctx.t("entry_missing").format(n=len(missing), codes=", ".join(missing)) \
        if missing else None


def download_label(row) -> str:
    """A stored file's button: indicator, its name (escaped: user text) and size."""
    return f"📎 {row.indicator_code} · {plain(row.file_name)} ({row.size_kb} KB)"


def _key(kind: str, year: int, stage: str, unit: str, code: str = "") -> str:
    return f"entry.{kind}.{year}.{stage}.{unit}" + (f".{code}" if code else "")


def points_key(year: int, stage: str, unit: str, code: str) -> str:
    return _key("points", year, stage, unit, code)


def note_key(year: int, stage: str, unit: str, code: str) -> str:
    return _key("note", year, stage, unit, code)


def may_reopen(ctx: Context) -> bool:
    return allows(ctx.viewer, "write", "submission:reopen", published=False)


# -- writes ------------------------------------------------------------------------------

def save(ctx: Context, year: int, stage: str, unit: str, codes: list[str]) -> None:
    """Save the form as a draft: validated as an import of the same row, then written."""
    state_ = st.session_state
    points = {c: state_.get(points_key(year, stage, unit, c)) for c in codes}
    notes = {c: state_.get(note_key(year, stage, unit, c)) or "" for c in codes}
    evaluator = state_.get("entry.evaluator") or ""
    try:
        prepared = actions_entry.prepare_form(_store(ctx.path), ctx.viewer, year, stage, unit,
                                              points, notes, evaluator, datetime.now())
    except ImportRejected as rejected:
        state_[OUTCOME] = ("error", rejected.render(ctx.lang))
        return
    _act(ctx, lambda actor: actions.enter_scores(_store(ctx.path), actor, prepared),
         "entry_saved")


def submit(ctx: Context, year: int, stage: str, unit: str) -> None:
    _act(ctx, lambda actor: actions.submit_stage(_store(ctx.path), actor, year, unit, stage),
         "entry_submitted")
    st.session_state.pop("entry.confirm", None)


def reopen(ctx: Context, year: int, stage: str, unit: str) -> None:
    reason = st.session_state.get("entry.reopen_reason") or ""
    _act(ctx, lambda actor: actions.reopen_stage(_store(ctx.path), actor, year, unit, stage,
                                                 reason), "entry_reopened")
    if st.session_state.get(OUTCOME, ("",))[0] == "success":
        st.session_state.pop("entry.reopen_reason", None)


# -- evidence ----------------------------------------------------------------------------

def evidence_caption(ctx: Context) -> str:
    """The accepted types and the limits: a file's is also the server's upload limit."""
    file_mb = min(evidence.MAX_FILE_BYTES // 2**20, int(st.get_option("server.maxUploadSize")))
    return ctx.t("entry_evidence_caption").format(
        file_mb=file_mb, unit_mb=evidence.MAX_UNIT_ROUND_BYTES // 2**20)


def uploader_key() -> str:
    return f"entry.evidence_file.{st.session_state.get(UPLOAD_NO, 0)}"


def add_evidence(ctx: Context, year: int, stage: str, unit: str) -> None:
    """Attach the file in the uploader to the chosen indicator of this stage."""
    upload = st.session_state.get(uploader_key())
    code = st.session_state.get("entry.evidence_indicator")
    if upload is None or not code:
        st.session_state[OUTCOME] = ("error", ctx.t("entry_evidence_choose"))
        return
    data, name = upload.getvalue(), upload.name
    root = evidence_dir(ctx.path)
    _act(ctx, lambda actor: actions.add_evidence(
        _store(ctx.path), actor, root, year, unit, "score", f"{stage}/{code}", data,
        name).file_name, "evidence_added")
    if st.session_state.get(OUTCOME, ("",))[0] == "success":
        st.session_state[UPLOAD_NO] = st.session_state.get(UPLOAD_NO, 0) + 1


def evidence_table(ctx: Context, year: int, stage: str, unit: str) -> pd.DataFrame:
    *_, evidence = _unit_data(ctx.source, year, stage, unit)
    return ev.evidence_table(evidence, stage)


def evidence_bytes(ctx: Context, year: int, unit: str, sha256: str) -> bytes:
    """A file's bytes for its download button: only through the Reader, which asks the
    policy (the public never; others their own units' or every unit's)."""
    data = Reader(_store(ctx.path), ctx.viewer).evidence_file(year, unit, sha256,
                                                             evidence_dir(ctx.path))
    return data if data is not None else b""
