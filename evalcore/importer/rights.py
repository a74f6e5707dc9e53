"""What the viewer may import, asked of the access policy (evalcore/access.py): the rows of
a stage's scores must all be units the policy lets the viewer write in that round's state.
The write itself asks again at the moment it is made (evalcore.actions)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from evalcore.access import Viewer, allows, importable_stages, scope
from evalcore.db import Store
from evalcore.importer.problems import Problem
from evalcore.messages import Label, Message
from evalcore.vocab import role_label_key


def _role_problem(year: int, stage: str, published: bool, viewer: Viewer) -> Message | None:
    resource = f"scores:{stage}"
    role = Label(role_label_key(viewer.role))
    if scope(viewer, "write", resource, published) is not None:
        return None
    if not viewer.may_import:
        return Message("rights_role_cannot_import", {"role": role})
    if scope(viewer, "write", resource, not published) is not None:
        return Message("rights_round_published", {"year": year})
    stages = [Label(s) for s in importable_stages(viewer)]
    return Message("rights_role_stage_only", {"role": role, "stage": stages})


def rights_problems(
    store: Store, rows: pd.DataFrame, file: str, year: int, stage: str, published: bool,
    viewer: Viewer,
) -> list[Problem]:
    """Problems for everything in `rows` the viewer may not change (empty when allowed)."""
    reason = _role_problem(year, stage, published, viewer)
    if reason:
        return [Problem(file, reason)]
    if allows(viewer, "write", f"scores:{stage}", published, own=False):
        return []
    allowed = set(store.own_units(year, viewer))
    outside = rows[~rows["unit_code"].isin(allowed)].drop_duplicates("unit_code")
    return [
        Problem(file, Message("rights_unit_outside", {"unit": r.unit_code, "year": year}),
                row=int(r.source_row), column="unit_code")
        for r in outside.itertuples()
    ]


def entry_problems(
    store: Store, rows: pd.DataFrame, file: str, year: int, stage: str, viewer: Viewer,
    now: datetime,
) -> list[Problem]:
    """Problems for units whose stage is submitted (locked) and for a stage outside its
    window (unless the viewer may override it): the rules of evalcore.actions_entry, told
    before the write, which checks them again."""
    from evalcore.actions_entry import entry_problems as reasons

    cur = store.cursor()
    try:
        found, _ = reasons(cur, viewer, year, stage, sorted(set(rows["unit_code"])),
                           now.date())
    finally:
        cur.close()
    return [Problem(file, message) for message in found]
