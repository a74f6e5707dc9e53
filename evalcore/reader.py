"""What one viewer may read of one database, already masked: the loaders pages use.

`Reader(store, viewer)` answers every question a page asks (boards, drill-downs, profiles,
progress) with data the access policy (evalcore/access.py) lets that viewer see, so no page
can leak by forgetting a helper. It holds the business rules the pages rely on (the previous
round, masking of internal stage detail, the unit profile). No Streamlit: the bridge
(evalcore.ui) caches each method by subclassing this class, and tests use it directly.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from evalcore import evidence as evidence_files
from evalcore import round_status as status
from evalcore import scoring
from evalcore.access import Viewer, mask_internal
from evalcore.db import Store
from evalcore.rounds import load_round_inputs
from evalcore.rubric import Rubric, load_rubric
from evalcore.scoring.credibility import credibility_summary
from evalcore.views import progress as progress_view
from evalcore.views.profile import STAGE_VIEWS, assemble
from evalcore.vocab import STAGES

# Board columns that sum a stage's points: with an internal indicator in the sum, these are
# withheld wherever the indicator's stage detail is (access policy, stage_detail_internal).
STAGE_AGGREGATES = ("base", "total", "rank", "grade", "grade_name_zh", "grade_name_en",
                    "rank_change", "total_change")
HISTORY_COLUMNS = ["unit_code", "rank", "total", "grade", "grade_name_zh", "grade_name_en"]


def previous_round(years: set[int], year: int) -> int | None:
    """The round a round is compared with: the year before, when the viewer can see it."""
    return year - 1 if year - 1 in years else None


def mark_comparability(board: pd.DataFrame, rubric: str, previous: str | None) -> pd.DataFrame:
    """The board with `previous_rubric` (the rubric version of the round its changes are
    against; None without one) and `change_comparable` (that round used the same rubric).
    A change against another rubric's round is still computed, but its totals are points of
    different sheets: displays mark it "different rubric"."""
    return board.assign(previous_rubric=previous,
                        change_comparable=previous is not None and previous == rubric)


class Reader:
    """The loaders of one viewer on one store (each method returns a new or cached frame)."""

    def __init__(self, store: Store, viewer: Viewer) -> None:
        self.store = store
        self.viewer = viewer

    # -- plain tables ---------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return self.store.meta()

    def rounds(self) -> pd.DataFrame:
        return self.store.rounds(self.viewer)

    def regions(self) -> pd.DataFrame:
        return self.store.regions()

    def communities(self) -> pd.DataFrame:
        return self.store.communities(self.viewer)

    def targets(self) -> pd.DataFrame:
        return self.store.targets(self.viewer)

    def inspection_groups(self, year: int) -> pd.DataFrame:
        """group_no, leader_city_code, inspected_city_code of one round's cross inspection."""
        return self.store.inspection_groups(year, self.viewer)

    def deduction_reasons(self, year: int) -> pd.DataFrame:
        """unit_code, seq, code, points, reason: recorded deductions with their reasons."""
        return self.store.deductions(year, self.viewer)

    def bonus_cases(self, year: int) -> pd.DataFrame:
        """The round's bonus cases, one row per case and stage (Store.bonus_claims)."""
        return self.store.bonus_claims(year, self.viewer)

    def problems(self, year: int) -> pd.DataFrame:
        """Problems found in the round and their rectification status (unit_code, description,
        status, ...) the viewer may read (access policy: `problems`)."""
        return self.store.problems(year, self.viewer)

    # -- scoring ---------------------------------------------------------------------------

    def round_inputs(self, year: int) -> scoring.RoundInputs:
        return load_round_inputs(self.store, year, self.viewer)

    def _internal_hidden(self, year: int, rubric) -> tuple[set[str], bool, list[str]]:
        """(internal indicator codes, may see every unit's, own units it may see)."""
        internal = {i.code for i in rubric.indicators if i.internal}
        every, own = self.store.scope_of(year, self.viewer, "stage_detail_internal")
        return internal, every, own

    def board(self, year: int, level: str, stage: str, within: str | None) -> pd.DataFrame:
        """The leaderboard, with change against the previous round where there is one.

        At a stage view, the aggregates that include an internal indicator are blanked for
        units whose internal stage detail the viewer may not see."""
        inputs = self.round_inputs(year)
        before = previous_round(set(self.rounds()["year"]), year)
        previous, previous_rubric = None, None
        if before is not None:
            earlier = self.round_inputs(before).restricted(inputs.units["unit_code"])
            previous = scoring.leaderboard(earlier, level, stage, within)
            previous_rubric = earlier.rubric.id
        board = scoring.leaderboard(inputs, level, stage, within, previous=previous)
        board = mark_comparability(board, inputs.rubric.id, previous_rubric)
        if stage == "final":
            return board
        internal, every, own = self._internal_hidden(year, inputs.rubric)
        return mask_stage_board(board, inputs.rubric, internal, every, own)

    def uncertainty(self, year: int, level: str, within: str | None) -> pd.DataFrame:
        return scoring.rank_uncertainty(self.round_inputs(year), level, draws=1000, seed=42,
                                        within=within)

    def indicator_table(self, year: int, level: str, within: str | None) -> pd.DataFrame:
        inputs = self.round_inputs(year)
        internal, every, own = self._internal_hidden(year, inputs.rubric)
        return mask_internal(scoring.indicator_table(inputs, level, within), internal, own,
                             every)

    def bonus_report(self, year: int, level: str, within: str | None,
                     stage: str) -> pd.DataFrame:
        return scoring.bonus_report(self.round_inputs(year), level, within, stage)

    def deduction_report(self, year: int, level: str, within: str | None) -> pd.DataFrame:
        return scoring.deduction_report(self.round_inputs(year), level, within)

    def credibility(self, year: int, level: str, within: str | None):
        """(inflation table, per-unit summary): internal indicators' self-scores and their
        inflation withheld where their stage detail is; the summary is then built from the
        rows the viewer sees, so it cannot be subtracted either."""
        inputs = self.round_inputs(year)
        inflation, summary = scoring.credibility_report(inputs, level, within)
        internal, every, own = self._internal_hidden(year, inputs.rubric)
        if every or not internal:
            return inflation, summary
        hidden = inflation["indicator_code"].isin(internal) & ~inflation["unit_code"].isin(own)
        shown = inflation.loc[~hidden].reset_index(drop=True)
        return shown, credibility_summary(shown, summary["unit_code"])

    def benchmark(self, year: int, level: str, within: str | None, unit: str):
        return scoring.benchmark_report(self.round_inputs(year), unit, level, within)

    def what_if(self, year: int, level: str, within: str | None,
                weights: tuple[tuple[str, float], ...]) -> pd.DataFrame:
        """Weights as a tuple of (dimension, weight) pairs: hashable and cheap to key on."""
        return scoring.what_if(self.round_inputs(year), dict(weights), level, within)

    def rank_history(self, level: str, stage: str, within: str | None) -> pd.DataFrame:
        """unit_code, year, rank, total, grade, grade_name_zh, grade_name_en, rubric_version
        for every round the viewer sees: each row carries its own round's grade names and
        rubric, since rounds may be scored with different rubrics."""
        rounds = self.rounds()
        frames = [
            self.board(int(y), level, stage, within)[HISTORY_COLUMNS]
            .assign(year=int(y), rubric_version=str(version))
            for y, version in zip(rounds["year"], rounds["rubric_version"], strict=True)
        ]
        return pd.concat(frames, ignore_index=True)

    # -- profile ---------------------------------------------------------------------------

    def profile_data(self, year: int, code: str):
        """One unit's profile (views.profile.ProfileData), cut from the peer frames; None when
        the unit is not on the viewer's board of that round (another unit's draft)."""
        all_regions = self.regions()
        row = all_regions.set_index("code").loc[code]
        level = str(row["level"])
        peers = {s: self.board(year, level, s, None) for s in STAGE_VIEWS}
        if code not in set(peers["final"]["unit_code"]):
            return None
        city = (self.board(year, level, "final", row["parent_code"])
                if level == "county" else None)
        frames = {
            "indicators": self.indicator_table(year, level, None),
            "bonus": self.bonus_report(year, level, None, "final"),
            "claims": self.round_inputs(year).bonus_claims,
            "deductions": self.deduction_report(year, level, None),
            "reasons": self.deduction_reasons(year),
            "history": self.rank_history(level, "final", None),
            "communities": self.communities(),
        }
        rubric = self.round_inputs(year).rubric
        return assemble(code, year, rubric, all_regions, peers, frames, city,
                        rubrics=self.rubrics())

    def rubrics(self) -> dict[str, Rubric]:
        """version → rubric of every round the viewer sees."""
        return {str(v): load_rubric(str(v)) for v in self.rounds()["rubric_version"].unique()}

    def status_as_of(self, code: str) -> str:
        """The day the statuses of a unit's communities are shown as at: the data's own date
        where the viewer sees their current status, else the last published year's end."""
        counties = self.regions().query("code == @code or parent_code == @code")
        county = str(counties.loc[counties["level"] == "county", "code"].iloc[0])
        if self.store.sees_current_status(self.viewer, county):
            return self.store.meta().get("as_of", "–")
        last = self.store.last_public_year()
        return date(last, 12, 31).isoformat() if last else "–"

    # -- round status (issue 11) -------------------------------------------------------------

    def round_status(self, year: int, level: str) -> status.RoundStatus:
        """Where round `year` stands for the units of `level` whose submissions the viewer may
        read (evalcore/round_status.py); no units where the policy grants none."""
        every, own = self.store.scope_of(year, self.viewer, "submissions")
        regions = self.regions()
        units = regions[(regions["level"] == level) & (every or regions["code"].isin(own))]
        units = units.rename(columns={"code": "unit_code", "name": "unit_name"})
        as_of = status.status_date(self.meta())
        if units.empty:
            return status.nothing(year, as_of)
        store, viewer = self.store, self.viewer
        rows = {"submissions": store.stage_submissions(year, viewer),
                "entered": store.entered_scores(year, viewer),
                "bonus": store.bonus_review_state(year, viewer),
                "problems": store.problem_counts(year, as_of, viewer),
                "overdue_problems": store.overdue_problems(year, as_of, viewer),
                "deadlines": store.stage_deadlines(year, viewer)}
        return status.assemble(year, as_of, units[["unit_code", "unit_name", "parent_code"]]
                               .reset_index(drop=True), self.round_inputs(year).rubric, rows,
                               self.board(year, level, "final", None),
                               self.indicator_table(year, level, None))

    # -- progress --------------------------------------------------------------------------

    def progress(self, year: int, cumulative: bool = False) -> pd.DataFrame:
        """Progress per region for a round year (views.progress.unit_progress)."""
        return progress_view.unit_progress(self.communities(), self.targets(), self.regions(), year,
                             cumulative)

    def progress_trend(self) -> pd.DataFrame:
        """The province's progress in every plan year up to the latest round the viewer sees."""
        latest = int(self.rounds()["year"].max())
        targets = self.targets()
        years = [int(y) for y in sorted(targets["year"].unique()) if y <= latest]
        return progress_view.trend(self.communities(), targets, self.regions(), years)

    def community_points(self, year: int, lang: str) -> pd.DataFrame:
        """Started communities of the plans up to `year`, with status colour and tooltip."""
        return progress_view.community_points(self.communities(), self.regions(), year, lang)

    # -- online entry and evidence (issue 11) ----------------------------------------------

    def evidence(self, year: int, subject: str | None = None,
                 unit: str | None = None) -> pd.DataFrame:
        """The round's evidence files the viewer may see (Store.evidence_rows)."""
        return self.store.evidence_rows(year, self.viewer, subject, unit)

    def evidence_file(self, year: int, unit: str, sha256: str, root: Path) -> bytes | None:
        """A stored evidence file's bytes, only if the viewer may see evidence of that unit
        in that round and the file is attached there (else None: the public never)."""
        rows = self.store.evidence_rows(year, self.viewer, unit=unit)
        if sha256 not in set(rows["sha256"]):
            return None
        try:
            return evidence_files.read(root, sha256)
        except (FileNotFoundError, ValueError):
            return None

    def submissions(self, year: int) -> pd.DataFrame:
        """Which units submitted which stage of the round (Store.stage_submissions)."""
        return self.store.stage_submissions(year, self.viewer)


def mask_stage_board(board: pd.DataFrame, rubric, internal: set[str], every: bool,
                     own: list[str]) -> pd.DataFrame:
    """A stage board with the subtotals of dimensions holding an internal indicator, and the
    stage's base, total, rank and grade, blanked for units outside `own` (unless `every`)."""
    if every or not internal:
        return board
    dims = sorted({i.dimension for i in rubric.indicators if i.code in internal})
    hidden = ~board["unit_code"].isin(own)
    out = board.copy()
    for column in [*dims, *STAGE_AGGREGATES]:
        if column in out.columns:
            if out[column].dtype.kind in "biuf" or column in ("rank", "rank_change"):
                out[column] = out[column].astype("Float64").where(~hidden)
            else:
                out[column] = out[column].astype(object).where(~hidden)
    return out


__all__ = ["STAGES", "Reader", "mark_comparability", "mask_stage_board", "previous_round"]
