"""Write actions on problems and their rectification (整改), each checked when it writes.

- record: a cross-inspection group (for the units it inspects that round), the third-party
  institution (every unit) or an administrator records problems (policy `problems:record`);
  their ids are allocated inside the write transaction (the largest id + 1, …), found_stage
  and found_by come from the account as re-read then.
- answer: the unit says what was done (policy `problems:answer`, own units) → answered.
- close (销号) or return (sent back with a note → returned; the unit answers again): policy
  `problems:review` for the unit, and on the row: only the account that found the problem
  (found_by), or one the policy grants `problems:review_any` (administrators).

Each is one audited, versioned write (Store.write_rows: record-problem, answer-problem,
close-problem, return-problem), so each can be reverted from the audit log. Answers and
reviews read the problem first and refuse, writing nothing, when it changed meanwhile.
Rules (texts, deadlines, places, overdue) live in evalcore/rectification.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from evalcore import evidence, rectification
from evalcore.access import Viewer, allows, scope
from evalcore.actions import Actor, Refused, _checked, _published, add_evidence
from evalcore.db import Store, StoreError
from evalcore.messages import Label, Message
from evalcore.rounds import round_rubric
from evalcore.vocab import LEVELS

Files = Iterable[tuple[str, bytes]]  # (file name, content) of evidence files


class Recorded(NamedTuple):
    problem_ids: list[int]
    audit_id: int


def _refuse(messages: list[Message]) -> None:
    """Refuse with the one message, or with all of them counted."""
    if len(messages) == 1:
        raise Refused(messages[0].code, **messages[0].params)
    if messages:
        raise Refused("problem_refused", n=len(messages), problems=messages)


def _unit_name(store: Store, code: str) -> str:
    names = store.regions().set_index("code")["name"]
    return f"{names.get(code, code)} ({code})"


def precheck_files(files: Files) -> list[tuple[str, bytes]]:
    """Every evidence file checked by content before anything is written: one refused file
    refuses the whole action."""
    files = list(files)
    for name, data in files:
        try:
            evidence.check(data, name)
        except evidence.EvidenceRefused as refused:
            raise StoreError(refused.message) from None
    return files


# -- record -----------------------------------------------------------------------------

def problem_checks(store: Store, year: int, rows: pd.DataFrame) -> list[list[Message]]:
    """What is wrong with each row of problems to record (unit_code, community_id,
    indicator_code, description, severity, deadline) in round `year`: one list per row."""
    if year not in set(store.rounds()["year"]):
        raise Refused("round_missing", year=year)
    regions = store.regions()
    units = set(regions.loc[regions["level"].isin(LEVELS), "code"])
    places = rectification.community_units(store.community_rows()[["id", "county_code"]],
                                           regions)
    indicators = {i.code for i in round_rubric(store, year).indicators}
    return [rectification.record_problems(
        r.unit_code, r.community_id, r.indicator_code, r.description, r.severity, r.deadline,
        year, units, places, indicators) for r in rows.itertuples()]


def new_rows(year: int, rows: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """Rows of `problems` for the given fields; id, found_stage and found_by are set when
    written (record_rows)."""
    out = pd.DataFrame({
        "id": 0, "round_year": year, "unit_code": rows["unit_code"].astype(str),
        "community_id": rows["community_id"].astype(object).where(rows["community_id"].notna()
                                                                  & (rows["community_id"] != ""),
                                                                  None),
        "indicator_code": rows["indicator_code"].astype(object).where(
            rows["indicator_code"].notna() & (rows["indicator_code"] != ""), None),
        "found_stage": "admin", "description": rows["description"].astype(str).str.strip(),
        "severity": rows["severity"], "deadline": rows["deadline"], "status": "open",
        "found_by": "", "found_at": now}, index=range(len(rows)))
    for column in ("answer", "answered_by", "answered_at", "review_note", "closed_by",
                   "closed_at"):
        out[column] = None
    return out


def record_rows(store: Store, actor: Actor, year: int, rows: pd.DataFrame,
                detail: dict | None = None, now: datetime | None = None,
                label: str | None = None) -> Recorded:
    """Write new problems (rows of `problems`, validated) if the actor may record them for
    every unit among them, now. `label`: the finder's name for the command line."""
    detail = {"round": year, "units": sorted(set(rows["unit_code"])), **(detail or {})}

    def check(cur, viewer: Viewer) -> None:
        published = _published(cur, year)
        own = set(store.own_units(year, viewer))
        granted = scope(viewer, "write", "problems:record", published)
        for unit in sorted(set(rows["unit_code"])):
            if not allows(viewer, "write", "problems:record", published, unit in own):
                if granted == "own":
                    raise Refused("problem_not_inspected", unit=_unit_name(store, unit),
                                  year=year)
                raise Refused("store_not_allowed")
        first = int(cur.execute("SELECT coalesce(max(id), 0) + 1 FROM problems").fetchone()[0])
        rows["id"] = range(first, first + len(rows))
        rows["found_stage"] = rectification.FOUND_STAGE[viewer.role]
        rows["found_by"] = label or actor.label(viewer)
        detail["ids"] = [int(i) for i in rows["id"]]

    audit_id = store.write_rows("problems", rows, action="record-problem", detail=detail,
                                at=now or datetime.now(), check=_checked(actor, check))
    return Recorded([int(i) for i in rows["id"]], audit_id)


