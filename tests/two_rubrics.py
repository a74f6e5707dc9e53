"""A demo database whose rounds use two rubrics: 2020–2022 zj-2020, the draft 2023 jx-2022.

A province may change its sheet from one year to the next; this copy is how the tests see
that. Round 2023 is re-keyed to the Jiangxi-style rubric: its scores are replaced by points
on jx-2022's hand-scored indicators (deterministic, `random.Random(SEED)`), at the stages each
unit had in the demo; its bonus claims go (jx-2022 has no bonus); its deductions (P1, 1–2
points) are P1 in jx-2022 too.
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd

from evalcore.db import Store
from evalcore.rubric import load_rubric

SEED = 42
JX_YEAR = 2023
JX = "jx-2022"


def jx_scores(stages_of: dict[str, list[str]], seed: int = SEED) -> pd.DataFrame:
    """unit_code, stage, indicator_code, points: every jx-2022 hand-scored indicator of each
    unit at each of its stages; a unit's level of work is drawn once, self-scores a little
    above the verified ones."""
    rubric, rng = load_rubric(JX), random.Random(seed)
    rows = []
    for unit in sorted(stages_of):
        level = rng.uniform(0.55, 0.97)
        for indicator in rubric.manual_indicators():
            verified = round(min(1.0, level * rng.uniform(0.9, 1.08)) * indicator.max, 1)
            for stage in stages_of[unit]:
                lift = rng.choice((0.0, 0.0, 0.5, 1.0)) if stage == "self" else 0.0
                rows.append((unit, stage, indicator.code, min(indicator.max, verified + lift)))
    return pd.DataFrame(rows, columns=["unit_code", "stage", "indicator_code", "points"])


def build_two_rubric_db(source: Path, target: Path) -> Path:
    """A copy of the demo database `source` at `target` with round 2023 on jx-2022."""
    shutil.copyfile(source, target)
    with Store(target, read_only=False) as store, store.writing() as cur:
        stages = cur.execute(
            "SELECT DISTINCT unit_code, stage FROM scores WHERE round_year = ? ORDER BY ALL",
            [JX_YEAR]).df()
        stages_of = stages.groupby("unit_code")["stage"].apply(list).to_dict()
        rows = jx_scores(stages_of).assign(round_year=JX_YEAR, evaluator="示例数据",
                                           note=None, recorded_at=datetime(2024, 3, 1))
        cur.execute("DELETE FROM scores WHERE round_year = ?", [JX_YEAR])
        cur.execute("DELETE FROM bonus_claims WHERE round_year = ?", [JX_YEAR])
        cur.register("jx_rows", rows)
        cur.execute("INSERT INTO scores BY NAME SELECT * FROM jx_rows")
        cur.execute("UPDATE rounds SET rubric_version = ? WHERE year = ?", [JX, JX_YEAR])
    return target
