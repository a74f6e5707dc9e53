"""Who may see what: the access policy, applied by the data layer where data is loaded.

Hiding a button is not access control: every loader takes a Viewer and returns only what
that viewer may see, so no page, URL parameter or download can reach more.

| role   | rounds              | draft data                     | notes, internal stage detail |
|--------|---------------------|--------------------------------|------------------------------|
| public | published only      | none                           | no                           |
| unit   | published + drafts  | its own unit only              | its own unit only            |
| group  | published + drafts  | the city it inspects (+ counties) | that city only            |
| leader | all                 | all                            | yes                          |
| admin  | all                 | all                            | yes                          |

Progress data follow the same rule: the public sees communities and targets of batch years
whose round is published.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ROLES = ("public", "unit", "group", "leader", "admin")


@dataclass(frozen=True)
class Viewer:
    role: str = "public"
    unit_code: str | None = None  # role 'unit'
    group_city_code: str | None = None  # role 'group': the city leading the group

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")

    @property
    def key(self) -> str:
        """A short text identity, used to key caches so viewers never share cached data."""
        return ":".join(p for p in (self.role, self.unit_code or self.group_city_code) if p)

    @classmethod
    def from_key(cls, key: str) -> Viewer:
        role, _, code = key.partition(":")
        if role == "unit":
            return cls(role, unit_code=code or None)
        if role == "group":
            return cls(role, group_city_code=code or None)
        return cls(role)

    @property
    def sees_everything(self) -> bool:
        return self.role in ("leader", "admin")

    @property
    def sees_any_draft(self) -> bool:
        return self.role != "public"

    @property
    def may_manage(self) -> bool:
        return self.role == "admin"


PUBLIC = Viewer()
FULL = Viewer("admin")


STAGE_DETAIL = ("self", "cross", "third_party")


def mask_internal(table: pd.DataFrame, internal: set[str], own: list[str], full: bool):
    """Blank the per-stage points of indicators the rubric marks internal in an indicator
    table (one row per unit and indicator), except for full viewers and the unit's own users.

    Scoring itself runs on the complete stage data, so totals are the official ones; only the
    stage-by-stage detail is withheld.
    """
    if full or not internal:
        return table
    hidden = table["indicator_code"].isin(internal) & ~table["unit_code"].isin(own)
    out = table.copy()
    for column in STAGE_DETAIL:
        if column in out.columns:
            out[column] = out[column].astype(float).where(~hidden)
    return out
