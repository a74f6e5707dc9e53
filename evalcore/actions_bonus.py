"""Bonus cases (加分项) and deductions (扣分项, 一票否决): the write actions.

The seed's central rule: bonus points only for mechanisms that exist with real cases
(形成机制并有实例). So:
- a unit (own units; an administrator any) claims a category of the round's rubric with a
  case: a title, a description, the amount raised where the category is a funding channel
  (rubric `funding_source`), and evidence files. A case is claimed only with at least one
  evidence file (given with the claim or stored before under its key); without, the claim is
  refused and nothing is written. Until a verdict is recorded, the unit may edit it (claim
  the same case number again) or withdraw it;
- the category's verifying stage (rubric bonus.categories[].stage: cross → the group that
  inspects the unit, third_party → the institution; an administrator any) accepts or rejects
  each case with a reason: a row at that stage with points_awarded = the category's points
  or 0. Only accepted cases count (evalcore/scoring/bonus.py);
- deductions and vetoes are entered by an administrator or the third party: an item of the
  rubric, its points within the item's [min_points, max_points] (refused, never clipped; a
  veto carries 0 points), a reason, evidence if any.
Every write goes through Store.write_changes (audited, versioned, revertible), with the
account re-read and the policy asked inside the transaction (evalcore.actions).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from evalcore import evidence
from evalcore.access import Viewer, scope
from evalcore.actions import (
    Actor,
    Refused,
    _checked,
    _published,
    check_evidence_quota,
    checked_files,
    evidence_row,
    require_unit_right,
)
from evalcore.db import Store
from evalcore.messages import Label
from evalcore.rounds import round_rubric
from evalcore.rubric import BonusCategory, Rubric
from evalcore.scoring.penalties import check_deductions, item_table
from evalcore.vocab import STAGES

TITLE_MAX = 200
TEXT_MAX = 2000
Files = Sequence[tuple[str, bytes]]  # (file name, content)


def case_key(category: str, case_no: int, stage: str = "self") -> str:
    """The evidence subject_key of a case: stage/category/case_no."""
    return f"{stage}/{category}/{int(case_no)}"


def _category(rubric: Rubric, code: str) -> BonusCategory:
    found = next((c for c in rubric.bonus.categories if c.code == code), None)
    if found is None:
        raise Refused("bonus_unknown_category", category=code,
                      allowed=[c.code for c in rubric.bonus.categories] or ["—"])
    return found


def _text(value: str | None, limit: int, required: str | None = None) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise Refused(required)
    if len(text) > limit:
        raise Refused("text_too_long", max=limit)
    return text or None


def _amount(category: BonusCategory, amount_wan: float | None) -> float | None:
    if category.funding_source is None or amount_wan is None:
        return None
    amount = float(amount_wan)
    if not math.isfinite(amount) or amount < 0:
        raise Refused("bonus_amount_invalid", value=amount_wan)
    return amount


def _case_rows(cur: duckdb.DuckDBPyConnection, year: int, unit: str, category: str,
               case_no: int) -> pd.DataFrame:
    return cur.execute(
        "SELECT stage, points_awarded FROM bonus_claims WHERE round_year = ? AND unit_code = ? "
        "AND category_code = ? AND case_no = ?", [year, unit, category, case_no]).df()


def _evidence_count(cur: duckdb.DuckDBPyConnection, year: int, unit: str, key: str) -> int:
    return int(cur.execute(
        "SELECT count(*) FROM evidence WHERE round_year = ? AND unit_code = ? "
        "AND subject = 'bonus_case' AND subject_key = ?", [year, unit, key]).fetchone()[0])


def _refuse_if_reviewed(rows: pd.DataFrame, category: str, case_no: int) -> None:
    if (rows["stage"] != "self").any():
        raise Refused("bonus_case_reviewed", category=category, case_no=case_no)


def next_case_no(store: Store, year: int, unit_code: str, category: str) -> int:
    """The number a new case of this unit and category gets."""
    rows = store.bonus_case_rows(year)
    mine = rows[(rows["unit_code"] == unit_code) & (rows["category_code"] == category)]
    return int(mine["case_no"].max()) + 1 if not mine.empty else 1


def claim_case(store: Store, actor: Actor, root, year: int, unit_code: str, category: str,
               title: str, description: str | None = None, amount_wan: float | None = None,
               files: Files = (), case_no: int | None = None,
               now: datetime | None = None) -> int:
    """Claim (case_no None: a new case) or edit a bonus case, with evidence files; the audit
    id. Refused, nothing written: an unknown category, no title, a file not accepted, no
    evidence at all, a case already reviewed, no right to claim for this unit now."""
    rubric = round_rubric(store, year)
    cat = _category(rubric, category)
    title = _text(title, TITLE_MAX, "bonus_title_missing")
    description = _text(description, TEXT_MAX)
    amount = _amount(cat, amount_wan)
    accepted = checked_files(files)
    new = case_no is None
    number = next_case_no(store, year, unit_code, category) if new else int(case_no)
    key = case_key(category, number)
    at = now or datetime.now()
    by = actor.label(actor.viewer())
    claim = pd.DataFrame([{
        "round_year": year, "unit_code": unit_code, "stage": "self", "category_code": category,
        "case_no": number, "case_title": title, "case_description": description,
        "points_claimed": float(cat.points), "points_awarded": None, "review_note": None,
        "amount_wan": amount, "recorded_by": by, "recorded_at": at}])
    shown = pd.DataFrame([evidence_row(year, unit_code, "bonus_case", key, a, by, at)
                          for a, _ in accepted], columns=_EVIDENCE_COLUMNS)

    def check(cur, viewer: Viewer) -> None:
        require_unit_right(store, cur, viewer, year, "bonus:claim", unit_code)
        rows = _case_rows(cur, year, unit_code, category, number)
        if new and not rows.empty:
            raise Refused("store_changed_meanwhile")
        if not new and rows.empty:
            raise Refused("bonus_case_missing", unit=unit_code, category=category,
                          case_no=number)
        _refuse_if_reviewed(rows, category, number)
        if _evidence_count(cur, year, unit_code, key) + len(accepted) == 0:
            raise Refused("bonus_case_no_evidence", category=category, case_no=number)
        if accepted:
            require_unit_right(store, cur, viewer, year, "evidence", unit_code)
            check_evidence_quota(cur, year, unit_code, [a for a, _ in accepted])

    for a, blob in accepted:
        evidence.store(Path(root), blob, a)
    return store.write_changes(
        {"evidence": shown, "bonus_claims": claim}, action="claim-bonus",
        detail={"round": year, "unit": unit_code, "category": category, "case_no": number,
                "edit": not new, "files": len(accepted)}, at=at, check=_checked(actor, check))


_EVIDENCE_COLUMNS = ["round_year", "unit_code", "subject", "subject_key", "sha256",
                     "size_bytes", "media_type", "file_name", "uploaded_by", "uploaded_at"]


def withdraw_case(store: Store, actor: Actor, year: int, unit_code: str, category: str,
                  case_no: int, now: datetime | None = None) -> int:
    """Withdraw a case not reviewed yet: its claim and its evidence rows are deleted (kept in
    change_log, so the entry can be reverted); the audit id."""
    key = case_key(category, case_no)

    def check(cur, viewer: Viewer) -> None:
        require_unit_right(store, cur, viewer, year, "bonus:claim", unit_code)
        rows = _case_rows(cur, year, unit_code, category, case_no)
        if rows.empty:
            raise Refused("bonus_case_missing", unit=unit_code, category=category,
                          case_no=case_no)
        _refuse_if_reviewed(rows, category, case_no)

    claim = pd.DataFrame([{"round_year": year, "unit_code": unit_code, "stage": "self",
                           "category_code": category, "case_no": int(case_no)}])
    files = store.evidence_rows(year, subject="bonus_case", unit=unit_code)
    files = files.loc[files["subject_key"] == key, ["round_year", "unit_code", "subject",
                                                     "subject_key", "sha256"]]
    return store.write_changes(
        {}, deletes={"bonus_claims": claim, "evidence": files}, action="withdraw-bonus",
        detail={"round": year, "unit": unit_code, "category": category, "case_no": case_no},
        at=now or datetime.now(), check=_checked(actor, check))


def review_case(store: Store, actor: Actor, year: int, unit_code: str, category: str,
                case_no: int, accept: bool, note: str, stage: str | None = None,
                now: datetime | None = None) -> int:
    """Accept or reject a claimed case at its category's verifying stage, with a reason: a
    row at that stage with points_awarded = the category's points (accepted) or 0; the
    audit id. Refused: another stage than the verifying one (`stage`, when given, or the only
    stage the account reviews), no such case, no reason, no right to review for the unit."""
    rubric = round_rubric(store, year)
    cat = _category(rubric, category)
    if stage is not None:
        review_stage_refusal(rubric, category, stage)
    note = _text(note, TEXT_MAX, "bonus_review_note_missing")
    at = now or datetime.now()
    viewer = actor.viewer()
    claims = store.bonus_case_rows(year)
    claim = claims[(claims["unit_code"] == unit_code) & (claims["category_code"] == category)
                   & (claims["case_no"] == case_no) & (claims["stage"] == "self")]
    if claim.empty:
        raise Refused("bonus_case_missing", unit=unit_code, category=category, case_no=case_no)
    first = claim.iloc[0]
    row = pd.DataFrame([{
        "round_year": year, "unit_code": unit_code, "stage": cat.stage,
        "category_code": category, "case_no": int(case_no), "case_title": first["case_title"],
        "case_description": first["case_description"],
        "points_claimed": float(first["points_claimed"]),
        "points_awarded": float(cat.points) if accept else 0.0, "review_note": note,
        "amount_wan": first["amount_wan"], "recorded_by": actor.label(viewer),
        "recorded_at": at}])

    def check(cur, viewer: Viewer) -> None:
        mine = review_stages(viewer)
        if mine and cat.stage not in mine:
            raise Refused("bonus_wrong_stage", category=category, stage=Label(mine[0]),
                          verifying=Label(cat.stage))
        require_unit_right(store, cur, viewer, year, f"bonus:review:{cat.stage}", unit_code)
        if _case_rows(cur, year, unit_code, category, case_no).query("stage == 'self'").empty:
            raise Refused("bonus_case_missing", unit=unit_code, category=category,
                          case_no=case_no)

    return store.write_changes(
        {"bonus_claims": row}, action="review-bonus",
        detail={"round": year, "unit": unit_code, "category": category, "case_no": case_no,
                "stage": cat.stage, "accepted": bool(accept)}, at=at,
        check=_checked(actor, check))


def review_stage_refusal(rubric: Rubric, category: str, stage: str) -> None:
    """Refuse a verdict given at another stage than the category's verifying one."""
    cat = _category(rubric, category)
    if stage != cat.stage:
        raise Refused("bonus_wrong_stage", category=category, stage=Label(stage),
                      verifying=Label(cat.stage))


