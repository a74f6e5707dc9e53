"""Row validation with pydantic, reported per spreadsheet row and column."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import BaseModel, ValidationError

from evalcore.importer.problems import Problem


def _reason(error: dict[str, Any]) -> str:
    """A short, plain reason for one pydantic error."""
    value = error.get("input")
    ctx = {k: (f"{v:g}" if isinstance(v, float) else v) for k, v in (error.get("ctx") or {}).items()}
    kind = error["type"]
    if kind in ("less_than_equal", "less_than"):
        return f"{value} is above the maximum {ctx.get('le', ctx.get('lt'))}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{value} is below the minimum {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("float_parsing", "int_parsing", "int_from_float", "finite_number"):
        return f"'{value}' is not a valid number"
    if kind == "missing":
        return "a value is required"
    return error["msg"].removeprefix("Value error, ")


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
                problems.append(Problem(file, _reason(e), row=int(row_no), column=column))
    return models, problems


def check_columns(
    frame: pd.DataFrame, required: list[str], optional: list[str], file: str, explain: dict
) -> list[Problem]:
    """Missing required columns and columns nobody asked for (with a hint where one helps)."""
    present = list(frame.columns)
    problems = [Problem(file, f"missing column '{c}'") for c in required if c not in present]
    known = set(required) | set(optional)
    problems += [
        Problem(file, explain.get(c, f"unknown column '{c}'"), column=c)
        for c in present if c not in known
    ]
    dupes = sorted({c for c in present if present.count(c) > 1})
    problems += [Problem(file, f"column '{c}' appears more than once", column=c) for c in dupes]
    return problems
