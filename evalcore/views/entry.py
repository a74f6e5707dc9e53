"""The online entry page's content, without Streamlit: which rounds, stages and units a user
enters, the form's rows built from the rubric, and the state of the stage for a unit.

The form offers exactly the columns the Excel import template of that stage offers (every
hand-scored indicator, importer/scores.py), so a form and an import accept the same rows. What
a stage's points do depends on how the engine reconciles the stages (scoring/reconcile.py):
with "verifying_stage", the indicator's own stage counts; an earlier stage stands in, marked
unverified, until it scores; a later stage is recorded but never counts. With "blend", each
weighted stage counts with its weight. Derived indicators are computed from the data and shown,
not typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from evalcore.access import Viewer, scope
from evalcore.rubric import Indicator, Rubric
from evalcore.vocab import STAGES


def entry_stages(viewer: Viewer) -> tuple[str, ...]:
    """The stages the viewer may enter in a draft round (unit: self; group: cross; third
    party: third_party; administrator: every stage)."""
    return tuple(s for s in STAGES
                 if scope(viewer, "write", f"scores:{s}", published=False) is not None)


def entry_units(viewer: Viewer, stage: str, regions: pd.DataFrame,
                own: list[str]) -> list[str]:
    """The units the viewer may enter `stage` for in a draft round: every city and county
    where the policy grants all units, else its own units (Store.own_units) in code order."""
    units = regions[regions["level"].isin(["city", "county"])].sort_values("code")["code"]
    if scope(viewer, "write", f"scores:{stage}", published=False) == "all":
        return units.tolist()
    return [u for u in units if u in set(own)]


def counts_key(rubric: Rubric, indicator: Indicator, stage: str) -> str:
    """A label key saying what this stage's points of the indicator do in the final score."""
    if rubric.reconciliation.method == "blend":
        weight = rubric.reconciliation.weights.get(stage, 0.0)
        return "entry_counts_blend" if weight > 0 else "entry_counts_not"
    here, verifying = STAGES.index(stage), STAGES.index(indicator.stage)
    if here == verifying:
        return "entry_counts_verifying"
    return "entry_counts_until" if here < verifying else "entry_counts_not"


@dataclass(frozen=True)
class FormRow:
    """One indicator of the form: what it is, what is stored, what it does."""

    code: str
    dimension: str
    name: str
    description: str
    rule: str
    max: float
    verifying_stage: str
    counts: str  # a label key (counts_key)
    derived: bool
    value: float | None  # stored points (typed) or the computed points (derived)
    note: str
    evidence: int  # files attached to this indicator at this stage

    @property
    def step(self) -> float:
        """The number input's step: half points where the maximum allows, else tenths."""
        return 0.5 if self.max >= 2 else 0.1


def _stored(frame: pd.DataFrame, unit: str, column: str) -> dict[str, object]:
    rows = frame[frame["unit_code"] == unit] if not frame.empty else frame
    return dict(zip(rows["indicator_code"], rows[column], strict=True)) if len(rows) else {}


def form_rows(rubric: Rubric, stage: str, unit: str, scores: pd.DataFrame,
              computed: pd.DataFrame, evidence: pd.DataFrame, lang: str) -> list[FormRow]:
    """The form's rows in rubric order. `scores`: the stage's stored rows (unit_code,
    indicator_code, points, note); `computed`: the engine's indicator table (unit_code,
    indicator_code, points), for derived indicators; `evidence`: the unit's evidence rows."""
    points, notes = _stored(scores, unit, "points"), _stored(scores, unit, "note")
    derived = _stored(computed, unit, "points")
    keys = evidence.loc[evidence["subject"] == "score", "subject_key"] if len(evidence) \
        else pd.Series(dtype=object)
    files = keys.value_counts().to_dict()
    out = []
    for i in rubric.indicators:
        value = derived.get(i.code) if i.is_derived else points.get(i.code)
        note = notes.get(i.code)
        out.append(FormRow(
            i.code, i.dimension, i.name(lang),
            i.description_en if lang == "en" else i.description_zh,
            i.rule_en if lang == "en" else i.rule_zh, float(i.max), i.stage,
            counts_key(rubric, i, stage), i.is_derived,
            None if value is None or pd.isna(value) else float(value),
            "" if note is None or pd.isna(note) else str(note),
            int(files.get(f"{stage}/{i.code}", 0))))
    return out


def missing_codes(rows: list[FormRow]) -> list[str]:
    """Typed indicators without stored points (shown before submitting)."""
    return [r.code for r in rows if not r.derived and r.value is None]


@dataclass(frozen=True)
class StageState:
    """Where a unit's stage stands: its submission and its window today."""

    status: str  # 'draft', 'submitted' or 'reopened'
    submitted_at: object = None
    submitted_by: str | None = None
    reopen_reason: str | None = None
    opens: date | None = None
    closes: date | None = None
    window: str | None = None  # 'before', 'after' or None (open, or no window set)

    @property
    def locked(self) -> bool:
        return self.status == "submitted"


def stage_state(submissions: pd.DataFrame, deadlines: pd.DataFrame, unit: str, stage: str,
                today: date) -> StageState:
    """The unit's stage from the round's submissions and deadlines (round_stages rows)."""
    from evalcore.actions_entry import window_state

    mine = submissions[(submissions["unit_code"] == unit) & (submissions["stage"] == stage)]
    row = mine.iloc[0] if len(mine) else None
    window = deadlines[deadlines["stage"] == stage]
    opens = closes = None
    if len(window):
        opens = window.iloc[0]["opens"]
        opens = None if pd.isna(opens) else pd.Timestamp(opens).date()
        closes = pd.Timestamp(window.iloc[0]["closes"]).date()
    state = window_state(None if closes is None else (opens, closes), today)
    if row is None:
        return StageState("draft", opens=opens, closes=closes, window=state)
    return StageState(str(row["status"]), row["submitted_at"], row["submitted_by"],
                      row["reopen_reason"], opens, closes, state)


def evidence_table(evidence: pd.DataFrame, stage: str) -> pd.DataFrame:
    """The unit's evidence of this stage's scores: indicator, file name, size, who, when."""
    rows = evidence[(evidence["subject"] == "score")
                    & evidence["subject_key"].str.startswith(f"{stage}/")]
    return pd.DataFrame({
        "indicator_code": rows["subject_key"].str.split("/").str[1].to_numpy(),
        "file_name": rows["file_name"].to_numpy(),
        "size_kb": (rows["size_bytes"] / 1024).clip(lower=0.1).round(1).to_numpy(),
        "uploaded_by": rows["uploaded_by"].to_numpy(),
        "uploaded_at": rows["uploaded_at"].to_numpy(),
        "sha256": rows["sha256"].to_numpy(),
    })
