"""Who may import what: each role's rights over rounds, stages and units.

| role   | may import                                                           |
|--------|----------------------------------------------------------------------|
| admin  | any stage, any unit, any round (published ones included)             |
| unit   | its own self-evaluation, in draft rounds                             |
| group  | cross-inspection scores of the city it inspects (and its counties), in draft rounds |
| others | nothing                                                              |
"""

from __future__ import annotations

import pandas as pd

from evalcore.access import Viewer
from evalcore.db import Store
from evalcore.importer.problems import Problem

STAGE_OF_ROLE = {"unit": "self", "group": "cross"}


def _role_problem(file: str, year: int, stage: str, published: bool, viewer: Viewer):
    if viewer.may_manage:
        return None
    if viewer.role not in STAGE_OF_ROLE:
        return f"the {viewer.role} role cannot import scores"
    if stage != STAGE_OF_ROLE[viewer.role]:
        return f"the {viewer.role} role imports only the '{STAGE_OF_ROLE[viewer.role]}' stage"
    if published:
        return f"round {year} is published; only an administrator can change it"
    return None


def rights_problems(
    store: Store, rows: pd.DataFrame, file: str, year: int, stage: str, published: bool,
    viewer: Viewer,
) -> list[Problem]:
    """Problems for everything in `rows` the viewer may not change (empty when allowed)."""
    reason = _role_problem(file, year, stage, published, viewer)
    if reason:
        return [Problem(file, reason)]
    if viewer.may_manage:
        return []
    allowed = set(store.own_units(year, viewer))
    outside = rows[~rows["unit_code"].isin(allowed)].drop_duplicates("unit_code")
    return [
        Problem(file, f"unit {r.unit_code} is outside your rights in round {year}",
                row=int(r.source_row), column="unit_code")
        for r in outside.itertuples()
    ]
