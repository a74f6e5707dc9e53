"""The rules of setting a round up, without Streamlit: the inspection groups' rotation and its
checks, the stage deadlines' checks, and what a round still lacks.

Checks return Messages (evalcore/messages.py), each naming the group, city or stage it is
about, so the page, the importer and the command line can show them in the reader's language.
Writes are not here: they go through evalcore.actions, which asks these checks again inside
the write transaction.

What is checked:
- groups: one group per city, numbered 1 to the number of cities; every code a city; every
  city leads exactly one group and is inspected by exactly one; no group inspects its own city;
  the leader's name and title at most 50 and 100 characters, the members at most 1,000.
- deadlines: a window opens on or before it closes; every date lies from 1 January of the
  year before the round's year to 31 December of the year after; the self-evaluation is due
  before the cross inspection opens; the third-party window does not open before the cross
  inspection does (it may overlap it). The stored dates of the stages not being set count.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from evalcore.messages import Label, Message
from evalcore.vocab import STAGES

GROUP_COLUMNS = ("round_year", "group_no", "leader_city_code", "inspected_city_code",
                 "leader_name", "leader_title", "members")
TEXT_LIMITS = {"leader_name": 50, "leader_title": 100, "members": 1000}
STAGE_COLUMNS = ("round_year", "stage", "opens", "closes")
TARGET_COLUMNS = ("year", "unit_code", "communities", "households", "investment_wan")


@dataclass(frozen=True)
class Finding:
    """One problem of a table: the row it is on (the frame's index label; None for the whole
    table), the column if one, and what is wrong."""

    row: Hashable | None
    column: str | None
    message: Message


# -- inspection groups -----------------------------------------------------------------------

def rotation_step(n_cities: int, year: int) -> int:
    """k in 1 … n-1: the group led by the i-th city inspects the (i + k)-th (mod n). Never 0,
    so no group inspects its own city; it moves by one every year. For 11 cities,
    k = 1 + (year mod 10)."""
    if n_cities < 2:
        raise ValueError("a rotation needs at least two cities")
    return 1 + year % (n_cities - 1)


def suggest_groups(cities: Sequence[str], year: int) -> pd.DataFrame:
    """The suggested rotation: group i + 1 is led by the i-th city (in code order) and
    inspects city (i + k) mod n; every city leads one group and is inspected once. Leaders'
    names, titles and members are left empty (GROUP_COLUMNS)."""
    codes = sorted(cities)
    k = rotation_step(len(codes), year)
    return pd.DataFrame(
        [(year, i + 1, leader, codes[(i + k) % len(codes)], None, None, None)
         for i, leader in enumerate(codes)], columns=list(GROUP_COLUMNS))


def _name(code: object, names: dict[str, str]) -> str:
    return names.get(str(code), str(code))


def _codes_are_cities(groups: pd.DataFrame, names: dict[str, str]) -> list[Finding]:
    return [Finding(i, column, Message("setup_group_not_a_city", {"group": row.group_no,
                                                            "value": getattr(row, column)}))
            for i, row in zip(groups.index, groups.itertuples(), strict=True)
            for column in ("leader_city_code", "inspected_city_code")
            if getattr(row, column) not in names]


def _numbers(groups: pd.DataFrame, n: int) -> list[Finding]:
    found, seen = [], set()
    for i, number in groups["group_no"].items():
        whole = pd.api.types.is_number(number) and not isinstance(number, bool) \
            and not pd.isna(number) and number == int(number)
        if not whole or not 1 <= number <= n:
            value = "" if number is None or pd.isna(number) else number
            found.append(Finding(i, "group_no", Message("setup_group_number_invalid",
                                                        {"value": value, "n": n})))
        elif int(number) in seen:
            found.append(Finding(i, "group_no", Message("setup_group_number_duplicate",
                                                        {"group": int(number)})))
        else:
            seen.add(int(number))
    return found


def _once_each(groups: pd.DataFrame, column: str, names: dict[str, str]) -> list[Finding]:
    """Every city exactly once in `column` (leading or inspected)."""
    codes = groups[column].astype(str)
    leads = column == "leader_city_code"
    found = [Finding(None, column, Message(
                "setup_city_leads_no_group" if leads else "setup_city_not_inspected", {"city": names[c]}))
             for c in names if c not in set(codes)]
    for code, rows in groups.groupby(codes).groups.items():
        if len(rows) > 1 and code in names:
            numbers = [int(n) for n in groups.loc[rows, "group_no"]]
            found.append(Finding(rows[1], column, Message(
                "setup_city_leads_twice" if leads else "setup_city_inspected_twice",
                {"city": names[code], "groups": numbers})))
    return found


def _texts(groups: pd.DataFrame) -> list[Finding]:
    return [Finding(i, column, Message("setup_group_text_too_long", {
                "group": groups.at[i, "group_no"], "column": Label(f"setup_{column}"),
                "max": limit}))
            for column, limit in TEXT_LIMITS.items() if column in groups
            for i, value in groups[column].items()
            if isinstance(value, str) and len(value) > limit]


def check_groups(groups: pd.DataFrame, cities: dict[str, str]) -> list[Finding]:
    """Every problem of a round's groups (group_no, leader_city_code, inspected_city_code and
    optionally the texts), given the cities (code → name); empty when the table is valid."""
    if groups.empty:
        return [Finding(None, None, Message("setup_groups_count", {"n": len(cities), "found": 0}))]
    found = _numbers(groups, len(cities)) + _codes_are_cities(groups, cities)
    own = groups["leader_city_code"] == groups["inspected_city_code"]
    found += [Finding(i, "inspected_city_code", Message("setup_group_own_city", {
                  "group": groups.at[i, "group_no"],
                  "city": _name(groups.at[i, "leader_city_code"], cities)}))
              for i in groups.index[own]]
    if len(groups) != len(cities):
        found.append(Finding(None, None, Message("setup_groups_count", {"n": len(cities),
                                                                  "found": len(groups)})))
    found += _once_each(groups, "leader_city_code", cities)
    found += _once_each(groups, "inspected_city_code", cities)
    return found + _texts(groups)


def clean_groups(groups: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows to store (GROUP_COLUMNS) from a checked table: whole numbers, and texts
    stripped, empty ones as NULL."""
    out = groups.copy()
    out["round_year"] = year
    out["group_no"] = out["group_no"].astype(int)
    for column in TEXT_LIMITS:
        values = out[column] if column in out else pd.Series(None, index=out.index)
        out[column] = pd.Series([(v.strip() or None) if isinstance(v, str) else None
                                 for v in values], index=out.index, dtype=object)
    return out[list(GROUP_COLUMNS)].sort_values("group_no").reset_index(drop=True)


