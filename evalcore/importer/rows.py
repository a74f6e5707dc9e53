"""Row validation with pydantic, reported per spreadsheet row and column.

Cells are text. Before validation, a cell of a number, date or choice column is read the way
people type it: full-width characters folded (１２．５ → 12.5, as Chinese input methods give
them), thousands separators dropped (1,234), and a date only as YYYY-MM-DD (never as a count of
seconds, which pydantic would accept). Text columns (names, notes) are kept as typed.
"""

from __future__ import annotations

import re
import types
import unicodedata
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pandas as pd
from pydantic import BaseModel, ValidationError

from evalcore.importer.problems import Problem, ProblemLog
from evalcore.messages import Message, placeholders

# pydantic error type -> message code. Types not listed read "not a valid value" (pydantic's
# own text is English); custom errors raised by our models use their code as their type.
ERROR_CODES: dict[str, str] = {
    "less_than_equal": "above_maximum", "less_than": "above_maximum",
    "greater_than_equal": "below_minimum", "greater_than": "below_minimum",
    "float_parsing": "not_a_number", "float_type": "not_a_number",
    "finite_number": "not_a_number",
    "int_parsing": "not_a_whole_number", "int_from_float": "not_a_whole_number",
    "int_type": "not_a_whole_number",
    "missing": "value_required",
    "date_parsing": "not_a_date", "date_from_datetime_parsing": "not_a_date",
    "date_from_datetime_inexact": "not_a_date", "date_type": "not_a_date",
    "bool_parsing": "not_a_yes_no", "bool_type": "not_a_yes_no",
    "literal_error": "not_one_of",
    "string_too_long": "text_too_long", "string_too_short": "text_too_short",
    "completion_without_start": "completion_without_start",
    "completion_before_start": "completion_before_start",
}


def _allowed(model: type[BaseModel], field: str | None) -> tuple:
    """The values a Literal field accepts, in declared order."""
    annotation = model.model_fields[field].annotation if field in model.model_fields else None
    return get_args(annotation) if get_origin(annotation) is Literal else ()


def _message(error: dict[str, Any], model: type[BaseModel], typed: object = None) -> Message:
    """The message for one pydantic error: its code and the values its text names (the value
    as typed in the file, when given, rather than as it was read)."""
    code = ERROR_CODES.get(error["type"], "invalid_value")
    ctx = error.get("ctx") or {}
    field = str(error["loc"][0]) if error["loc"] else None
    known = {
        "value": error.get("input") if typed is None else typed,
        "max": ctx.get("le", ctx.get("lt", ctx.get("max_length"))),
        "min": ctx.get("ge", ctx.get("gt", ctx.get("min_length"))),
        "allowed": _allowed(model, field),
    }
    return Message(code, {name: known[name] for name in placeholders(code)})


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _kinds(annotation: Any) -> set[type]:
    """The plain types an annotation admits (through Optional, unions and Annotated)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _kinds(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return {k for a in get_args(annotation) for k in _kinds(a)}
    if origin is Literal:
        return {Literal}
    return {annotation}


@cache
def field_kinds(model: type[BaseModel]) -> dict[str, str]:
    """'text' (kept as typed), 'number', 'date' or 'choice' for each field of a row model."""
    out = {}
    for name, info in model.model_fields.items():
        kinds = _kinds(info.annotation) - {type(None)}
        out[name] = ("date" if date in kinds else "number" if kinds & {int, float}
                     else "text" if str in kinds else "choice")
    return out


def read_cell(text: str, kind: str) -> object:
    """A cell's text as its column's kind reads it (see the module's docstring)."""
    if kind == "text":
        return text
    folded = unicodedata.normalize("NFKC", text).strip()
    if kind == "number" and _THOUSANDS.fullmatch(folded):
        return folded.replace(",", "")
    if kind == "date" and _ISO_DATE.fullmatch(folded):
        try:
            return date.fromisoformat(folded)
        except ValueError:
            return text
    return text if kind == "date" else folded


def validate_rows(
    frame: pd.DataFrame, model: type[BaseModel], file: str
) -> tuple[list[BaseModel | None], list[Problem]]:
    """Validate each row; an empty cell is a missing value (the default applies). The first
    problems are kept and the rest counted (problems.ProblemLog)."""
    models: list[BaseModel | None] = []
    problems = ProblemLog()
    kinds = field_kinds(model)
    columns = list(frame.columns)
    for row_no, values in zip(frame.index, frame.itertuples(index=False, name=None),
                              strict=True):
        row = dict(zip(columns, values, strict=True))
        data = {k: read_cell(v, kinds.get(k, "text")) for k, v in row.items() if v != ""}
        try:
            models.append(model.model_validate(data))
        except ValidationError as exc:
            models.append(None)
            for e in exc.errors():
                column = str(e["loc"][0]) if e["loc"] else None
                problems.add(Problem(file, _message(e, model, row.get(column)), row=int(row_no),
                                     column=column))
    return models, problems.listed()


def check_columns(
    frame: pd.DataFrame, required: list[str], optional: list[str], file: str,
    explain: dict[str, Message],
) -> list[Problem]:
    """Missing required columns and columns nobody asked for (with a hint where one helps)."""
    present = list(frame.columns)
    problems = [Problem(file, Message("missing_column", {"column": c}))
                for c in required if c not in present]
    known = set(required) | set(optional)
    problems += [
        Problem(file, explain.get(c, Message("unknown_column", {"column": c})), column=c)
        for c in present if c not in known
    ]
    dupes = sorted({c for c in present if present.count(c) > 1})
    problems += [Problem(file, Message("duplicate_column", {"column": c}), column=c)
                 for c in dupes]
    return problems