def review_stages(viewer: Viewer) -> tuple[str, ...]:
    """The stages whose verdicts the viewer may record in some round (policy rows
    bonus:review:<stage>)."""
    return tuple(s for s in STAGES if s != "self" and any(
        scope(viewer, "write", f"bonus:review:{s}", published) is not None
        for published in (False, True)))


def may_claim(viewer: Viewer) -> bool:
    return any(scope(viewer, "write", "bonus:claim", p) is not None for p in (False, True))


def may_enter_deductions(viewer: Viewer) -> bool:
    return any(scope(viewer, "write", "deductions", p) is not None for p in (False, True))


# -- deductions and vetoes -----------------------------------------------------------------

def deduction_problem(rubric: Rubric, unit_code: str, code: str,
                      points: float | None) -> tuple[float, bool]:
    """(the points to store, is it a veto) for an entry, or Refused: an unknown item, points
    outside the item's range (never clipped), points given with a veto."""
    items = item_table(rubric)
    if code not in items.index:
        raise Refused("deduction_unknown_code", item=code, allowed=list(items.index) or ["—"])
    if bool(items.loc[code, "veto"]):
        if points not in (None, 0) and not (isinstance(points, float) and math.isnan(points)):
            raise Refused("deduction_veto_points", item=code)
        return 0.0, True
    value = float("nan") if points is None else float(points)
    found = check_deductions(rubric, pd.DataFrame(
        {"unit_code": [unit_code], "code": [code], "points": [value]}))
    if found:
        low, high = items.loc[code, ["min_points", "max_points"]]
        raise Refused("deduction_out_of_range", item=code,
                      points="—" if math.isnan(value) else f"{value:g}",
                      low=f"{low:g}", high=f"{high:g}")
    return value, False


