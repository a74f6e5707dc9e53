"""Importing problems found (整改) in bulk from CSV or XLSX: `--kind problems --round YEAR`.

The same path as scores: the file is read (importer.reading), each row validated with pydantic
(problems name the file, row and column), then each row by the rules of
evalcore/rectification.py (the unit a city or county, the community one of the unit's, the
indicator one of the round's rubric, a description, a deadline within the round's year and
the few after it), then the viewer's right to record problems for each unit. A file with any
problem is refused whole. Nothing is written here: evalcore.actions_problems.record_rows
writes every row in one transaction (ids allocated there), audited as "record-problem".

The template (importer/problem_template.py) is the file's header with a guide; the problems stored
are exported as the problems page's tables (CSV/XLSX through evalcore.exports) and by
`python -m evalcore template --kind problems --round YEAR --out FILE` (the stored problems of
the round in the import's columns, for review, with their ids and states beside them).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from evalcore import rectification
from evalcore.access import FULL, Viewer, allows
from evalcore.actions_problems import new_rows
from evalcore.db import Store
from evalcore.importer import ImportResult, Prepared, _prepared, _round
from evalcore.importer.problems import ImportRejected, Problem
from evalcore.importer.reading import read_table
from evalcore.importer.rows import check_columns, validate_rows
from evalcore.importer.units import resolve_unit, unit_lookup
from evalcore.labels import t
from evalcore.messages import Message
from evalcore.rounds import round_rubric
from evalcore.vocab import LEVELS, PROBLEM_SEVERITIES

KIND = "problems"
SHEET = "problems"
REQUIRED = ["unit_code", "description", "severity", "deadline"]
OPTIONAL = ["unit_name", "community_id", "indicator_code"]
TEMPLATE_COLUMNS = ["unit_code", "unit_name", "community_id", "indicator_code", "description",
                    "severity", "deadline"]
EXPORT_COLUMNS = [*TEMPLATE_COLUMNS, "id", "status", "found_stage", "found_by", "answer",
                  "review_note"]
# Which column a rule's message is about.
COLUMN_OF = {"unknown_unit": "unit_code", "problem_unknown_community": "community_id",
             "problem_unknown_indicator": "indicator_code", "problem_text_empty": "description",
             "problem_text_too_long": "description", "not_one_of": "severity",
             "problem_deadline_missing": "deadline",
             "problem_deadline_out_of_range": "deadline"}


class ProblemRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    unit_code: str
    community_id: str | None = Field(default=None, max_length=64)
    indicator_code: str | None = Field(default=None, max_length=16)
    description: str = Field(max_length=rectification.MAX_TEXT)
    severity: Literal["minor", "major", "serious"]
    deadline: date


def _severity_code(value: str) -> str:
    """A severity as its code (major) or its label in either language (较重)."""
    by_label = {t(f"problem_severity_{s}", lang): s for s in PROBLEM_SEVERITIES
                for lang in ("zh", "en")}
    return by_label.get(value.strip(), value.strip())


def parse_problems(frame: pd.DataFrame, file: str, store: Store, year: int,
                   now: datetime) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows of `problems` (ids, finder set when written) and every problem found."""
    regions = store.regions()
    lookup = unit_lookup(regions, LEVELS)
    frame = frame.assign(severity=frame["severity"].map(_severity_code))
    models, problems = validate_rows(frame, ProblemRow, file)
    units = set(regions.loc[regions["level"].isin(LEVELS), "code"])
    places = rectification.community_units(store.community_rows()[["id", "county_code"]],
                                           regions)
    indicators = {i.code for i in round_rubric(store, year).indicators}
    fields = []
    for row_no, model in zip(frame.index, models, strict=True):
        code, reason = resolve_unit(frame.at[row_no, "unit_code"], lookup)
        if reason is not None:
            problems.append(Problem(file, reason, row=int(row_no), column="unit_code"))
            continue
        if model is None:  # its fields' problems are listed; say where it points too
            raw = {c: frame.at[row_no, c] if c in frame.columns else "" for c in
                   ("community_id", "indicator_code")}
            for message in rectification.place_problems(
                    code, raw["community_id"] or None, raw["indicator_code"] or None, units,
                    places, indicators):
                problems.append(Problem(file, message, row=int(row_no),
                                        column=COLUMN_OF.get(message.code)))
            continue
        for message in rectification.record_problems(
                code, model.community_id, model.indicator_code, model.description,
                model.severity, model.deadline, year, units, places, indicators):
            problems.append(Problem(file, message, row=int(row_no),
                                    column=COLUMN_OF.get(message.code)))
        fields.append({"unit_code": code, "community_id": model.community_id,
                       "indicator_code": model.indicator_code,
                       "description": model.description, "severity": model.severity,
                       "deadline": model.deadline, "source_row": int(row_no)})
    problems.sort(key=lambda p: (p.row or 0, TEMPLATE_COLUMNS.index(p.column)
                                 if p.column in TEMPLATE_COLUMNS else 0))
    found = pd.DataFrame(fields, columns=[*REQUIRED, "community_id", "indicator_code",
                                          "source_row"])
    return new_rows(year, found, now).assign(source_row=found["source_row"]), problems


def _rights(store: Store, rows: pd.DataFrame, file: str, year: int, published: bool,
            viewer: Viewer) -> list[Problem]:
    own = set(store.own_units(year, viewer))
    names = regions_names(store)
    return [Problem(file, Message("problem_not_inspected", {"unit": names.get(u, u),
                                                             "year": year}),
                    row=int(r), column="unit_code")
            for u, r in zip(rows["unit_code"], rows["source_row"], strict=True)
            if not allows(viewer, "write", "problems:record", published, u in own)]


def regions_names(store: Store) -> dict[str, str]:
    regions = store.regions()
    return {c: f"{n} ({c})" for c, n in zip(regions["code"], regions["name"], strict=True)}


def prepare_problems(store: Store, file: Path | str, year: int, viewer: Viewer = FULL,
                     now: datetime | None = None, data: bytes | None = None) -> Prepared:
    """Validate a file of problems for a round; raise ImportRejected listing every problem.
    Nothing is written. `data`: the file's bytes when held in memory (an upload)."""
    file, now = Path(file), now or datetime.now()
    frame = read_table(file, data, SHEET)
    round_row = _round(store, year, file.name)
    problems = check_columns(frame, REQUIRED, OPTIONAL, file.name, {})
    if problems:
        raise ImportRejected(problems)
    rows, problems = parse_problems(frame, file.name, store, year, now)
    problems = problems or _rights(store, rows, file.name, year, bool(round_row["published"]),
                                   viewer)
    if problems:
        raise ImportRejected(problems)
    rows = rows.drop(columns="source_row")
    preview = rows.assign(change="new")  # every row is a new problem
    return _prepared("problems", file, rows, preview, {"kind": KIND, "round": year}, data)


def import_problems(db: Path | str, file: Path | str, year: int, actor: str = "cli",
                    now: datetime | None = None) -> ImportResult:
    """Validate and record problems of a round (the command line's import, as `actor`)."""
    from evalcore import actions
    from evalcore.actions_problems import record_rows

    with Store(db, read_only=False) as store:
        prepared = prepare_problems(store, file, year, FULL, now)
        record_rows(store, actions.CLI, year, prepared.rows, prepared.detail, now, label=actor)
    return prepared.result
