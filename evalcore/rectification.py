"""Problems and their rectification (整改): the rules, without Streamlit or SQL.

A problem is found by a cross-inspection group, the third-party institution or an
administrator (`found_stage`, from the finder's role), against a unit and optionally one of
its communities and an indicator of the round's rubric. It moves

    open → answered (the unit says what was done) → closed (the finder signs it off, 销号)
                                                  → returned (sent back with a note) → answered …

Overdue: a problem is overdue while it is not closed and its deadline has passed (deadline
< today), whether or not the unit has answered: rectification counts as done only when it is
signed off, so an answer after the deadline, or one still waiting for sign-off, does not
stop the clock. A closed problem is never overdue (when it was closed shows in closed_at).
Age: days from finding to closing, or to today while not closed.

The checks here give Messages (evalcore/messages.py): the write actions
(evalcore/actions_problems.py) and the import (evalcore/importer/problem_rows.py) share them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from evalcore.messages import Label, Message
from evalcore.vocab import PROBLEM_SEVERITIES, PROBLEM_STATUSES

# Who records a problem, by role: the stage it was found at (vocab.PROBLEM_FINDERS).
FOUND_STAGE = {"group": "cross", "third_party": "third_party", "admin": "admin"}
MAX_TEXT = 2000  # description, answer, review note (characters)
MAX_DEADLINE_YEARS = 3  # a deadline at most this many years after the round's year
# Which statuses allow which next step.
ANSWERABLE = ("open", "returned")
REVIEWABLE = ("answered",)
COUNT_COLUMNS = ("recorded", "outstanding", "overdue", "closed")
# The label of each text field, as messages name it.
FIELD_LABELS = {"description": "pr_description", "answer": "pr_answer_field",
                "review_note": "pr_review_note"}


def text_problems(text: object, field: str, required: bool = True) -> list[Message]:
    """An empty or too long text (description, answer, note)."""
    clean = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    name = Label(FIELD_LABELS[field])
    if required and not clean.strip():
        return [Message("problem_text_empty", {"field": name})]
    if len(clean) > MAX_TEXT:
        return [Message("problem_text_too_long", {"field": name, "max": MAX_TEXT})]
    return []


def deadline_problems(deadline: object, year: int) -> list[Message]:
    """A deadline must be a date within the round's year and the few years after it."""
    if not isinstance(deadline, date):
        return [Message("problem_deadline_missing")]
    if not year <= deadline.year <= year + MAX_DEADLINE_YEARS:
        return [Message("problem_deadline_out_of_range", {
            "date": deadline.isoformat(), "year": year, "last": year + MAX_DEADLINE_YEARS})]
    return []


def place_problems(unit_code: str, community_id: str | None, indicator_code: str | None,
                   units: set[str], community_units: dict[str, set[str]],
                   indicators: set[str]) -> list[Message]:
    """The unit must be a city or county; the community (if given) one of that unit's
    (`community_units`: community id → the units it belongs to: its county and city); the
    indicator (if given) one of the round's rubric."""
    found = []
    if unit_code not in units:
        found.append(Message("unknown_unit", {"value": unit_code}))
    if community_id and unit_code not in community_units.get(community_id, set()):
        found.append(Message("problem_unknown_community", {"value": community_id,
                                                           "unit": unit_code}))
    if indicator_code and indicator_code not in indicators:
        found.append(Message("problem_unknown_indicator", {"value": indicator_code}))
    return found


def record_problems(unit_code: str, community_id: str | None, indicator_code: str | None,
                    description: object, severity: str, deadline: object, year: int,
                    units: set[str], community_units: dict[str, set[str]],
                    indicators: set[str]) -> list[Message]:
    """Everything wrong with a problem to record (empty: it may be recorded)."""
    found = place_problems(unit_code, community_id, indicator_code, units, community_units,
                           indicators)
    found += text_problems(description, "description")
    if severity not in PROBLEM_SEVERITIES:
        found.append(Message("not_one_of", {"value": severity, "allowed": PROBLEM_SEVERITIES}))
    return found + deadline_problems(deadline, year)


def community_units(communities: pd.DataFrame, regions: pd.DataFrame) -> dict[str, set[str]]:
    """community id → {its county, that county's city} (communities: id, county_code)."""
    parent = regions.set_index("code")["parent_code"]
    return {str(i): {str(c), str(parent.get(c))}
            for i, c in zip(communities["id"], communities["county_code"], strict=True)}


# -- reading: status, age, overdue, counts ----------------------------------------------------

def _day(value: object) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def with_state(problems: pd.DataFrame, today: date) -> pd.DataFrame:
    """The problems with `overdue` (not closed, deadline before today) and `age_days` (days
    from finding to closing, or to today)."""
    out = problems.copy()
    now = pd.Timestamp(today)
    deadline = pd.to_datetime(out["deadline"])
    found = pd.to_datetime(out["found_at"]).dt.normalize()
    closed = pd.to_datetime(out["closed_at"]).dt.normalize()
    out["overdue"] = (out["status"] != "closed") & (deadline < now)
    end = closed.where(out["status"] == "closed", now)
    out["age_days"] = (end - found).dt.days.astype("Int64")
    return out


def counts(problems: pd.DataFrame, today: date, by: str | None = "unit_code") -> pd.DataFrame:
    """recorded, outstanding (not closed), overdue, closed: per `by` value, or one row for
    all (`by` None). Expects the columns of with_state's input."""
    state = with_state(problems, today)
    flags = pd.DataFrame({
        "recorded": 1, "outstanding": (state["status"] != "closed").astype(int),
        "overdue": state["overdue"].astype(int),
        "closed": (state["status"] == "closed").astype(int)}, index=state.index)
    if by is None:
        return flags.sum().to_frame().T.astype(int)[list(COUNT_COLUMNS)]
    out = flags.groupby(state[by]).sum().reset_index()
    return out[[by, *COUNT_COLUMNS]]


def unit_counts(problems: pd.DataFrame, unit: str, counties: set[str], today: date) -> dict:
    """recorded, outstanding, overdue, closed of one unit: a city with its counties'."""
    mine = problems[problems["unit_code"].isin({unit, *counties})]
    return counts(mine, today, by=None).iloc[0].to_dict()


def filtered(problems: pd.DataFrame, today: date, unit: str | None = None,
             status: str | None = None, severity: str | None = None,
             overdue_only: bool = False) -> pd.DataFrame:
    """with_state's rows matching the filters (None: any)."""
    out = with_state(problems, today)
    if unit:
        out = out[out["unit_code"] == unit]
    if status in PROBLEM_STATUSES:
        out = out[out["status"] == status]
    if severity in PROBLEM_SEVERITIES:
        out = out[out["severity"] == severity]
    if overdue_only:
        out = out[out["overdue"]]
    return out.reset_index(drop=True)
