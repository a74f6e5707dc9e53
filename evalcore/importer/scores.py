"""Importing one stage's scores for a round: one row per unit, one column per indicator."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, create_model

from evalcore.importer.headers import SCORE_ALIASES, header_hints
from evalcore.importer.problems import Problem, ProblemLog
from evalcore.importer.rows import check_columns, validate_rows
from evalcore.importer.units import resolve_unit, unit_lookup
from evalcore.messages import Message
from evalcore.rubric import Rubric

SHEET = "scores"  # the template's sheet (importer/template.py), read by name
ID_COLUMN = "unit_code"
SCORE_COLUMNS = ["round_year", "unit_code", "stage", "indicator_code", "points", "evaluator",
                 "note", "recorded_at"]
OPTIONAL = ["unit_name", "evaluator", "note"]
NOTE_SUFFIX = "_note"  # `<code>_note`: an optional column giving one indicator its own note


def note_columns(rubric: Rubric) -> list[str]:
    """The optional per-indicator note columns (the online form writes them; a file may)."""
    return [i.code + NOTE_SUFFIX for i in rubric.manual_indicators()]


def score_columns(rubric: Rubric) -> list[str]:
    """Template and import columns, in order."""
    return [ID_COLUMN, "unit_name", *(i.code for i in rubric.manual_indicators()),
            "evaluator", "note"]


def _row_model(rubric: Rubric) -> type[BaseModel]:
    """A pydantic model built from the rubric: each indicator 0..max, blank = not scored."""
    fields = {
        i.code: (Annotated[float | None, Field(ge=0, le=i.max, allow_inf_nan=False)], None)
        for i in rubric.manual_indicators()
    }
    return create_model(
        "ScoreRow",
        __config__=ConfigDict(extra="ignore"),
        unit_code=(str, ...),
        evaluator=(str | None, None),
        note=(str | None, None),
        **fields,
    )


def _explain_columns(frame: pd.DataFrame, rubric: Rubric) -> dict[str, Message]:
    """Why a column is not imported: derived indicators, and headers that name a template
    column another way (a Chinese name, an indicator's name)."""
    names = {n: i.code for i in rubric.manual_indicators() for n in (i.name_zh, i.name_en)}
    hints = header_hints(frame.columns, score_columns(rubric), SCORE_ALIASES | names)
    return hints | {i.code: Message("derived_indicator_column", {"code": i.code})
                    for i in rubric.indicators if i.is_derived}


def _name_disagrees(code: str, name: str, lookup: dict, names: pd.Series) -> Message | None:
    """A unit name (optional) naming another unit than the code does: which of them is meant
    is unknown, so the row is not taken for either (a free-text name naming none is fine)."""
    if not name:
        return None
    name_code, _ = resolve_unit(name, lookup)
    if name_code is None or name_code == code:
        return None
    return Message("unit_code_name_mismatch", {"code": code, "code_name": names[code],
                                               "name": name, "name_code": name_code})


def _resolve_units(frame, regions, file) -> tuple[pd.Series, list[Problem]]:
    lookup = unit_lookup(regions, ("city", "county"))
    names = regions.set_index("code")["name"]
    given = frame["unit_name"] if "unit_name" in frame.columns else pd.Series("", frame.index)
    codes, problems, seen = {}, ProblemLog(), {}
    for row_no, value in frame[ID_COLUMN].items():
        code, reason = resolve_unit(value, lookup)
        reason = reason or _name_disagrees(code, given[row_no], lookup, names)
        if reason:
            problems.add(Problem(file, reason, row=row_no, column=ID_COLUMN))
        elif code in seen:
            problems.add(Problem(file, Message("duplicate_unit_row", {
                "code": code, "other_row": seen[code]}), row=row_no, column=ID_COLUMN))
        else:
            seen[code] = row_no
        codes[row_no] = code
    return pd.Series(codes), problems.listed()


def _own_note(frame: pd.DataFrame, row_no, code: str) -> str | None:
    """An indicator's own note in the row (`<code>_note`), kept as typed; None if blank."""
    column = code + NOTE_SUFFIX
    text = frame.at[row_no, column] if column in frame.columns else ""
    return text if isinstance(text, str) and text.strip() else None


def parse_scores(
    frame: pd.DataFrame, file: str, rubric: Rubric, regions: pd.DataFrame, year: int, stage: str,
    recorded_at: datetime,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Long rows for the `scores` table (plus `source_row`, the spreadsheet row each came
    from, for messages), and every problem found (empty when clean)."""
    columns = [c.code for c in rubric.manual_indicators()]
    problems = check_columns(frame, [ID_COLUMN, *columns], OPTIONAL + note_columns(rubric),
                             file, _explain_columns(frame, rubric))
    if problems:
        return pd.DataFrame(), problems
    codes, problems = _resolve_units(frame, regions, file)
    models, row_problems = validate_rows(frame, _row_model(rubric), file)
    problems += row_problems
    records = [
        (year, codes[row_no], stage, c, getattr(m, c), m.evaluator,
         _own_note(frame, row_no, c) or m.note, recorded_at, row_no)
        for row_no, m in zip(frame.index, models, strict=True) if m is not None
        for c in columns if getattr(m, c) is not None
    ]
    long = pd.DataFrame(records, columns=[*SCORE_COLUMNS, "source_row"])
    if not problems and long.empty:
        problems.append(Problem(file, Message("no_scores")))
    return long, problems
