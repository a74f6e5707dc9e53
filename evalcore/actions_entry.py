"""Online entry beside Excel (issue 11): a stage's scores typed into a form, submitting a stage,
an administrator reopening it, and evidence files (佐证材料) attached to what one may write.

The rules every score write shares, whether it comes from the form or from an import:
- a submitted stage is locked for that unit: no write of its scores (nor of evidence for
  them) until an administrator reopens it (`submission:reopen`, with a reason);
- a stage is written within its window (round_stages: opens, closes; the day of the write
  counts, both ends included). Outside it, only a writer the policy lets override the
  window (`stage_window:override`: administrators, the command line) writes, and the audit
  entry says so (`outside_window` in its detail). A stage without a round_stages row has no
  window: nothing is enforced (a round whose deadlines are not set yet stays open).
Like every action (evalcore/actions.py), each is checked again inside its write transaction.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from evalcore import evidence
from evalcore.access import Viewer, allows
from evalcore.actions import Actor, Refused, _checked, _published, _require
from evalcore.db import Store
from evalcore.evidence import EvidenceFile, EvidenceRefused
from evalcore.messages import Label, Message
from evalcore.rounds import round_rubric
from evalcore.vocab import EVIDENCE_SUBJECTS, STAGES

WINDOW_OVERRIDE = "stage_window:override"  # the policy's resource (evalcore/access.py)


# -- the shared rules: lock and window --------------------------------------------------

def window_state(window: tuple[date | None, date] | None, today: date) -> str | None:
    """'before' (not open yet), 'after' (closed) or None (open, or no window set)."""
    if window is None:
        return None
    opens, closes = window
    if opens is not None and today < opens:
        return "before"
    return "after" if today > closes else None


def entry_problems(cur: duckdb.DuckDBPyConnection, viewer: Viewer, year: int, stage: str,
                   units: list[str], today: date) -> tuple[list[Message], dict | None]:
    """Why `viewer` may not write `stage` of `units` today (locked units, a closed window),
    and the window override to record in the audit entry (None when not needed)."""
    problems = [Message("entry_locked", {"unit": Store.unit_label(cur, u), "stage": Label(stage)})
                for u in Store.submitted_units(cur, year, stage, units)]
    window = Store.stage_window(cur, year, stage)
    state = window_state(window, today)
    if state is None:
        return problems, None
    opens, closes = window
    if allows(viewer, "write", WINDOW_OVERRIDE, _published(cur, year)):
        return problems, {"stage": stage, "opens": None if opens is None else str(opens),
                          "closes": str(closes), "on": str(today)}
    problems.append(Message(f"entry_window_{state}", {
        "stage": Label(stage), "opens": str(opens), "closes": str(closes),
        "today": str(today)}))
    return problems, None


def check_entry(cur: duckdb.DuckDBPyConnection, viewer: Viewer, year: int, stage: str,
                units: list[str], at: datetime, detail: dict) -> None:
    """Refuse a write of locked or closed stage entry (the first reason); record a window
    override in `detail`, the audit entry's (written after this check, in the transaction)."""
    problems, override = entry_problems(cur, viewer, year, stage, units, at.date())
    if problems:
        raise Refused(problems[0].code, **problems[0].params)
    if override is not None:
        detail["outside_window"] = override


def _check_scores(store: Store, cur, viewer: Viewer, year: int, stage: str,
                  rows: pd.DataFrame, at: datetime, detail: dict) -> None:
    """The rights, lock and window checks of a write of one stage's score rows."""
    units = sorted(set(rows["unit_code"]))
    own = set(units) <= set(store.own_units(year, viewer))
    _require(viewer, f"scores:{stage}", _published(cur, year), own)
    check_entry(cur, viewer, year, stage, units, at, detail)


# -- entering a stage online ------------------------------------------------------------

