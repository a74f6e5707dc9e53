"""Naming a unit the way people do: by code (330106), full name (西湖区) or short name (西湖)."""

from __future__ import annotations

import pandas as pd


def unit_lookup(regions: pd.DataFrame, levels: tuple[str, ...]) -> dict[str, str | None]:
    """Every accepted spelling → code; None marks a spelling shared by two units (ambiguous)."""
    units = regions[regions["level"].isin(levels)]
    lookup: dict[str, str | None] = {}
    for row in units.itertuples():
        for key in {row.code, row.name, row.short_name}:
            lookup[key] = None if lookup.get(key, row.code) != row.code else row.code
    return lookup


def resolve_unit(value: str, lookup: dict[str, str | None]) -> tuple[str | None, str | None]:
    """(code, None) when the unit is known, else (None, reason)."""
    if value == "":
        return None, "the unit is empty"
    if value not in lookup:
        return None, f"unknown unit '{value}' (give a code, full name or short name)"
    code = lookup[value]
    if code is None:
        return None, f"'{value}' names more than one unit; give its code"
    return code, None
