"""Where a round stands (issue 11): per unit and stage, submitted or not; what is missing;
deadlines and what is overdue; open problems; units ranked on unverified indicators.

No Streamlit and no SQL: the Store's readers (bound to the access policy's `submissions` and
`problems` scopes) give the rows, `Reader.round_status` the board; this module only combines
them. A unit's stage is in one of four states, in this order of progress:
- "empty": nothing entered (no score row at that stage);
- "draft": rows entered, not submitted (no stage_submissions row);
- "reopened": submitted, then reopened by an administrator (a draft again, with a reason);
- "submitted": submitted, locked for that unit.
A stage is overdue for a unit when it is not submitted and its deadline (round_stages.closes)
is before the status date. A problem is overdue when it is not closed and its deadline is
before the status date. The status date is today, or for demo data the date the demo stands
at (meta `status_as_of`), so the demo's overdue items do not grow with the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from evalcore.access import Viewer, scope
from evalcore.rubric import Rubric
from evalcore.scoring.common import stage_weights
from evalcore.vocab import STAGES

STATES: tuple[str, ...] = ("empty", "draft", "reopened", "submitted")
UNVERIFIED_COLUMNS = ["unit_code", "unit_name", "rank", "total", "unverified_count",
                      "unverified", "stand_in"]


@dataclass(frozen=True)
class RoundStatus:
    """One round's status for one viewer, at one level (cities or counties).

    units:      unit_code, unit_name, parent_code; per stage `<stage>_state` (STATES),
                `<stage>_missing` (expected indicators without points), `<stage>_overdue`;
                cases_pending (bonus claims awaiting their verifying stage), problems_open,
                problems_overdue
    deadlines:  stage, opens, closes, overdue (closed before the status date); one count
                column per state, and `late` (units overdue at that stage)
    missing:    unit_code, stage, indicators (codes without points, comma-separated)
    cases:      unit_code, category_code, case_no, verifying_stage (claims not yet reviewed)
    problems:   id, unit_code, found_stage, severity, deadline, status (overdue, not closed)
    unverified: UNVERIFIED_COLUMNS, in rank order: units whose final total counts an
                indicator its verifying stage has not scored, and which stage stands in
    """

    year: int
    as_of: date
    units: pd.DataFrame
    deadlines: pd.DataFrame
    missing: pd.DataFrame
    cases: pd.DataFrame
    problems: pd.DataFrame
    unverified: pd.DataFrame


def nothing(year: int, as_of: date) -> RoundStatus:
    """The status of no units (a viewer the policy grants none at this level)."""
    units = pd.DataFrame(columns=["unit_code", "unit_name", "parent_code"])
    empty = pd.DataFrame(columns=["unit_code", "stage", "indicator_code", "category_code",
                                  "case_no", "status"])
    rows = {"submissions": empty, "entered": empty, "bonus": empty,
            "problems": pd.DataFrame(columns=["unit_code", "open", "overdue"]),
            "overdue_problems": pd.DataFrame(columns=["id", "unit_code"]),
            "deadlines": pd.DataFrame(columns=["stage", "opens", "closes"])}
    board = pd.DataFrame(columns=["unit_code", "unit_name", "rank", "total",
                                  "unverified_count"])
    indicators = pd.DataFrame(columns=["unit_code", "indicator_code", "verified",
                                       "source_stage"])
    return assemble(year, as_of, units, None, rows, board, indicators)


def offered(viewer: Viewer) -> bool:
    """Whether the status page is offered: to viewers the policy lets read `submissions`."""
    return any(scope(viewer, "read", "submissions", p) is not None for p in (False, True))


def status_date(meta: dict[str, str], today: date | None = None) -> date:
    """The day overdue is measured at: the demo's own date where it declares one, else today."""
    declared = meta.get("status_as_of") if meta.get("dataset", "real") != "real" else None
    return date.fromisoformat(declared) if declared else (today or date.today())


def expected_indicators(rubric: Rubric, stage: str) -> list[str]:
    """Hand-scored indicators a stage is expected to score. "verifying_stage": every stage up to
    an indicator's verifying stage (self declares, cross checks, the third party verifies its
    own); "blend": every hand-scored indicator at each stage of weight > 0."""
    manual = rubric.manual_indicators()
    if rubric.reconciliation.method == "blend":
        return [i.code for i in manual] if stage_weights(rubric)[stage] > 0 else []
    at = STAGES.index(stage)
    return [i.code for i in manual if STAGES.index(i.stage) >= at]


def stage_states(units: list[str], submissions: pd.DataFrame,
                 entered: pd.DataFrame) -> pd.DataFrame:
    """unit_code × STAGES: each unit's state at each stage (module docstring)."""
    state = pd.DataFrame("empty", index=pd.Index(units, name="unit_code"), columns=list(STAGES))
    for row in entered[["unit_code", "stage"]].drop_duplicates().itertuples(index=False):
        if row.unit_code in state.index:
            state.loc[row.unit_code, row.stage] = "draft"
    for row in submissions.itertuples(index=False):
        if row.unit_code in state.index:
            state.loc[row.unit_code, row.stage] = row.status
    return state


def missing_indicators(units: list[str], entered: pd.DataFrame,
                       rubric: Rubric | None) -> pd.DataFrame:
    """unit_code, stage, indicators: expected codes with no row, per unit and stage."""
    if rubric is None:
        return pd.DataFrame(columns=["unit_code", "stage", "indicators"])
    have = set(map(tuple, entered[["unit_code", "stage", "indicator_code"]].to_numpy()))
    rows = []
    for unit in units:
        for stage in STAGES:
            codes = [c for c in expected_indicators(rubric, stage) if (unit, stage, c) not in have]
            if codes:
                rows.append((unit, stage, ", ".join(codes)))
    return pd.DataFrame(rows, columns=["unit_code", "stage", "indicators"])


