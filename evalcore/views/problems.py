"""The problems page's tables, without Streamlit: the list of problems (status, age, overdue),
counts per unit and for all units the viewer sees, and the choices its forms offer.

Frames come in with the columns of the `problems` table as the viewer may read them
(Store.problems); labels are applied here, in the reader's language (evalcore.labels).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from evalcore import rectification
from evalcore.labels import t
from evalcore.vocab import LEVELS

LIST_COLUMNS = ["id", "unit", "description", "status", "overdue", "age_days", "severity",
                "deadline", "found_stage", "indicator_code", "community_id", "answer",
                "review_note", "found_by", "found_at", "answered_at", "closed_at"]
COUNT_COLUMNS = ["unit", *rectification.COUNT_COLUMNS, "rate"]
EVIDENCE_COLUMNS = ["file_name", "subject", "size_kb", "uploaded_by", "uploaded_at"]


def status_label(status: str, lang: str) -> str:
    return t(f"problem_status_{status}", lang)


def severity_label(severity: str, lang: str) -> str:
    return t(f"problem_severity_{severity}", lang)


def finder_label(stage: str, lang: str) -> str:
    return t(f"problem_found_{stage}", lang)


def unit_names(regions: pd.DataFrame, lang: str) -> dict[str, str]:
    """code → 'name (code)' of cities and counties (names are Chinese in both languages,
    as on the other pages; the code makes them findable)."""
    units = regions[regions["level"].isin(LEVELS)]
    return {c: f"{n} ({c})" for c, n in zip(units["code"], units["name"], strict=True)}


def _date(value: object) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={c: t(f"pr_col_{c}", lang) for c in frame.columns})


def problem_list(problems: pd.DataFrame, regions: pd.DataFrame, today: date,
                 lang: str) -> pd.DataFrame:
    """One row per problem, labelled: status, overdue, days open, severity, deadline, who
    found it, where, what; then the answer and the reviewer's note."""
    state = rectification.with_state(problems, today)
    names = unit_names(regions, lang)
    out = pd.DataFrame({
        "id": state["id"].astype(int),
        "unit": state["unit_code"].map(names).fillna(state["unit_code"]),
        "status": [status_label(s, lang) for s in state["status"]],
        "overdue": ["⚠️ " + t("pr_overdue", lang) if o else "" for o in state["overdue"]],
        "age_days": state["age_days"],
        "severity": [severity_label(s, lang) for s in state["severity"]],
        "deadline": [_date(d) for d in state["deadline"]],
        "found_stage": [finder_label(s, lang) for s in state["found_stage"]],
        **{c: state[c].fillna("").astype(str) for c in (
            "indicator_code", "community_id", "description", "answer", "review_note",
            "found_by")},
        **{c: [_date(d) for d in state[c]] for c in ("found_at", "answered_at", "closed_at")},
    })
    return _headers(out[LIST_COLUMNS], lang)


def unit_count_table(problems: pd.DataFrame, regions: pd.DataFrame, today: date,
                     lang: str) -> pd.DataFrame:
    """Per unit a problem was recorded against: recorded, not closed, overdue, closed and the
    share closed, labelled; units with the most outstanding first."""
    found = rectification.counts(problems, today)
    found["rate"] = (found["closed"] / found["recorded"]).round(3)
    found = found.sort_values(["outstanding", "unit_code"], ascending=[False, True])
    found["unit"] = found["unit_code"].map(unit_names(regions, lang)).fillna(found["unit_code"])
    return _headers(found[COUNT_COLUMNS].reset_index(drop=True), lang)


def totals(problems: pd.DataFrame, today: date) -> dict[str, int]:
    """recorded, outstanding, overdue, closed over every problem given."""
    return {k: int(v) for k, v in rectification.counts(problems, today, by=None).iloc[0].items()}


def problem_options(problems: pd.DataFrame, statuses: tuple[str, ...],
                    regions: pd.DataFrame, lang: str) -> dict[int, str]:
    """id → 'No. 3 · 西湖区 (330106) · description…' of the problems in these statuses."""
    names = unit_names(regions, lang)
    chosen = problems[problems["status"].isin(statuses)].sort_values("id")
    return {int(i): f"#{int(i)} · {names.get(u, u)} · {str(d)[:30]}"
            for i, u, d in zip(chosen["id"], chosen["unit_code"], chosen["description"],
                               strict=True)}


def evidence_list(files: pd.DataFrame, lang: str) -> pd.DataFrame:
    """file name, kind (problem or rectification), size, uploaded by and when."""
    out = pd.DataFrame({
        "file_name": files["file_name"], "subject": [t(f"pr_subject_{s}", lang)
                                                     for s in files["subject"]],
        "size_kb": (files["size_bytes"] / 1024).round(1), "uploaded_by": files["uploaded_by"],
        "uploaded_at": [_date(d) for d in files["uploaded_at"]]})
    return _headers(out[EVIDENCE_COLUMNS], lang)
