"""What the scoring engine needs for one round: plain DataFrames, loaded by the data layer."""

from __future__ import annotations

from dataclasses import dataclass

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
