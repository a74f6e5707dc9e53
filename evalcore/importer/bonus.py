"""Importing bonus cases and their verdicts, and deductions and vetoes, from CSV or XLSX.

The same path as scores: the file is read (importer.reading), each row validated with pydantic
(problems name the file, row and column), then the rules of evalcore/actions_bonus.py row by
row (a known category or item, a verdict at the category's verifying stage with a reason, a
claimed case for every verdict, evidence for every claim, points within the item's range,
never clipped), then the viewer's rights per row, then a preview against what is stored. A
file with any problem is refused whole; nothing is written here: evalcore.actions
.import_prepared (the dashboard, rights checked again in the transaction) or importer.apply
(the command line) writes a Prepared in one transaction.

- bonus: one row per case and stage. A `self` row claims a case (title, description, amount
  raised); a row at the verifying stage gives its verdict (`accepted` or `rejected`, or 认定 /
  不予认定) with a review note. Evidence files cannot travel in a table: a claimed case must
  already have one (uploaded on the bonus cases page).
- deductions: unit, item code, points, reason; `seq` to correct a stored entry, blank for a
  new one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from evalcore.access import FULL, Viewer, scope
from evalcore.actions import Refused
from evalcore.actions_bonus import TEXT_MAX, TITLE_MAX, case_key, deduction_problem
from evalcore.db import Store
from evalcore.importer import ImportResult, Prepared, _prepared, _round, apply, diff_rows
from evalcore.importer.problems import ImportRejected, Problem
from evalcore.importer.reading import read_table
from evalcore.importer.rows import check_columns, validate_rows
from evalcore.importer.setup import _stage_code, _unit_codes
from evalcore.importer.units import unit_lookup
from evalcore.messages import Label, Message
from evalcore.rubric import Rubric, load_rubric

KINDS: tuple[str, ...] = ("bonus", "deductions")
TABLE_OF = {"bonus": "bonus_claims", "deductions": "deductions"}
KEYS_OF = {"bonus": ["unit_code", "stage", "category_code", "case_no"],
           "deductions": ["unit_code", "seq"]}
COLUMNS = {
    "bonus": (["unit_code", "category_code", "case_no", "stage"],
              ["unit_name", "case_title", "case_description", "amount_wan", "verdict",
               "review_note"]),
    "deductions": (["unit_code", "code", "reason"], ["unit_name", "seq", "points"]),
}
TEMPLATE_COLUMNS = {
    "bonus": ["unit_code", "unit_name", "category_code", "case_no", "stage", "case_title",
              "case_description", "amount_wan", "verdict", "review_note"],
    "deductions": ["unit_code", "unit_name", "seq", "code", "points", "reason"],
}
VERDICTS = {"accepted": True, "rejected": False, "认定": True, "予以认定": True,
            "不予认定": False}


class BonusRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    unit_code: str
    category_code: str = Field(max_length=40)
    case_no: int = Field(ge=1, le=999)
    stage: Literal["self", "cross", "third_party"]
    case_title: str | None = Field(default=None, max_length=TITLE_MAX)
    case_description: str | None = Field(default=None, max_length=TEXT_MAX)
    amount_wan: float | None = Field(default=None, ge=0, le=1_000_000_000, allow_inf_nan=False)
    verdict: str | None = None
    review_note: str | None = Field(default=None, max_length=TEXT_MAX)


class DeductionRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    unit_code: str
    seq: int | None = Field(default=None, ge=1, le=999)
    code: str = Field(max_length=40)
    points: float | None = Field(default=None, allow_inf_nan=False)
    reason: str = Field(min_length=1, max_length=TEXT_MAX)


def kind_label(kind: str) -> Label:
    """The kind as a label (bonus cases, deductions), for messages."""
    return Label(f"bc_kind_{kind}")


def _refusal(file: str, refused: Refused, row: int, column: str) -> Problem:
    return Problem(file, refused.message, row=row, column=column)


def _bonus_rows(frame: pd.DataFrame, file: str, store: Store, rubric: Rubric, year: int,
                now: datetime) -> tuple[pd.DataFrame, list[Problem]]:
    frame = frame.assign(stage=frame["stage"].map(_stage_code))
    lookup = unit_lookup(store.regions(), ("city", "county"))
    codes, problems = _unit_codes(frame, "unit_code", lookup, file, unique=False)
    models, row_problems = validate_rows(frame, BonusRow, file)
    problems += row_problems
    if problems:
        return pd.DataFrame(), problems
    cats = {c.code: c for c in rubric.bonus.categories}
    stored = store.bonus_case_rows(year).set_index(["unit_code", "category_code", "case_no",
                                                    "stage"])
    claims = {(codes[r], m.category_code, m.case_no): m for r, m in zip(frame.index, models,
                                                                         strict=True)
              if m.stage == "self"}
    files = store.evidence_rows(year, subject="bonus_case")
    with_files = set(zip(files["unit_code"], files["subject_key"], strict=True))
    rows, seen = [], {}
    for row_no, m in zip(frame.index, models, strict=True):
        unit = codes[row_no]
        key = (unit, m.category_code, m.case_no, m.stage)
        if key in seen:
            problems.append(Problem(file, Message("bonus_duplicate_row", {"other_row": seen[key]}),
                                    row=row_no, column="case_no"))
            continue
        seen[key] = row_no
        cat = cats.get(m.category_code)
        if cat is None:
            problems.append(Problem(file, Message("bonus_unknown_category", {
                "category": m.category_code, "allowed": list(cats) or ["—"]}), row=row_no,
                column="category_code"))
            continue
        if m.stage == "self":
            found = _claim_problem(m, unit, year, cat.code, with_files, stored)
            if found:
                problems.append(Problem(file, found[0], row=row_no, column=found[1]))
                continue
            rows.append(_row(year, unit, m, cat.points, None, None, now))
            continue
        found = _review_problem(m, unit, cat, claims, stored)
        if found:
            problems.append(Problem(file, found[0], row=row_no, column=found[1]))
            continue
        claim = claims.get((unit, cat.code, m.case_no))
        if claim is None:
            claim = stored.loc[(unit, cat.code, m.case_no, "self")]
        accepted = VERDICTS[m.verdict.strip()]
        rows.append(_row(year, unit, m, cat.points, float(cat.points) if accepted else 0.0,
                         claim, now))
    return pd.DataFrame(rows), problems


def _claim_problem(m: BonusRow, unit: str, year: int, category: str, with_files: set,
                   stored: pd.DataFrame) -> tuple[Message, str] | None:
    if not (m.case_title or "").strip():
        return Message("bonus_title_missing"), "case_title"
    if m.verdict:
        return Message("bonus_self_has_verdict"), "verdict"
    if (unit, case_key(category, m.case_no)) not in with_files:
        return Message("bonus_case_no_evidence", {"category": category,
                                                  "case_no": m.case_no}), "case_no"
    reviewed = [s for s in ("cross", "third_party")
                if (unit, category, m.case_no, s) in stored.index]
    if reviewed:
        return Message("bonus_case_reviewed", {"category": category,
                                               "case_no": m.case_no}), "case_no"
    return None


def _review_problem(m: BonusRow, unit: str, cat, claims: dict,
                    stored: pd.DataFrame) -> tuple[Message, str] | None:
    if m.stage != cat.stage:
        return Message("bonus_wrong_stage", {"category": cat.code, "stage": Label(m.stage),
                                             "verifying": Label(cat.stage)}), "stage"
    if not m.verdict or m.verdict.strip() not in VERDICTS:
        return Message("bonus_verdict_invalid", {"value": m.verdict or ""}), "verdict"
    if not (m.review_note or "").strip():
        return Message("bonus_review_note_missing"), "review_note"
    if (unit, cat.code, m.case_no) not in claims \
            and (unit, cat.code, m.case_no, "self") not in stored.index:
        return Message("bonus_review_without_claim", {"unit": unit, "category": cat.code,
                                                      "case_no": m.case_no}), "case_no"
    return None


def _claim_value(claim, field: str):
    """A field of the claim a verdict copies: a row of the file or a stored row."""
    value = claim[field] if isinstance(claim, pd.Series) else getattr(claim, field)
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def _row(year: int, unit: str, m: BonusRow, points: float, awarded: float | None, claim,
         now: datetime) -> dict:
    """A bonus_claims row: a claim (claim None) or a verdict, which copies its claim's title,
    description and amount."""
    copied = {f: getattr(m, f) if claim is None else _claim_value(claim, f)
              for f in ("case_title", "case_description", "amount_wan")}
    return {"round_year": year, "unit_code": unit, "stage": m.stage,
            "category_code": m.category_code, "case_no": m.case_no, **copied,
            "points_claimed": float(points), "points_awarded": awarded,
            "review_note": None if claim is None else m.review_note.strip(),
            "recorded_by": "import", "recorded_at": now}


def _deduction_rows(frame: pd.DataFrame, file: str, store: Store, rubric: Rubric, year: int,
                    viewer: Viewer, now: datetime) -> tuple[pd.DataFrame, list[Problem]]:
    lookup = unit_lookup(store.regions(), ("city", "county"))
    codes, problems = _unit_codes(frame, "unit_code", lookup, file, unique=False)
    models, row_problems = validate_rows(frame, DeductionRow, file)
    problems += row_problems
    if problems:
        return pd.DataFrame(), problems
    stored = store.deduction_entries(year)
    next_seq = stored.groupby("unit_code")["seq"].max().to_dict()
    rows, seen = [], {}
    for row_no, m in zip(frame.index, models, strict=True):
        unit = codes[row_no]
        try:
            points, _ = deduction_problem(rubric, unit, m.code, m.points)
        except Refused as refused:
            known = refused.message.code != "deduction_unknown_code"
            problems.append(_refusal(file, refused, row_no, "points" if known else "code"))
            continue
        seq = m.seq
        if seq is None:
            seq = next_seq[unit] = int(next_seq.get(unit, 0)) + 1
        if (unit, seq) in seen:
            problems.append(Problem(file, Message("bonus_duplicate_row", {
                "other_row": seen[(unit, seq)]}), row=row_no, column="seq"))
            continue
        seen[(unit, seq)] = row_no
        rows.append({"round_year": year, "unit_code": unit, "seq": int(seq), "code": m.code,
                     "points": points, "reason": m.reason.strip(),
                     "stage": "third_party" if viewer.role == "third_party" else None,
                     "recorded_by": "import", "recorded_at": now})
    return pd.DataFrame(rows), problems


def _rights(store: Store, rows: pd.DataFrame, kind: str, year: int, published: bool,
            viewer: Viewer, file: str) -> list[Problem]:
    """Per unit and resource: refused where the policy does not let the viewer write."""
    own = set(store.own_units(year, viewer))
    needs = [("deductions", u) for u in rows["unit_code"]] if kind == "deductions" else [
        ("bonus:claim" if s == "self" else f"bonus:review:{s}", u)
        for s, u in zip(rows["stage"], rows["unit_code"], strict=True)]
    problems = []
    for resource, unit in dict.fromkeys(needs):
        granted = scope(viewer, "write", resource, published)
        if granted is None and published and scope(viewer, "write", resource, False):
            problems.append(Problem(file, Message("rights_round_published", {"year": year})))
        elif granted is None:
            problems.append(Problem(file, Message("rights_cannot_import_setup", {
                "kind": kind_label(kind)})))
        elif granted == "own" and unit not in own:
            problems.append(Problem(file, Message("rights_unit_outside", {"unit": unit,
                                                                          "year": year})))
    return list(dict.fromkeys(problems))


def stored_rows(store: Store, kind: str, year: int) -> pd.DataFrame:
    """What a file of that kind would replace (every column of its table)."""
    return store.bonus_case_rows(year) if kind == "bonus" else store.deduction_entries(year)


def prepare_bonus(store: Store, file: Path | str, kind: str, year: int, viewer: Viewer = FULL,
                  now: datetime | None = None, data: bytes | None = None) -> Prepared:
    """Validate a bonus or deductions file for a round; raise ImportRejected listing every
    problem. Nothing is written. `data`: the file's bytes when held in memory (an upload)."""
    file, now = Path(file), now or datetime.now()
    if kind not in KINDS:
        raise ImportRejected([Problem(file.name, Message("not_one_of", {
            "value": kind, "allowed": KINDS}))])
    frame = read_table(file, data, kind)
    round_row = _round(store, year, file.name)
    problems = check_columns(frame, *COLUMNS[kind], file.name, {})
    if problems:
        raise ImportRejected(problems)
    rubric = load_rubric(str(round_row["rubric_version"]))
    if kind == "bonus":
        rows, problems = _bonus_rows(frame, file.name, store, rubric, year, now)
    else:
        rows, problems = _deduction_rows(frame, file.name, store, rubric, year, viewer, now)
    if not problems and rows.empty:
        problems = [Problem(file.name, Message("no_data_rows"))]
    problems = problems or _rights(store, rows, kind, year, bool(round_row["published"]),
                                   viewer, file.name)
    if problems:
        raise ImportRejected(problems)
    stored = stored_rows(store, kind, year).drop(columns=["recorded_by", "recorded_at"])
    preview = diff_rows(stored, rows, KEYS_OF[kind])
    return _prepared(TABLE_OF[kind], file, rows, preview, {"kind": kind, "round": year}, data)


def import_bonus(db: Path | str, file: Path | str, kind: str, year: int, actor: str = "cli",
                 now: datetime | None = None) -> ImportResult:
    """Validate and load a bonus or deductions file of a round (the command line's import)."""
    with Store(db, read_only=False) as store:
        prepared = prepare_bonus(store, file, kind, year, FULL, now)
        apply(store, prepared, actor, now)
    return prepared.result