def next_seq(store: Store, year: int, unit_code: str) -> int:
    rows = store.deduction_entries(year)
    mine = rows[rows["unit_code"] == unit_code]
    return int(mine["seq"].max()) + 1 if not mine.empty else 1


def enter_deduction(store: Store, actor: Actor, root, year: int, unit_code: str, code: str,
                    points: float | None, reason: str, files: Files = (),
                    seq: int | None = None, now: datetime | None = None) -> int:
    """Enter (seq None: a new entry) or correct a deduction or veto with its reason and
    evidence files; the audit id. Refused, nothing written: an unknown item, points outside
    its range, no reason, a file not accepted, no right to enter deductions now."""
    rubric = round_rubric(store, year)
    value, veto = deduction_problem(rubric, unit_code, code, points)
    reason = _text(reason, TEXT_MAX, "deduction_reason_missing")
    accepted = checked_files(files)
    new = seq is None
    number = next_seq(store, year, unit_code) if new else int(seq)
    at = now or datetime.now()
    viewer = actor.viewer()
    by = actor.label(viewer)
    row = pd.DataFrame([{"round_year": year, "unit_code": unit_code, "seq": number,
                         "code": code, "points": value, "reason": reason,
                         "stage": "third_party" if viewer.role == "third_party" else None,
                         "recorded_by": by, "recorded_at": at}])
    shown = pd.DataFrame([evidence_row(year, unit_code, "deduction", str(number), a, by, at)
                          for a, _ in accepted], columns=_EVIDENCE_COLUMNS)

    def check(cur, viewer: Viewer) -> None:
        require_unit_right(store, cur, viewer, year, "deductions", unit_code)
        taken = cur.execute("SELECT 1 FROM deductions WHERE round_year = ? AND unit_code = ? "
                            "AND seq = ?", [year, unit_code, number]).fetchone()
        if new and taken:
            raise Refused("store_changed_meanwhile")
        if accepted:
            require_unit_right(store, cur, viewer, year, "evidence", unit_code)
            check_evidence_quota(cur, year, unit_code, [a for a, _ in accepted])

    for a, blob in accepted:
        evidence.store(Path(root), blob, a)
    return store.write_changes(
        {"evidence": shown, "deductions": row}, action="enter-deduction",
        detail={"round": year, "unit": unit_code, "seq": number, "code": code,
                "points": value, "veto": veto, "files": len(accepted)}, at=at,
        check=_checked(actor, check))


# -- imports (evalcore/importer/bonus.py prepares them; evalcore.actions.import_prepared
# calls this inside the transaction) -------------------------------------------------------

def check_import(store: Store, cur: duckdb.DuckDBPyConnection, viewer: Viewer, table: str,
                 year: int, rows: pd.DataFrame) -> None:
    """The rights a prepared bonus or deductions import needs, for every row, now; and, for
    claims, their evidence (a case is claimed only with evidence)."""
    _published(cur, year)
    if table == "deductions":
        for unit in sorted(set(rows["unit_code"])):
            require_unit_right(store, cur, viewer, year, "deductions", unit)
        return
    for row in rows.drop_duplicates(["unit_code", "stage"]).itertuples():
        resource = "bonus:claim" if row.stage == "self" else f"bonus:review:{row.stage}"
        require_unit_right(store, cur, viewer, year, resource, row.unit_code)
    for row in rows[rows["stage"] == "self"].itertuples():
        key = case_key(row.category_code, row.case_no)
        if _evidence_count(cur, year, row.unit_code, key) == 0:
            raise Refused("bonus_case_no_evidence", category=row.category_code,
                          case_no=int(row.case_no))