def pending_cases(units: list[str], bonus: pd.DataFrame,
                  rubric: Rubric | None) -> pd.DataFrame:
    """Bonus claims (self rows) whose category's verifying stage has not reviewed them."""
    verifying = {c.code: c.stage for c in rubric.bonus.categories} if rubric else {}
    keys = set(map(tuple, bonus[["unit_code", "stage", "category_code", "case_no"]].to_numpy()))
    claims = bonus[(bonus["stage"] == "self") & bonus["unit_code"].isin(units)]
    rows = [(u, c, int(n), verifying.get(c, "cross"))
            for u, c, n in claims[["unit_code", "category_code", "case_no"]].to_numpy()
            if (u, verifying.get(c, "cross"), c, n) not in keys]
    return pd.DataFrame(rows, columns=["unit_code", "category_code", "case_no",
                                       "verifying_stage"])


def deadline_table(deadlines: pd.DataFrame, state: pd.DataFrame, late: pd.DataFrame,
                   as_of: date) -> pd.DataFrame:
    """One row per stage: its window, whether it has closed, and how many units are in each
    state (and late)."""
    rows = []
    stored = deadlines.set_index("stage") if not deadlines.empty else pd.DataFrame()
    for stage in STAGES:
        opens = stored.loc[stage, "opens"] if stage in stored.index else None
        closes = stored.loc[stage, "closes"] if stage in stored.index else None
        counts = state[stage].value_counts()
        rows.append({"stage": stage, "opens": _day(opens), "closes": _day(closes),
                     "overdue": closes is not None and _day(closes) < as_of,
                     **{s: int(counts.get(s, 0)) for s in STATES},
                     "late": int(late[stage].sum())})
    return pd.DataFrame(rows)


def _day(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if isinstance(value, datetime) else value


def overdue_stages(state: pd.DataFrame, deadlines: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """unit_code × STAGES: not submitted after the stage's deadline."""
    closes = {r.stage: _day(r.closes) for r in deadlines.itertuples(index=False)}
    late = pd.DataFrame(False, index=state.index, columns=state.columns)
    for stage in STAGES:
        if closes.get(stage) is not None and closes[stage] < as_of:
            late[stage] = state[stage] != "submitted"
    return late


def unverified_units(board: pd.DataFrame, indicators: pd.DataFrame,
                     units: list[str]) -> pd.DataFrame:
    """Units of the final board whose total counts unverified indicators, in rank order, with
    those indicators and the stage standing in for each ("C1 ← cross")."""
    mine = board[board["unit_code"].isin(units) & (board["unverified_count"] > 0)]
    loose = indicators[~indicators["verified"].astype(bool)
                       & indicators["unit_code"].isin(mine["unit_code"])]
    codes = loose.groupby("unit_code")["indicator_code"].agg(", ".join)
    source = loose["source_stage"].fillna("none")
    stand_in = (loose.assign(source=source).groupby("unit_code")["source"]
                .agg(lambda s: ", ".join(sorted(set(s), key=_stage_order))))
    out = mine.assign(unverified=mine["unit_code"].map(codes).fillna(""),
                      stand_in=mine["unit_code"].map(stand_in).fillna(""))
    return out.sort_values(["rank", "unit_code"], kind="stable")[UNVERIFIED_COLUMNS] \
        .reset_index(drop=True)


def _stage_order(stage: str) -> int:
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


def assemble(year: int, as_of: date, units: pd.DataFrame, rubric: Rubric | None,
             rows: dict[str, pd.DataFrame], board: pd.DataFrame,
             indicators: pd.DataFrame) -> RoundStatus:
    """The status from the readers' rows (`rows`: submissions, entered, bonus, problems,
    overdue_problems, deadlines) for `units` (unit_code, unit_name, parent_code)."""
    codes = units["unit_code"].tolist()
    state = stage_states(codes, rows["submissions"], rows["entered"])
    late = overdue_stages(state, rows["deadlines"], as_of)
    missing = missing_indicators(codes, rows["entered"], rubric)
    cases = pending_cases(codes, rows["bonus"], rubric)
    counts = missing.assign(n=missing["indicators"].str.count(",") + 1) \
        .pivot_table(index="unit_code", columns="stage", values="n", aggfunc="sum")
    problems = rows["problems"].set_index("unit_code")
    table = units.set_index("unit_code")
    for stage in STAGES:
        table[f"{stage}_state"] = state[stage]
        table[f"{stage}_missing"] = (counts[stage] if stage in counts else pd.Series(dtype=float)
                                     ).reindex(table.index).fillna(0).astype(int)
        table[f"{stage}_overdue"] = late[stage]
    table["cases_pending"] = cases.groupby("unit_code").size().reindex(table.index) \
        .fillna(0).astype(int)
    for column in ("open", "overdue"):
        table[f"problems_{column}"] = (problems[column] if column in problems else
                                       pd.Series(dtype=float)).reindex(table.index) \
            .fillna(0).astype(int)
    overdue = rows["overdue_problems"]
    return RoundStatus(
        year, as_of, table.reset_index(), deadline_table(rows["deadlines"], state, late, as_of),
        missing, cases, overdue[overdue["unit_code"].isin(codes)].reset_index(drop=True),
        unverified_units(board, indicators, codes))
