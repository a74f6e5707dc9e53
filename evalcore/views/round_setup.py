"""The round setup page's tables, without Streamlit: the groups and targets as the editors show
them, what an edited table would write, the problems to show before saving, the history.

Cities are shown by name in the groups editor (the 11 names are unique) and stored by code;
targets are edited per unit (province, cities, counties) with blank meaning "not set".
"""

from __future__ import annotations

import json

import pandas as pd

from evalcore import rounds_setup
from evalcore.messages import Message

EDITOR_GROUP_COLUMNS = ["group_no", "leader_city", "inspected_city", "leader_name",
                        "leader_title", "members"]
TARGET_VALUES = ["communities", "households", "investment_wan"]
SETUP_ACTIONS = ("set-deadlines", "assign-groups", "set-targets")
SETUP_KINDS = ("targets", "groups", "deadlines")


def groups_editor_frame(groups: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The groups with cities by name, in group order (the editor's table); a text not
    recorded is empty (stored again as NULL)."""
    frame = groups.sort_values("group_no")
    return pd.DataFrame({
        "group_no": frame["group_no"].astype(int).to_numpy(),
        "leader_city": frame["leader_city_code"].map(names).to_numpy(),
        "inspected_city": frame["inspected_city_code"].map(names).to_numpy(),
        **{c: [v if isinstance(v, str) else "" for v in frame[c]]
           for c in rounds_setup.TEXT_LIMITS},
    })


def groups_from_editor(edited: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The edited table with cities as codes (a name that is no city stays as typed, so the
    checks name it)."""
    codes = {name: code for code, name in names.items()}
    return pd.DataFrame({
        "group_no": edited["group_no"].to_numpy(),
        "leader_city_code": [codes.get(v, v) for v in edited["leader_city"]],
        "inspected_city_code": [codes.get(v, v) for v in edited["inspected_city"]],
        **{c: edited[c].to_numpy() for c in rounds_setup.TEXT_LIMITS},
    })


def group_problems(groups: pd.DataFrame, names: dict[str, str]) -> list[Message]:
    """What is wrong with the groups, for the page to show before saving."""
    return [f.message for f in rounds_setup.check_groups(groups, names)]


def targets_editor_frame(regions: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Every unit (province, cities, counties) with its targets of the year; blank if none."""
    units = regions.sort_values("code")[["code", "name", "level"]]
    stored = targets.set_index("unit_code")[TARGET_VALUES] if not targets.empty else None
    frame = pd.DataFrame({"unit_code": units["code"].to_numpy(),
                          "unit_name": units["name"].to_numpy(),
                          "level": units["level"].to_numpy()})
    for column in TARGET_VALUES:
        values = frame["unit_code"].map(stored[column]) if stored is not None else None
        frame[column] = pd.array(values if values is not None else [None] * len(frame),
                                 dtype="Float64" if column == "investment_wan" else "Int64")
    return frame


def _whole(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


def _same(a: object, b: object) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return bool(a == b)


def targets_changes(edited: pd.DataFrame, stored: pd.DataFrame,
                    year: int) -> tuple[pd.DataFrame, list[Message]]:
    """The `targets` rows an edited table would write (only those that differ from what is
    stored) and what stops it: a stored target blanked, a negative or fractional number."""
    before = targets_editor_frame(pd.DataFrame({
        "code": edited["unit_code"], "name": edited["unit_name"], "level": edited["level"]}),
        stored).set_index("unit_code")
    rows, problems = [], []
    for row in edited.itertuples():
        old = before.loc[row.unit_code, TARGET_VALUES]
        new = [getattr(row, c) for c in TARGET_VALUES]
        if all(_same(a, b) for a, b in zip(new, old, strict=True)):
            continue
        if pd.isna(row.communities):
            problems.append(Message("setup_target_blank_stored", {"unit": row.unit_name}))
            continue
        bad = [v for v in new if not pd.isna(v) and v < 0]
        bad += [v for v in new[:2] if not pd.isna(v) and v != int(v)]
        if bad:
            problems.append(Message("invalid_value", {"value": f"{row.unit_name} {bad[0]}"}))
            continue
        rows.append((year, row.unit_code, int(row.communities), _whole(row.households),
                     None if pd.isna(row.investment_wan) else float(row.investment_wan)))
    return pd.DataFrame(rows, columns=list(rounds_setup.TARGET_COLUMNS)), problems


def deadline_defaults(stored: pd.DataFrame) -> dict[str, tuple]:
    """{stage: (opens or None, closes)} of the stored deadlines, as dates."""
    def day(value):
        return None if pd.isna(value) else pd.Timestamp(value).date()
    return {row.stage: (day(row.opens), day(row.closes)) for row in stored.itertuples()}


def deadline_windows(self_due, cross: tuple, third: tuple) -> dict[str, tuple]:
    """{stage: (opens, closes)} from the page's inputs: a due date, two windows (a window
    with one date picked so far is not complete, and left out)."""
    windows = {}
    if self_due:
        windows["self"] = (None, self_due)
    for stage, picked in (("cross", cross), ("third_party", third)):
        if picked and len(picked) == 2:
            windows[stage] = (picked[0], picked[1])
    return windows


def deadline_problems(year: int, stored: pd.DataFrame, windows: dict) -> list[Message]:
    new = rounds_setup.deadline_rows(year, windows)
    return rounds_setup.check_deadlines(year, rounds_setup.merge_deadlines(stored, new))


def setup_history(log: pd.DataFrame, year: int) -> pd.DataFrame:
    """The audit entries that set this round up (setup actions, setup imports), newest first:
    id, at, actor, action, detail."""
    def ours(row) -> bool:
        detail = json.loads(row.detail)
        if detail.get("round") != year:
            return False
        return row.action in SETUP_ACTIONS or (row.action == "import"
                                               and detail.get("kind") in SETUP_KINDS)
    mask = [ours(r) for r in log.itertuples()]
    return log[mask] if len(log) else log


def revertible_setup(history: pd.DataFrame, log: pd.DataFrame) -> list[int]:
    """The setup entries not reverted yet (the candidates for the page's revert button)."""
    reverted = {json.loads(d).get("reverted") for d in log.loc[log["action"] == "revert",
                                                               "detail"]}
    return [int(i) for i in history["id"] if int(i) not in reverted]