def form_frame(codes: list[str], unit: str, points: dict[str, float | None],
               notes: dict[str, str], evaluator: str) -> pd.DataFrame:
    """The form's values as the one row an import file of the same scores would hold: text
    cells under the template's columns (`codes`: the rubric's hand-scored indicators; blank
    = not scored), an indicator's own note in `<code>_note` (importer/scores.py). Row number
    2, as a file's first data row."""
    row = {"unit_code": unit, "evaluator": (evaluator or "").strip()}
    for code in codes:
        value = points.get(code)
        row[code] = "" if value is None else repr(float(value))
        note = (notes.get(code) or "").strip()
        if note:
            row[f"{code}_note"] = note
    return pd.DataFrame([row], index=pd.Index([2]))


def prepare_form(store: Store, viewer: Viewer, year: int, stage: str, unit: str,
                 points: dict[str, float | None], notes: dict[str, str], evaluator: str,
                 now: datetime | None = None):
    """The form's scores validated exactly as an import of the same row (importer.Prepared);
    raises ImportRejected. Nothing is written."""
    from evalcore.importer import prepare_score_frame

    codes = [i.code for i in round_rubric(store, year).manual_indicators()]
    frame = form_frame(codes, unit, points, notes, evaluator)
    digest = hashlib.sha256(json.dumps(frame.to_dict("records"), sort_keys=True,
                                       ensure_ascii=False).encode()).hexdigest()
    return prepare_score_frame(store, frame, "form", digest, year, stage, viewer,
                               now or datetime.now(), kind="form")


def enter_scores(store: Store, actor: Actor, prepared, now: datetime | None = None) -> int:
    """Write scores entered online (a Prepared from prepare_form) if the actor may, now:
    the same checks and the same rows as an import; audited as `enter-scores`."""
    at = now or datetime.now()
    detail = dict(prepared.detail)
    year, stage = int(detail["round"]), str(detail["stage"])
    return store.write_rows("scores", prepared.rows, action="enter-scores", detail=detail,
                            at=at, check=_checked(actor, lambda cur, viewer: _check_scores(
                                store, cur, viewer, year, stage, prepared.rows, at, detail)))


# -- submitting and reopening ----------------------------------------------------------

def submit_stage(store: Store, actor: Actor, year: int, unit: str, stage: str,
                 now: datetime | None = None) -> int:
    """Submit a unit's stage (status 'submitted'), which locks it, if the actor may write
    that stage now and it has points entered; audited as `submit-stage`."""
    at = now or datetime.now()
    detail = {"round": year, "unit": unit, "stage": stage}
    rows = pd.DataFrame([{"round_year": year, "unit_code": unit, "stage": stage,
                          "status": "submitted", "submitted_at": at,
                          "submitted_by": actor.name}])

    def check(cur, viewer: Viewer) -> None:
        own = unit in store.own_units(year, viewer)
        _require(viewer, f"scores:{stage}", _published(cur, year), own)
        check_entry(cur, viewer, year, stage, [unit], at, detail)
        if not Store.scored_count(cur, year, unit, stage):
            raise Refused("submit_nothing", unit=Store.unit_label(cur, unit), stage=Label(stage))
        before = Store.submission_row(cur, year, unit, stage)
        if before is not None:  # a reopened stage submitted again keeps why it was reopened
            for column in ("reopened_at", "reopened_by", "reopen_reason"):
                rows[column] = [before[column]]

    return store.write_rows("stage_submissions", rows, action="submit-stage", detail=detail,
                            at=at, check=_checked(actor, check))


def reopen_stage(store: Store, actor: Actor, year: int, unit: str, stage: str, reason: str,
                 now: datetime | None = None) -> int:
    """Reopen a submitted stage of a unit (status 'reopened': entry possible again) with a
    reason, if the actor may (`submission:reopen`); audited as `reopen-stage`."""
    at, reason = now or datetime.now(), (reason or "").strip()
    if not reason:
        raise Refused("reopen_reason_required")
    detail = {"round": year, "unit": unit, "stage": stage, "reason": reason}
    rows = pd.DataFrame([{"round_year": year, "unit_code": unit, "stage": stage,
                          "status": "reopened", "reopened_at": at,
                          "reopened_by": actor.name, "reopen_reason": reason}])

    def check(cur, viewer: Viewer) -> None:
        _require(viewer, "submission:reopen", _published(cur, year),
                 unit in store.own_units(year, viewer))
        before = Store.submission_row(cur, year, unit, stage)
        if before is None or before["status"] != "submitted":
            raise Refused("reopen_not_submitted", unit=Store.unit_label(cur, unit),
                          stage=Label(stage))
        rows["submitted_at"] = [before["submitted_at"]]
        rows["submitted_by"] = [before["submitted_by"]]

    return store.write_rows("stage_submissions", rows, action="reopen-stage", detail=detail,
                            at=at, check=_checked(actor, check))


