"""Assembling what the scoring engine needs for one round from the store.

The bridge between the data layer (SQL, in db.py) and the pure scoring functions: it reads
frames, derives the data-driven metrics and hands the engine a RoundInputs. No Streamlit.
"""

from __future__ import annotations

import pandas as pd

from evalcore.access import FULL, Viewer
from evalcore.db import Store
from evalcore.metrics import compute_metrics
from evalcore.rubric import Rubric, load_rubric
from evalcore.scoring import RoundInputs
from evalcore.vocab import LEVELS


class RoundNotFound(LookupError):
    """The round does not exist (or is not visible to this viewer)."""


def round_rubric(store: Store, year: int, viewer: Viewer = FULL) -> Rubric:
    rounds = store.rounds(viewer).set_index("year")
    if year not in rounds.index:
        raise RoundNotFound(f"round {year} does not exist")
    return load_rubric(str(rounds.loc[year, "rubric_version"]))


def units_frame(regions: pd.DataFrame, communities: pd.DataFrame, year: int) -> pd.DataFrame:
    """Cities and counties with the households of their communities batched up to `year`."""
    parent = regions.set_index("code")["parent_code"]
    batch = communities[communities["batch_year"] <= year]
    county_hh = batch.groupby("county_code")["households"].sum()
    city_hh = county_hh.groupby(county_hh.index.map(parent)).sum()
    households = pd.concat([county_hh, city_hh])
    units = regions[regions["level"].isin(LEVELS)].copy()
    units = units.rename(columns={"code": "unit_code", "name": "unit_name"})
    units["households"] = units["unit_code"].map(households).fillna(0).astype(int)
    return units[["unit_code", "unit_name", "short_name", "level", "parent_code", "households"]]


def load_round_inputs(store: Store, year: int, viewer: Viewer = FULL) -> RoundInputs:
    """Everything one round is scored from that `viewer` may see, read from the store, with
    its code columns encoded once (RoundInputs.encoded) for the many scorings that follow.
    Units the policy does not let the viewer see in this round are not scored at all."""
    rubric = round_rubric(store, year, viewer)
    regions = store.regions()
    communities = store.community_metrics_rows(viewer)
    every, own = store.scope_of(year, viewer, "results")
    inputs = RoundInputs(
        year=year,
        rubric=rubric,
        units=units_frame(regions, communities, year).reset_index(drop=True),
        scores=store.score_points(year, viewer),
        metrics=compute_metrics(communities, store.targets(viewer), regions, year,
                                store.problem_metric_rows(year, viewer)),
        bonus_claims=store.bonus_claims(year, viewer),
        deductions=store.deductions(year, viewer)[["unit_code", "seq", "code", "points"]],
    )
    # A viewer who may see only its own units of this round has only those scored and ranked:
    # the points computed from data would otherwise rank every other unit's draft.
    return inputs.encoded() if every else inputs.restricted(own)
