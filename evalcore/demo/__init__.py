"""Build the demo database: real geography, synthetic (clearly labelled) communities and scores.

Deterministic: the same seed gives the same content, row for row. The file is built beside
the target and moved into place at the end, so a failed build never leaves half a database.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import numpy as np

from evalcore import geography
from evalcore.db import Store
from evalcore.demo import evaluation as ev
from evalcore.demo import status as demo_status
from evalcore.demo import workflow
from evalcore.demo.communities import generate_communities
from evalcore.demo.figures import (
    AS_OF,
    DEMO_NOTE_EN,
    DEMO_NOTE_ZH,
    RUBRIC_VERSION,
    STATUS_AS_OF,
)
from evalcore.rubric import load_rubric

DEFAULT_SEED = 20210127  # the day MOHURD published Zhejiang's evaluation method
GENERATOR_VERSION = "2"  # 2: the round workflow (issue 11), funding-consistent bonus


def _frames(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    rubric = load_rubric(RUBRIC_VERSION)
    regions = geography.load_regions()
    quality = ev.unit_quality(regions, rng)
    inflation = ev.inflaters(quality, rng)
    communities = generate_communities(regions, quality, rng)
    groups = ev.generate_groups(regions)
    scores = ev.generate_scores(rubric, regions, quality, inflation, groups, rng)
    # The workflow draws from a generator of its own: the draws above stay as they were.
    flow = workflow.workflow_rng(seed)
    counties = sorted(regions.loc[regions["level"] == "county", "code"])
    adopted = workflow.adoption_years(quality, counties, flow)
    communities = workflow.apply_mechanisms(communities, adopted, flow)
    return {
        "regions": regions,
        "communities": communities,
        "targets": ev.generate_targets(regions),
        "rounds": ev.generate_rounds(),
        "inspection_groups": groups,
        "round_stages": workflow.generate_round_stages(),
        "scores": scores,
        "bonus_claims": workflow.generate_bonus(rubric, regions, quality, communities, groups,
                                                adopted, flow),
        "deductions": workflow.generate_deductions(quality, flow),
        "stage_submissions": demo_status.generate_submissions(scores, groups, regions, flow),
        "problems": demo_status.generate_problems(quality, communities, groups, regions, flow),
    }


def _meta(seed: int) -> dict[str, str]:
    return {
        "dataset": "demo",
        "seed": str(seed),
        "generator_version": GENERATOR_VERSION,
        "as_of": AS_OF.isoformat(),
        "status_as_of": STATUS_AS_OF.isoformat(),
        "note_zh": DEMO_NOTE_ZH,
        "note_en": DEMO_NOTE_EN,
    }


def build_demo(path: Path | str, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write a fresh demo database at `path`; return the row count per table."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    frames = _frames(seed)
    at = datetime(AS_OF.year, AS_OF.month, AS_OF.day)
    with Store(tmp, read_only=False) as store:
        store.initialise(at=at)
        store.load_tables(frames, meta=_meta(seed), action="build-demo",
                          detail={"seed": seed, "rows": {t: len(f) for t, f in frames.items()}},
                          at=at, actor="demo-generator")
        counts = store.table_counts()
        store.checkpoint()
    os.replace(tmp, path)
    return counts
