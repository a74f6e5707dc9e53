"""Row validation with pydantic, reported per spreadsheet row and column."""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

import pandas as pd
from pydantic import BaseModel, ValidationError

from evalcore.importer.problems import Problem
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


def _message(error: dict[str, Any], model: type[BaseModel]) -> Message:
    """The message for one pydantic error: its code and the values its text names."""
    code = ERROR_CODES.get(error["type"], "invalid_value")
    ctx = error.get("ctx") or {}
    field = str(error["loc"][0]) if error["loc"] else None
    known = {
        "value": error.get("input"),
        "max": ctx.get("le", ctx.get("lt", ctx.get("max_length"))),
        "min": ctx.get("ge", ctx.get("gt", ctx.get("min_length"))),
        "allowed": _allowed(model, field),
    }
    return Message(code, {name: known[name] for name in placeholders(code)})


def validate_rows(
    frame: pd.DataFrame, model: type[BaseModel], file: str
) -> tuple[list[BaseModel | None], list[Problem]]:
    """Validate each row; an empty cell is a missing value (the default applies)."""
    models: list[BaseModel | None] = []
    problems: list[Problem] = []
    for row_no, row in frame.iterrows():
        data = {k: v for k, v in row.items() if v != ""}
        try:
            models.append(model.model_validate(data))
        except ValidationError as exc:
            models.append(None)
            for e in exc.errors():
                column = str(e["loc"][0]) if e["loc"] else None
                problems.append(Problem(file, _message(e, model), row=int(row_no),
                                        column=column))
    return models, problems


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
