"""What the viewer may import, asked of the access policy (evalcore/access.py): the rows of
a stage's scores must all be units the policy lets the viewer write in that round's state.
The write itself asks again at the moment it is made (evalcore.actions)."""

from __future__ import annotations

import pandas as pd

from evalcore.access import Viewer, allows, scope
from evalcore.db import Store
from evalcore.importer.problems import Problem


def _role_problem(file: str, year: int, stage: str, published: bool, viewer: Viewer):
    resource = f"scores:{stage}"
    if scope(viewer, "write", resource, published) is not None:
        return None
    if not viewer.may_import:
        return f"the {viewer.role} role cannot import scores"
    if scope(viewer, "write", resource, not published) is not None:
        return f"round {year} is published; only an administrator can change it"
    stages = ", ".join(s for s in ("self", "cross", "third_party")
                       if scope(viewer, "write", f"scores:{s}", published) is not None)
    return f"the {viewer.role} role imports only the '{stages}' stage"


def rights_problems(
    store: Store, rows: pd.DataFrame, file: str, year: int, stage: str, published: bool,
    viewer: Viewer,
) -> list[Problem]:
    """Problems for everything in `rows` the viewer may not change (empty when allowed)."""
    reason = _role_problem(file, year, stage, published, viewer)
    if reason:
        return [Problem(file, reason)]
    if allows(viewer, "write", f"scores:{stage}", published, own=False):
        return []
    allowed = set(store.own_units(year, viewer))
    outside = rows[~rows["unit_code"].isin(allowed)].drop_duplicates("unit_code")
    return [
        Problem(file, f"unit {r.unit_code} is outside your rights in round {year}",
                row=int(r.source_row), column="unit_code")
        for r in outside.itertuples()
    ]