def record_problem(store: Store, actor: Actor, year: int, unit_code: str, description: str,
                   severity: str, deadline: date | None, community_id: str | None = None,
                   indicator_code: str | None = None, files: Files = (), root=None,
                   now: datetime | None = None) -> Recorded:
    """Record one problem (and attach its evidence files, subject 'problem') if it is valid
    and the actor may, now. Every file is checked before anything is written."""
    now = now or datetime.now()
    fields = pd.DataFrame([{"unit_code": unit_code, "community_id": community_id or None,
                            "indicator_code": indicator_code or None,
                            "description": description or "", "severity": severity,
                            "deadline": deadline}])
    _refuse(problem_checks(store, year, fields)[0])
    files = precheck_files(files)
    recorded = record_rows(store, actor, year, new_rows(year, fields, now), now=now)
    for name, data in files:
        add_evidence(store, actor, root, year, unit_code, "problem",
                     str(recorded.problem_ids[0]), data, name, now)
    return recorded


# -- answer, close, return ----------------------------------------------------------------

def _stored(store: Store, problem_id: int) -> dict:
    found = store.problem_row(int(problem_id))
    if found.empty:
        raise Refused("problem_missing", id=problem_id)
    return {k: (None if not isinstance(v, str) and pd.isna(v) else v)
            for k, v in found.iloc[0].to_dict().items()}


def _comparable(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(pd.Timestamp(value)) if hasattr(value, "isoformat") else value


def _unchanged(cur, row: dict) -> None:
    """Refuse when the problem changed since it was read (another write came first)."""
    now = cur.execute("SELECT status, answered_at, closed_at, review_note FROM problems "
                      "WHERE id = ?", [row["id"]]).fetchone()
    before = (row["status"], row["answered_at"], row["closed_at"], row["review_note"])
    if now is None or [_comparable(v) for v in now] != [_comparable(v) for v in before]:
        raise Refused("problem_changed", id=row["id"])


def _status(row: dict, allowed: tuple[str, ...], code: str) -> None:
    if row["status"] not in allowed:
        raise Refused(code, id=row["id"], status=Label(f"problem_status_{row['status']}"))


def answer_problem(store: Store, actor: Actor, problem_id: int, answer: str,
                   files: Files = (), root=None, now: datetime | None = None) -> int:
    """The unit's answer (what was done) and its rectification evidence, if the actor may
    answer for the problem's unit, now; the audit id."""
    now = now or datetime.now()
    row = _stored(store, problem_id)
    _refuse(rectification.text_problems(answer, "answer"))
    _status(row, rectification.ANSWERABLE, "problem_not_answerable")
    files = precheck_files(files)
    year, unit = int(row["round_year"]), str(row["unit_code"])
    new = pd.DataFrame([{**row, "answer": answer.strip(), "answered_at": now,
                         "status": "answered"}])

    def check(cur, viewer: Viewer) -> None:
        _unchanged(cur, row)
        published = _published(cur, year)
        own = unit in store.own_units(year, viewer)
        if not allows(viewer, "write", "problems:answer", published, own):
            if scope(viewer, "write", "problems:answer", published) == "own":
                raise Refused("problem_not_your_unit", id=problem_id,
                              unit=_unit_name(store, unit))
            raise Refused("store_not_allowed")
        new["answered_by"] = actor.label(viewer)

    audit_id = store.write_rows("problems", new, action="answer-problem",
                                detail={"round": year, "unit": unit, "id": int(problem_id)},
                                at=now, check=_checked(actor, check))
    for name, data in files:
        add_evidence(store, actor, root, year, unit, "rectification", str(problem_id), data,
                     name, now)
    return audit_id


def _review(store: Store, actor: Actor, problem_id: int, close: bool, note: str | None,
            now: datetime | None) -> int:
    now = now or datetime.now()
    row = _stored(store, problem_id)
    _refuse(rectification.text_problems(note, "review_note", required=not close))
    _status(row, rectification.REVIEWABLE, "problem_not_reviewable")
    year, unit = int(row["round_year"]), str(row["unit_code"])
    note = (note or "").strip() or (row["review_note"] if close else None)
    new = pd.DataFrame([{**row, "review_note": note, "status": "closed" if close else "returned",
                         "closed_by": None, "closed_at": now if close else None}])

    def check(cur, viewer: Viewer) -> None:
        _unchanged(cur, row)
        published = _published(cur, year)
        own = unit in store.own_units(year, viewer)
        label = actor.label(viewer)
        if row["found_by"] != label and not allows(viewer, "write", "problems:review_any",
                                                   published):
            if scope(viewer, "write", "problems:review", published) is not None:
                raise Refused("problem_not_finder", id=problem_id, finder=row["found_by"])
            raise Refused("store_not_allowed")
        if not allows(viewer, "write", "problems:review", published, own):
            raise Refused("store_not_allowed")
        if close:
            new["closed_by"] = label

    return store.write_rows("problems", new,
                            action="close-problem" if close else "return-problem",
                            detail={"round": year, "unit": unit, "id": int(problem_id)},
                            at=now, check=_checked(actor, check))


def close_problem(store: Store, actor: Actor, problem_id: int, note: str | None = None,
                  now: datetime | None = None) -> int:
    """Sign an answered problem off (销号): its finder or an administrator; the audit id."""
    return _review(store, actor, problem_id, True, note, now)


def return_problem(store: Store, actor: Actor, problem_id: int, note: str,
                   now: datetime | None = None) -> int:
    """Send an answered problem back with a note (the unit answers again): its finder or an
    administrator; the audit id."""
    return _review(store, actor, problem_id, False, note, now)


def evidence_root(store: Store) -> Path:
    from evalcore.paths import evidence_dir

    return evidence_dir(store.path)