# -- stage deadlines ---------------------------------------------------------------------

def deadline_range(year: int) -> tuple[date, date]:
    """The dates a round's deadlines may take: the year before its year to the year after."""
    return date(year - 1, 1, 1), date(year + 1, 12, 31)


def _date(value: object) -> date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def check_deadlines(year: int, stages: pd.DataFrame) -> list[Message]:
    """Every problem of a round's deadlines (stage, opens, closes: the stages being set over
    the stored ones); empty when they are valid."""
    first, last = deadline_range(year)
    found: list[Message] = []
    window: dict[str, tuple[date | None, date]] = {}
    for row in stages.itertuples():
        opens, closes = _date(row.opens), _date(row.closes)
        stage = Label(row.stage)
        if closes is None:
            found.append(Message("setup_deadline_missing", {"stage": stage}))
            continue
        for day in (d for d in (opens, closes) if d is not None):
            if not first <= day <= last:
                found.append(Message("setup_deadline_out_of_range", {
                    "stage": stage, "date": day.isoformat(), "first": first.isoformat(),
                    "last": last.isoformat()}))
        if opens is not None and opens > closes:
            found.append(Message("setup_deadline_reversed", {"stage": stage, "opens": opens.isoformat(),
                                                       "closes": closes.isoformat()}))
        window[row.stage] = (opens, closes)
    return found + _order(window)


def _order(window: dict[str, tuple[date | None, date]]) -> list[Message]:
    found = []
    cross = window.get("cross", (None, None))[0]
    if "self" in window and cross is not None and not window["self"][1] < cross:
        found.append(Message("setup_deadline_self_after_cross", {
            "due": window["self"][1].isoformat(), "opens": cross.isoformat()}))
    third = window.get("third_party", (None, None))[0]
    if cross is not None and third is not None and third < cross:
        found.append(Message("setup_deadline_third_before_cross", {
            "third": third.isoformat(), "cross": cross.isoformat()}))
    return found


def merge_deadlines(stored: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The deadlines a round would have: the new rows over the stored ones (stage order)."""
    kept = stored[~stored["stage"].isin(new["stage"])]
    both = pd.concat([kept[["stage", "opens", "closes"]], new[["stage", "opens", "closes"]]],
                     ignore_index=True)
    order = {s: i for i, s in enumerate(STAGES)}
    return both.sort_values("stage", key=lambda s: s.map(order)).reset_index(drop=True)


def deadline_rows(year: int, windows: dict[str, tuple[object, object]]) -> pd.DataFrame:
    """Rows for `round_stages` from {stage: (opens or None, closes)}."""
    return pd.DataFrame([(year, stage, _date(opens), _date(closes))
                         for stage, (opens, closes) in windows.items()],
                        columns=list(STAGE_COLUMNS))


# -- what a round still lacks -----------------------------------------------------------

def missing_targets(targets: pd.DataFrame, year: int) -> list[Message]:
    """What a round scores as 0 for want of targets: the start rate (targets of its year) and
    the completion rate (targets of the year before)."""
    years = set(targets["year"].astype(int)) if not targets.empty else set()
    found = []
    if year not in years:
        found.append(Message("setup_round_no_targets", {"year": year}))
    if year - 1 not in years:
        found.append(Message("setup_round_no_previous_targets", {"year": year,
                                                           "previous": year - 1}))
    return found
