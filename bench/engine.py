"""Database build, loading and scoring a round, its DuckDB floor, and rank uncertainty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench.report import Row, derived_row, make_row, paired_ratio
from bench.timing import measure, measure_pair, time_once
from evalcore import scoring
from evalcore.db import Store
from evalcore.demo import build_demo
from evalcore.demo.national import NationalSpec, build_national
from evalcore.rounds import load_round_inputs
from evalcore.vocab import LEVELS

FLOOR_SQL = ("SELECT unit_code, sum(points) AS points FROM scores WHERE round_year = ? "
             "GROUP BY unit_code")


Build = Callable[[Path], object]


def builder(scale: str, fraction: float) -> tuple[Build, Build]:
    """(build at this scale, a cheap warm-up build that loads the same code paths)."""
    if scale == "province":
        return build_demo, build_demo
    spec = NationalSpec().scaled(fraction) if fraction != 1 else NationalSpec()
    return (lambda p: build_national(p, spec)), (lambda p: build_national(p, spec.scaled(0.01)))


def build_rows(scale: str, label: str, fraction: float, workdir: Path,
               repeats: int) -> tuple[list[Row], Path]:
    """build_db_s: a warm-up build, then `repeats` builds from scratch; keeps the last file."""
    build, warm = builder(scale, fraction)
    warm(workdir / "warmup.duckdb")
    (workdir / "warmup.duckdb").unlink()
    path = workdir / f"{scale}.duckdb"
    samples = []
    for _ in range(repeats):
        path.unlink(missing_ok=True)
        samples.append(time_once(lambda: build(path)))
    return [make_row("build_db_s", label, samples, "s")], path


def latest_published(store: Store) -> int:
    rounds = store.rounds()
    return int(rounds.loc[rounds["published"], "year"].max())


def score_every_unit(inputs: scoring.RoundInputs) -> None:
    """Score one round for every unit: the final leaderboards of cities and of counties, in
    the engine's one pass over the round (`scoring.leaderboards`)."""
    scoring.leaderboards(inputs)


def score_each_level(inputs: scoring.RoundInputs) -> None:
    """The same boards one level at a time (`scoring.leaderboard`), as a page asks for one."""
    for level in LEVELS:
        scoring.leaderboard(inputs, level)


def engine_rows(db: Path, label: str, repeats: int, sens_repeats: int,
                warmup: int) -> list[Row]:
    """load_round_s, score_round_s and its floor, score_levels_s, sensitivity_1000_s on the
    latest round."""
    with Store(db) as store:
        year = latest_published(store)
        inputs = load_round_inputs(store, year)
        load = measure(lambda: load_round_inputs(store, year), repeats, warmup)
        cur = store.cursor()
        score, floor = measure_pair(lambda: score_every_unit(inputs),
                                    lambda: cur.execute(FLOOR_SQL, [year]).df(), repeats, warmup)
        cur.close()
    levels = measure(lambda: score_each_level(inputs), repeats, warmup)
    sens = measure(lambda: scoring.rank_uncertainty(inputs, "county", draws=1000, seed=42),
                   sens_repeats, warmup)
    return [
        make_row("load_round_s", label, load, "s"),
        make_row("score_round_s", label, score, "s"),
        make_row("score_floor_s", label, floor, "s"),
        derived_row("score_floor_ratio", label, paired_ratio(score, floor), "×"),
        make_row("score_levels_s", label, levels, "s"),
        make_row("sensitivity_1000_s", label, sens, "s"),
    ]
