"""Importing communities: typed rows, units by any name, coordinates converted and checked."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator
from pydantic_core import PydanticCustomError

from evalcore import geography
from evalcore.coords import to_wgs84
from evalcore.importer.headers import COMMUNITY_ALIASES, header_hints
from evalcore.importer.problems import Problem, ProblemLog
from evalcore.importer.rows import check_columns, validate_rows
from evalcore.importer.units import resolve_unit, unit_lookup
from evalcore.messages import Message
from evalcore.schema import FUNDING_SOURCES, ITEM_CATEGORIES

SHEET = "communities"  # the sheet read from a workbook with several visible ones
REQUIRED = ["id", "name", "county", "lon", "lat", "batch_year", "status", "households",
            "planned_investment_wan"]
NonNeg = Field(default=0, ge=0, allow_inf_nan=False)


class _CommunityBase(BaseModel):
    """One community as imported; field names are the `communities` columns (docs/schema.md)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    county: str
    lon: float = Field(ge=73, le=136)
    lat: float = Field(ge=3, le=54)
    batch_year: int = Field(ge=2000, le=2100)
    status: Literal["planned", "started", "completed", "accepted"]
    households: int = Field(ge=0)
    planned_investment_wan: float = Field(ge=0, allow_inf_nan=False)
    completed_investment_wan: float = NonNeg
    built_year: int | None = Field(default=None, ge=1949, le=2030)
    buildings: int | None = Field(default=None, ge=0)
    floor_area_m2: float | None = Field(default=None, ge=0)
    # strict: only a date (rows.read_cell reads YYYY-MM-DD), never a count of seconds
    start_date: date | None = Field(default=None, strict=True)
    completion_date: date | None = Field(default=None, strict=True)
    lifts_added: int = Field(default=0, ge=0)
    property_management: Literal["professional", "quasi", "none"] = "none"
    maintenance_fund: bool = False
    satisfaction: float | None = Field(default=None, ge=0, le=1)

    @field_validator("completion_date")
    @classmethod
    def _after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        """Reported on completion_date; a start_date that failed is reported on its own."""
        if value is None or "start_date" not in info.data:
            return value
        start = info.data["start_date"]
        if start is None:  # the type is the message code (evalcore.messages)
            raise PydanticCustomError("completion_without_start", "no start_date")
        if value < start:
            raise PydanticCustomError("completion_before_start", "before start_date")
        return value


# Funding by source and items by category share one rule: optional, non-negative, 0 if blank.
CommunityRow = create_model(
    "CommunityRow",
    __base__=_CommunityBase,
    **{f"fund_{s}_wan": (float, NonNeg) for s in FUNDING_SOURCES},
    **{f"items_{c}": (int, Field(default=0, ge=0)) for c in ITEM_CATEGORIES},
)
OPTIONAL = [c for c in CommunityRow.model_fields if c not in REQUIRED]


def _place(m: BaseModel, code: str, crs: str, names: pd.Series) -> tuple[tuple, Message | None]:
    lon, lat = to_wgs84(m.lon, m.lat, crs)
    if geography.contains(code, lon, lat):
        return (lon, lat), None
    found = geography.locate_county(lon, lat)
    point = {"lon": m.lon, "lat": m.lat, "unit": names[code]}
    if found:
        return (lon, lat), Message("point_in_other_unit", {**point, "found": names[found]})
    return (lon, lat), Message("point_outside_province", point)


def parse_communities(
    frame: pd.DataFrame, file: str, regions: pd.DataFrame, crs: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Rows for the `communities` table, converted to WGS84, and every problem found."""
    hints = header_hints(frame.columns, REQUIRED + OPTIONAL, COMMUNITY_ALIASES)
    problems = check_columns(frame, REQUIRED, OPTIONAL, file, hints)
    if problems:
        return pd.DataFrame(), problems
    models, found = validate_rows(frame, CommunityRow, file)
    problems = ProblemLog()
    problems.extend(found)
    lookup = unit_lookup(regions, ("county",))
    names = regions.set_index("code")["name"]
    records, seen = [], {}
    for row_no, m in zip(frame.index, models, strict=True):
        if m is None:
            continue
        code, reason = resolve_unit(m.county, lookup)
        if reason:
            problems.add(Problem(file, reason, row=row_no, column="county"))
            continue
        if m.id in seen:
            problems.add(Problem(file, Message("duplicate_id", {"id": m.id,
                                                                "other_row": seen[m.id]}),
                                 row=row_no, column="id"))
        seen.setdefault(m.id, row_no)
        (lon, lat), reason = _place(m, code, crs, names)
        if reason:
            problems.add(Problem(file, reason, row=row_no, column="lon/lat"))
        record = m.model_dump(exclude={"county"}) | {"county_code": code, "lon": lon, "lat": lat}
        records.append(record)
    return pd.DataFrame(records), problems.listed()
