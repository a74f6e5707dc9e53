"""Importing a round's setup from CSV or XLSX: targets per unit, inspection groups, deadlines.

The same path as scores: the file is read (importer.reading), each row validated with pydantic
(problems name the file, row and column), then the whole table is checked by the rules of
evalcore/rounds_setup.py (every city leads one group and is inspected once, none its own;
deadlines in order), then the viewer's rights, then a preview against what is stored. A file
with any problem is refused whole; nothing is written here: evalcore.actions.import_prepared
(the dashboard) or importer.apply (the command line) writes a Prepared in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from evalcore import rounds_setup
from evalcore.access import FULL, Viewer, scope
from evalcore.db import Store
from evalcore.importer import ImportResult, Prepared, _prepared, _round, apply, diff_rows
from evalcore.importer.problems import ImportRejected, Problem
from evalcore.importer.reading import read_table
from evalcore.importer.rows import check_columns, validate_rows
from evalcore.importer.units import resolve_unit, unit_lookup
from evalcore.labels import t
from evalcore.messages import Label, Message
from evalcore.vocab import STAGES

KINDS: tuple[str, ...] = ("targets", "groups", "deadlines")
TABLE_OF = {"targets": "targets", "groups": "inspection_groups", "deadlines": "round_stages"}
KEYS_OF = {"targets": ["year", "unit_code"], "groups": ["round_year", "group_no"],
           "deadlines": ["round_year", "stage"]}
# The file's columns: required, then optional (the templates write them in this order).
COLUMNS = {
    "targets": (["unit_code", "communities"], ["unit_name", "households", "investment_wan"]),
    "groups": (["group_no", "leader_city", "inspected_city"],
               ["leader_name", "leader_title", "members"]),
    "deadlines": (["stage", "closes"], ["opens"]),
}
# The columns of the templates (importer/setup_template.py), in order.
TEMPLATE_COLUMNS = {
    "targets": ["unit_code", "unit_name", "communities", "households", "investment_wan"],
    "groups": ["group_no", "leader_city", "inspected_city", "leader_name", "leader_title",
               "members"],
    "deadlines": ["stage", "opens", "closes"],
}
# A group's file columns name cities by code or name; the table stores codes.
GROUP_FILE_COLUMN = {"leader_city_code": "leader_city", "inspected_city_code": "inspected_city"}


class TargetRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    unit_code: str
    communities: int = Field(ge=0, le=100_000)
    households: int | None = Field(default=None, ge=0, le=100_000_000)
    investment_wan: float | None = Field(default=None, ge=0, le=1_000_000_000, allow_inf_nan=False)


class GroupRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    group_no: int = Field(ge=1, le=99)
    leader_city: str
    inspected_city: str
    leader_name: str | None = Field(default=None, max_length=rounds_setup.TEXT_LIMITS["leader_name"])
    leader_title: str | None = Field(default=None,
                                     max_length=rounds_setup.TEXT_LIMITS["leader_title"])
    members: str | None = Field(default=None, max_length=rounds_setup.TEXT_LIMITS["members"])


class DeadlineRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    stage: Literal["self", "cross", "third_party"]
    opens: date | None = None
    closes: date


def _stage_code(value: str) -> str:
    """A stage as its code (self) or its label in either language (市县自评)."""
    by_label = {t(s, lang): s for s in STAGES for lang in ("zh", "en")}
    return by_label.get(value, value)


def _unit_codes(frame: pd.DataFrame, column: str, lookup: dict, file: str,
                unique: bool) -> tuple[dict, list[Problem]]:
    codes, problems, seen = {}, [], {}
    for row_no, value in frame[column].items():
        code, reason = resolve_unit(value, lookup)
        if reason:
            problems.append(Problem(file, reason, row=row_no, column=column))
        elif unique and code in seen:
            problems.append(Problem(file, Message("duplicate_unit_row", {
                "code": code, "other_row": seen[code]}), row=row_no, column=column))
        else:
            seen[code] = row_no
        codes[row_no] = code
    return codes, problems


def _without_blank(frame: pd.DataFrame, values: list[str]) -> pd.DataFrame:
    """The rows with a value in any of `values` (a template's unit or stage left blank is not
    set, and not changed)."""
    present = [c for c in values if c in frame.columns]
    return frame[(frame[present] != "").any(axis=1)]


def parse_targets(frame: pd.DataFrame, file: str, regions: pd.DataFrame,
                  year: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows for `targets` (rounds_setup.TARGET_COLUMNS), and every problem found. Rows with
    no target at all (a template's blank units) are left out."""
    frame = _without_blank(frame, ["communities", "households", "investment_wan"])
    if frame.empty:
        return pd.DataFrame(), [Problem(file, Message("setup_no_targets_given"))]
    lookup = unit_lookup(regions, ("province", "city", "county"))
    codes, problems = _unit_codes(frame, "unit_code", lookup, file, unique=True)
    models, row_problems = validate_rows(frame, TargetRow, file)
    records = [(year, codes[row_no], m.communities, m.households, m.investment_wan)
               for row_no, m in zip(frame.index, models, strict=True) if m is not None]
    return (pd.DataFrame(records, columns=list(rounds_setup.TARGET_COLUMNS)),
            problems + row_problems)


