"""Scoring engine: pure functions over DataFrames; no Streamlit, no I/O.

Public API (everything takes RoundInputs and a peer set: level 'city' | 'county', optionally
`within=city_code` for the counties of one city):

- leaderboard(inputs, level, stage='final', within=None, previous=None, city_method=None)
- leaderboards(inputs, stage='final', city_method=None): both levels, every unit scored once
- indicator_table(inputs, level, within=None): stage points side by side, final, verified
- bonus_report / deduction_report / credibility_report: drill-downs
- benchmark_report(inputs, unit_code, level, within=None, top=5): 比学赶超
- what_if(inputs, weights, level, within=None): re-score with new dimension weights
- rank_uncertainty(inputs | ScoreParts, level, draws, seed, sigma, stage_sigma, within=None)
- city_rollup(inputs, stage='final'): household-weighted county → city scores
The verb modules (reconcile, derive, bonus, penalties, totals, …) hold the rules.
"""

from evalcore.scoring.common import ScoringError
from evalcore.scoring.inputs import RoundInputs
from evalcore.scoring.leaderboard import (
    RoundScore,
    build_board,
    city_rollup,
    indicator_table,
    leaderboard,
    leaderboards,
    score_round,
)
from evalcore.scoring.reports import (
    Benchmark,
    benchmark_report,
    bonus_report,
    credibility_report,
    deduction_report,
    rank_uncertainty,
    score_parts,
    what_if,
)
from evalcore.scoring.sensitivity import ScoreParts

__all__ = [
    "Benchmark",
    "RoundInputs",
    "RoundScore",
    "ScoreParts",
    "ScoringError",
    "benchmark_report",
    "bonus_report",
    "build_board",
    "city_rollup",
    "credibility_report",
    "deduction_report",
    "indicator_table",
    "leaderboard",
    "leaderboards",
    "rank_uncertainty",
    "score_parts",
    "score_round",
    "what_if",
]