# -- evidence files ----------------------------------------------------------------------

def subject_resource(subject: str, subject_key: str) -> tuple[str, str | None]:
    """(the resource one must be able to write to attach evidence to this subject, the score
    stage whose lock and window apply or None). Refused for a subject or key of no shape:
    score `stage/indicator`, bonus case `stage/category/case_no`, deduction `seq`, problem
    and rectification the problem's `id`."""
    parts = subject_key.split("/")
    if subject == "score" and len(parts) == 2 and parts[0] in STAGES and parts[1]:
        return f"scores:{parts[0]}", parts[0]
    if subject == "bonus_case" and len(parts) == 3 and parts[0] in STAGES \
            and parts[1] and parts[2].isdigit():
        return ("bonus:claim" if parts[0] == "self" else f"bonus:review:{parts[0]}"), None
    if subject in ("deduction", "problem", "rectification") and subject_key.isdigit():
        return {"deduction": "deductions", "problem": "problems:record",
                "rectification": "problems:answer"}[subject], None
    raise Refused("evidence_bad_subject", subject=subject, key=subject_key,
                  allowed=list(EVIDENCE_SUBJECTS))


def add_evidence(store: Store, actor: Actor, root: Path, year: int, unit_code: str,
                 subject: str, subject_key: str, data: bytes, file_name: str,
                 now: datetime | None = None) -> EvidenceFile:
    """Attach a file to a unit's subject in a round, if the actor may now: the file checked
    by its content (evalcore/evidence.py: type, size, disguised archives), the unit's quota
    for the round, the policy's `evidence` and the right to write the subject (a score's:
    its stage not locked and within its window). The file is stored under its hash in `root`
    (paths.evidence_dir), then its metadata row written (audited as `add-evidence`)."""
    at = now or datetime.now()
    try:
        accepted = evidence.check(data, file_name)
    except EvidenceRefused as refused:
        raise Refused(refused.message.code, **refused.message.params) from None
    resource, stage = subject_resource(subject, subject_key)
    detail = {"round": year, "unit": unit_code, "subject": subject, "key": subject_key,
              "sha256": accepted.sha256, "file": accepted.file_name,
              "bytes": accepted.size_bytes}
    rows = pd.DataFrame([{"round_year": year, "unit_code": unit_code, "subject": subject,
                          "subject_key": subject_key, "sha256": accepted.sha256,
                          "size_bytes": accepted.size_bytes, "media_type": accepted.media_type,
                          "file_name": accepted.file_name, "uploaded_by": actor.name,
                          "uploaded_at": at}])

    def check(cur, viewer: Viewer) -> None:
        published = _published(cur, year)
        own = unit_code in store.own_units(year, viewer)
        if not (allows(viewer, "write", "evidence", published, own)
                and allows(viewer, "write", resource, published, own)):
            raise Refused("evidence_not_allowed", unit=Store.unit_label(cur, unit_code))
        if stage is not None:
            check_entry(cur, viewer, year, stage, [unit_code], at, detail)
        try:
            used = store.evidence_used_bytes(year, unit_code, cur, without=accepted.sha256)
            evidence.check_quota(used, accepted)
        except EvidenceRefused as refused:
            raise Refused(refused.message.code, **refused.message.params) from None
        evidence.store(Path(root), data, accepted)  # then the row, in this transaction

    store.write_rows("evidence", rows, action="add-evidence", detail=detail, at=at,
                     check=_checked(actor, check))
    return accepted
