"""Naming a unit the way people do: by code (330106), full name (西湖区) or short name (西湖)."""

from __future__ import annotations

import unicodedata

import pandas as pd

from evalcore.messages import Message


def unit_lookup(regions: pd.DataFrame, levels: tuple[str, ...]) -> dict[str, str | None]:
    """Every accepted spelling → code; None marks a spelling shared by two units (ambiguous)."""
    units = regions[regions["level"].isin(levels)]
    lookup: dict[str, str | None] = {}
    for row in units.itertuples():
        for key in {row.code, row.name, row.short_name}:
            lookup[key] = None if lookup.get(key, row.code) != row.code else row.code
    return lookup


def resolve_unit(
    value: str, lookup: dict[str, str | None]
) -> tuple[str | None, Message | None]:
    """(code, None) when the unit is known, else (None, why not)."""
    if value == "":
        return None, Message("unit_empty")
    if value not in lookup:  # full-width digits and blanks, as Chinese input methods type them
        value = unicodedata.normalize("NFKC", value).strip() or value
    if value not in lookup:
        return None, Message("unknown_unit", {"value": value})
    code = lookup[value]
    if code is None:
        return None, Message("ambiguous_unit", {"value": value})
    return code, None
