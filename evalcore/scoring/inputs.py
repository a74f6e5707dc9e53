"""What the scoring engine needs for one round: plain DataFrames, loaded by the data layer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from evalcore.rubric import Rubric


@dataclass(frozen=True)
class RoundInputs:
    """Everything one round is scored from. No connection, no Streamlit: just frames.

    units:        unit_code, unit_name, short_name, level ('city'|'county'), parent_code,
                  households (households in renovated communities; weights the city roll-up)
    scores:       unit_code, stage, indicator_code, points   (hand-scored indicators only)
    metrics:      unit_code, metric, value                   (NaN where there is no data)
    bonus_claims: unit_code, stage, category_code, case_no, points_claimed, points_awarded
    deductions:   unit_code, seq, code, points               (veto items carry 0 points)
    """

    year: int
    rubric: Rubric
    units: pd.DataFrame
    scores: pd.DataFrame
    metrics: pd.DataFrame
    bonus_claims: pd.DataFrame
    deductions: pd.DataFrame

    # The same frames with their code columns as categoricals, for the engine only (encoded()).
    coded: RoundInputs | None = field(default=None, repr=False, compare=False)

    def encoded(self) -> RoundInputs:
        """The same round, carrying a twin whose code columns are pandas categoricals.

        Scoring looks every row's unit, stage, indicator and category up by position; with
        categoricals each distinct code is hashed once here instead of in every peer set and
        view. The engine scores from the twin (`for_engine`); the frames pages read stay
        plain strings, since categoricals behave differently outside the engine (comparisons
        between two categoricals, map, groupby)."""
        if self.coded is not None:
            return self
        twin = replace(self, **{name: _categorical(getattr(self, name), columns)
                                for name, columns in ENCODED_COLUMNS.items()})
        return replace(self, coded=twin)

    def restricted(self, unit_codes) -> RoundInputs:
        """The same round with only these units scored and ranked (a viewer who may see only
        some units of a draft round): the others' rows are dropped from every frame."""
        keep = set(unit_codes)
        if keep >= set(self.units["unit_code"]):
            return self
        frames = {name: getattr(self, name) for name in
                  ("units", "scores", "metrics", "bonus_claims", "deductions")}
        cut = {name: f.loc[f["unit_code"].astype(object).isin(keep)].reset_index(drop=True)
               for name, f in frames.items()}
        return replace(self, coded=None, **cut).encoded()

    @property
    def for_engine(self) -> RoundInputs:
        """The frames the engine reads: the encoded twin when there is one."""
        return self.coded if self.coded is not None else self


ENCODED_COLUMNS = {
    "scores": ("unit_code", "stage", "indicator_code"),
    "metrics": ("unit_code", "metric"),
    "bonus_claims": ("unit_code", "stage", "category_code"),
    "deductions": ("unit_code", "code"),
}


def _categorical(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    present = [c for c in columns
               if c in frame and not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not present:
        return frame
    return frame.assign(**{c: _encode(frame[c]) for c in present})


def _encode(column: pd.Series) -> pd.Categorical:
    # Object-dtype categories: looking them up in an object Index of unit codes is several
    # times faster than with Arrow-backed strings.
    codes, uniques = pd.factorize(column, sort=True)
    return pd.Categorical.from_codes(codes, pd.Index(np.asarray(uniques, dtype=object),
                                                     dtype=object))
