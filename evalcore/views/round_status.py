"""The round status page as shown: states with marks, deadlines, what is missing, overdue
problems, units ranked on unverified indicators (evalcore/round_status.py computes them)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from evalcore.labels import t
from evalcore.round_status import STATES, RoundStatus
from evalcore.views.common import unit_names, unverified_mark
from evalcore.vocab import STAGES

MARKS = {"submitted": "✅", "reopened": "↩️", "draft": "✏️", "empty": "—"}
OVERDUE = "⏰"


def state_labels(lang: str) -> dict[str, str]:
    return {"submitted": t("status_submitted", lang), "reopened": t("status_reopened", lang),
            "draft": t("status_draft", lang), "empty": t("status_empty", lang)}


def stage_labels(lang: str) -> dict[str, str]:
    return {"self": t("self", lang), "cross": t("cross", lang),
            "third_party": t("third_party", lang)}


def finder_labels(lang: str) -> dict[str, str]:
    return {**stage_labels(lang), "admin": t("status_finder_admin", lang)}


def severity_labels(lang: str) -> dict[str, str]:
    return {"minor": t("status_severity_minor", lang), "major": t("status_severity_major", lang),
            "serious": t("status_severity_serious", lang)}


def problem_status_labels(lang: str) -> dict[str, str]:
    return {"open": t("status_problem_open", lang),
            "answered": t("status_problem_answered", lang),
            "returned": t("status_problem_returned", lang),
            "closed": t("status_problem_closed", lang)}


def state_text(state: str, missing: int, overdue: bool, lang: str) -> str:
    """'✏️ 草稿 · 缺3项 ⏰ 逾期': a unit's stage at a glance (the mark first, then words)."""
    text = f"{MARKS[state]} {state_labels(lang)[state]}"
    if missing and state != "submitted":
        text += " · " + t("status_missing_n", lang).format(n=int(missing))
    if overdue:
        text += f" {OVERDUE} {t('status_overdue', lang)}"
    return text


def _names(frame: pd.DataFrame, lang: str) -> pd.Series:
    return unit_names(frame, lang).reset_index(drop=True)


def units_frame(status: RoundStatus, lang: str) -> pd.DataFrame:
    """One row per unit (code order): each stage's state, cases awaiting review, problems."""
    units = status.units
    out = pd.DataFrame({t("unit_name", lang): _names(units, lang)})
    for stage, label in stage_labels(lang).items():
        out[label] = [state_text(s, m, o, lang) for s, m, o in zip(
            units[f"{stage}_state"], units[f"{stage}_missing"], units[f"{stage}_overdue"],
            strict=True)]
    out[t("status_cases_pending", lang)] = units["cases_pending"].to_numpy()
    out[t("status_problems_open", lang)] = units["problems_open"].to_numpy()
    out[t("status_problems_overdue", lang)] = units["problems_overdue"].to_numpy()
    return out


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else "–"


def deadlines_frame(status: RoundStatus, lang: str) -> pd.DataFrame:
    """One row per stage: window, whether closed, counts per state, units overdue."""
    rows = status.deadlines
    window = [t("status_window_unset" if c is None else
                "status_window_closed" if o else "status_window_open", lang)
              for c, o in zip(rows["closes"], rows["overdue"], strict=True)]
    out = pd.DataFrame({
        t("stage", lang): rows["stage"].map(stage_labels(lang)),
        t("status_opens", lang): rows["opens"].map(_day),
        t("status_closes", lang): rows["closes"].map(_day),
        t("status_window", lang): window,
    })
    labels = state_labels(lang)
    for state in reversed(STATES):
        out[f"{MARKS[state]} {labels[state]}"] = rows[state].to_numpy()
    out[f"{OVERDUE} {t('status_late_units', lang)}"] = rows["late"].to_numpy()
    return out


def _with_names(frame: pd.DataFrame, status: RoundStatus) -> pd.DataFrame:
    names = status.units.set_index("unit_code")["unit_name"]
    return frame.assign(unit_name=frame["unit_code"].map(names))


def missing_frame(status: RoundStatus, lang: str) -> pd.DataFrame:
    """Unit, stage, the indicator codes without points (stage order within each unit)."""
    rows = _with_names(status.missing, status)
    return pd.DataFrame({
        t("unit_name", lang): _names(rows, lang),
        t("stage", lang): rows["stage"].map(stage_labels(lang)).to_numpy(),
        t("status_indicators", lang): rows["indicators"].to_numpy(),
    })


def cases_frame(status: RoundStatus, lang: str) -> pd.DataFrame:
    rows = _with_names(status.cases, status)
    return pd.DataFrame({
        t("unit_name", lang): _names(rows, lang),
        t("status_category", lang): rows["category_code"].to_numpy(),
        t("status_case_no", lang): rows["case_no"].to_numpy(),
        t("status_verifying_stage", lang): rows["verifying_stage"].map(stage_labels(lang))
        .to_numpy(),
    })


def problems_frame(status: RoundStatus, lang: str) -> pd.DataFrame:
    """Problems past their deadline and not closed, oldest deadline first."""
    rows = _with_names(status.problems, status)
    return pd.DataFrame({
        t("status_problem_id", lang): rows["id"].to_numpy(),
        t("unit_name", lang): _names(rows, lang),
        t("status_found_stage", lang): rows["found_stage"].map(finder_labels(lang)).to_numpy(),
        t("status_severity", lang): rows["severity"].map(severity_labels(lang)).to_numpy(),
        t("status_deadline", lang): rows["deadline"].map(_deadline).to_numpy(),
        t("status_problem_status", lang): rows["status"].map(problem_status_labels(lang))
        .to_numpy(),
    })


def _deadline(value) -> str:
    return pd.Timestamp(value).date().isoformat() if pd.notna(value) else "–"


def unverified_frame(status: RoundStatus, lang: str) -> pd.DataFrame:
    """Units whose total counts unverified indicators, in rank order (the leaderboard's mark)."""
    rows = status.unverified
    stages = {**stage_labels(lang), "blend": t("status_blend", lang)}
    return pd.DataFrame({
        t("rank", lang): rows["rank"].astype(int).to_numpy(),
        t("unit_name", lang): _names(rows, lang),
        t("total", lang): rows["total"].round(2).to_numpy(),
        t("crit_verified", lang): [unverified_mark(n, lang) for n in rows["unverified_count"]],
        t("status_indicators", lang): rows["unverified"].to_numpy(),
        t("status_stand_in", lang): [", ".join(stages.get(s, t("status_none", lang))
                                              for s in text.split(", ") if s)
                                     for text in rows["stand_in"]],
    })


def unverified_summary(status: RoundStatus, lang: str) -> str:
    return t("status_unverified_summary", lang).format(n=len(status.unverified),
                                                       of=len(status.units))


__all__ = ["MARKS", "OVERDUE", "STAGES", "cases_frame", "deadlines_frame", "missing_frame",
           "problems_frame", "state_text", "units_frame", "unverified_frame",
           "unverified_summary"]