def parse_groups(frame: pd.DataFrame, file: str, regions: pd.DataFrame,
                 year: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows for `inspection_groups` (rounds_setup.GROUP_COLUMNS), and every problem found:
    each row's, then the whole table's (rounds_setup.check_groups)."""
    lookup = unit_lookup(regions, ("city",))
    problems: list[Problem] = []
    codes = {}
    for column in GROUP_FILE_COLUMN.values():
        codes[column], found = _unit_codes(frame, column, lookup, file, unique=False)
        problems += found
    models, row_problems = validate_rows(frame, GroupRow, file)
    problems += row_problems
    if problems:
        return pd.DataFrame(), problems
    table = pd.DataFrame(
        {"group_no": [m.group_no for m in models],
         "leader_city_code": [codes["leader_city"][r] for r in frame.index],
         "inspected_city_code": [codes["inspected_city"][r] for r in frame.index],
         **{c: [getattr(m, c) for m in models] for c in rounds_setup.TEXT_LIMITS}},
        index=frame.index)
    cities = dict(regions.query("level == 'city'")[["code", "name"]].to_numpy())
    problems = [Problem(file, f.message, row=f.row,
                        column=GROUP_FILE_COLUMN.get(f.column, f.column))
                for f in rounds_setup.check_groups(table, cities)]
    return rounds_setup.clean_groups(table, year), problems


def parse_deadlines(frame: pd.DataFrame, file: str, stored: pd.DataFrame,
                    year: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows for `round_stages` (rounds_setup.STAGE_COLUMNS), and every problem found: each
    row's, then those of the deadlines the round would have (rounds_setup.check_deadlines).
    Stages with no date (a template's blank rows) are left out."""
    frame = _without_blank(frame, ["opens", "closes"])
    frame = frame.assign(stage=frame["stage"].map(_stage_code))
    models, problems = validate_rows(frame, DeadlineRow, file)
    seen: dict[str, int] = {}
    for row_no, m in zip(frame.index, models, strict=True):
        if m is not None and m.stage in seen:
            problems.append(Problem(file, Message("setup_duplicate_stage_row", {
                "stage": Label(m.stage), "other_row": seen[m.stage]}), row=row_no,
                column="stage"))
        elif m is not None:
            seen[m.stage] = row_no
    if not problems and not models:
        problems.append(Problem(file, Message("setup_deadline_none_given")))
    if problems:
        return pd.DataFrame(), problems
    rows = rounds_setup.deadline_rows(year, {m.stage: (m.opens, m.closes) for m in models})
    merged = rounds_setup.merge_deadlines(stored, rows)
    return rows, [Problem(file, m) for m in rounds_setup.check_deadlines(year, merged)]


def _rights(viewer: Viewer, kind: str, published: bool, file: str) -> list[Problem]:
    if scope(viewer, "write", f"round_setup:{kind}", published) is not None:
        return []
    return [Problem(file, Message("rights_cannot_import_setup", {"kind": Label(f"setup_{kind}")}))]


def stored_setup(store: Store, kind: str, year: int) -> pd.DataFrame:
    """What the file would replace, in the table's columns."""
    if kind == "targets":
        targets = store.targets()
        return targets[targets["year"] == year]
    if kind == "groups":
        return store.group_assignments(year).assign(round_year=year)
    stages = store.round_stages(year).assign(round_year=year)
    for column in ("opens", "closes"):  # dates, as a file's rows hold them (not timestamps)
        stages[column] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in stages[column]]
    return stages


def prepare_setup(store: Store, file: Path | str, kind: str, year: int,
                  viewer: Viewer = FULL, data: bytes | None = None) -> Prepared:
    """Validate a setup file (KINDS) for a round; raise ImportRejected listing every problem.
    Nothing is written. `data`: the file's bytes when held in memory (an upload)."""
    file = Path(file)
    if kind not in KINDS:
        raise ImportRejected([Problem(file.name, Message("not_one_of", {
            "value": kind, "allowed": KINDS}))])
    frame = read_table(file, data, kind)  # the template names its data sheet by kind
    round_row = _round(store, year, file.name)
    required, optional = COLUMNS[kind]
    problems = check_columns(frame, required, optional, file.name, {})
    if problems:
        raise ImportRejected(problems)
    stored = stored_setup(store, kind, year)
    if kind == "targets":
        rows, problems = parse_targets(frame, file.name, store.regions(), year)
    elif kind == "groups":
        rows, problems = parse_groups(frame, file.name, store.regions(), year)
    else:
        rows, problems = parse_deadlines(frame, file.name, stored, year)
    problems = problems or _rights(viewer, kind, bool(round_row["published"]), file.name)
    if problems:
        raise ImportRejected(problems)
    preview = diff_rows(stored, rows, KEYS_OF[kind])
    return _prepared(TABLE_OF[kind], file, rows, preview, {"kind": kind, "round": year}, data)


def import_setup(db: Path | str, file: Path | str, kind: str, year: int, actor: str = "cli",
                 now: datetime | None = None) -> ImportResult:
    """Validate and load a setup file of a round (the command line's import)."""
    with Store(db, read_only=False) as store:
        prepared = prepare_setup(store, file, kind, year, FULL)
        apply(store, prepared, actor, now)
    return prepared.result
