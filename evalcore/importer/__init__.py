"""Importing real data: validate everything first, then write it all in one transaction.

A refused file raises ImportRejected listing every problem by file, row and column, and the
database is not touched. An accepted file is written in one transaction together with its
audit entry (who, when, file name and SHA-256, counts): never half an import.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from evalcore.access import FULL, Viewer
from evalcore.coords import CRS_NAMES
from evalcore.db import Store
from evalcore.importer import communities, scores
from evalcore.importer.communities import parse_communities
from evalcore.importer.problems import ImportRejected, Problem
from evalcore.importer.reading import read_table
from evalcore.importer.rights import entry_problems, rights_problems
from evalcore.importer.scores import parse_scores
from evalcore.messages import Message
from evalcore.rubric import STAGES, load_rubric

__all__ = ["ImportRejected", "ImportResult", "Prepared", "Problem", "apply", "import_communities",
           "import_scores", "prepare_communities", "prepare_score_frame",
           "prepare_scores"]


@dataclass(frozen=True)
class ImportResult:
    file: str
    sha256: str
    rows: int
    new: int
    changed: int
    unchanged: int


def _sha256(path: Path, data: bytes | None = None) -> str:
    return hashlib.sha256(path.read_bytes() if data is None else data).hexdigest()


def diff_rows(existing: pd.DataFrame, incoming: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Each incoming row marked `new`, `changed` or `unchanged` against what is stored, with
    the stored values beside the new ones (suffix `_old`): the preview before confirming."""
    values = [c for c in incoming.columns if c not in keys and c in existing.columns]
    merged = incoming.merge(existing[keys + values], on=keys, how="left", suffixes=("", "_old"),
                            indicator=True)
    same = pd.Series(True, index=merged.index)
    for c in values:
        new_v, old_v = merged[c].astype(object), merged[f"{c}_old"].astype(object)
        same &= (new_v == old_v) | (new_v.isna() & old_v.isna())
    status = np.where(merged["_merge"] == "left_only", "new",
                      np.where(same, "unchanged", "changed"))
    return merged.drop(columns="_merge").assign(change=status)


@dataclass(frozen=True)
class Prepared:
    """A validated import, not yet written: what it would change, and how to write it."""

    table: str
    rows: pd.DataFrame
    preview: pd.DataFrame
    result: ImportResult
    detail: dict


def _prepared(table: str, file: Path, rows, preview, detail: dict,
              data: bytes | None = None, sha256: str | None = None) -> Prepared:
    counts = preview["change"].value_counts()
    result = ImportResult(file.name, sha256 or _sha256(file, data), len(rows),
                          int(counts.get("new", 0)), int(counts.get("changed", 0)),
                          int(counts.get("unchanged", 0)))
    return Prepared(table, rows, preview, result, {**detail, **asdict(result)})


def _round(store: Store, year: int, file: str) -> pd.Series:
    rounds = store.rounds().set_index("year")
    if year not in rounds.index:
        raise ImportRejected([Problem(file, Message("round_missing", {"year": year}))])
    return rounds.loc[year]


def prepare_scores(
    store: Store, file: Path | str, year: int, stage: str, viewer: Viewer = FULL,
    now: datetime | None = None, data: bytes | None = None,
) -> Prepared:
    """Validate one stage's scores for a round (CSV or XLSX) and what the viewer may change;
    raise ImportRejected listing every problem. Nothing is written. `data`: the file's bytes
    when it is held in memory (an upload), `file` only naming it."""
    file = Path(file)
    if stage not in STAGES:
        raise ImportRejected([Problem(file.name, Message("unknown_stage", {
            "stage": stage, "allowed": STAGES}))])
    frame = read_table(file, data, scores.SHEET)
    return prepare_score_frame(store, frame, file.name, _sha256(file, data), year, stage,
                               viewer, now or datetime.now())


def prepare_score_frame(
    store: Store, frame: pd.DataFrame, name: str, sha256: str, year: int, stage: str,
    viewer: Viewer, now: datetime, kind: str = "scores",
) -> Prepared:
    """Validate one stage's scores given as text cells under the template's columns (a file
    read by read_table, or the online form's row: evalcore.actions_entry.prepare_form), the
    viewer's rights, and the stage's lock and window for the units in it. Nothing is
    written; raises ImportRejected."""
    if stage not in STAGES:
        raise ImportRejected([Problem(name, Message("unknown_stage", {
            "stage": stage, "allowed": STAGES}))])
    round_row = _round(store, year, name)
    rubric = load_rubric(str(round_row["rubric_version"]))
    rows, problems = parse_scores(frame, name, rubric, store.regions(), year, stage, now)
    if not problems:
        problems = rights_problems(store, rows, name, year, stage,
                                   bool(round_row["published"]), viewer)
    if not problems:
        problems = entry_problems(store, rows, name, year, stage, viewer, now)
    if problems:
        raise ImportRejected(problems)
    rows = rows.drop(columns="source_row")
    preview = diff_rows(store.stage_scores(year, stage), rows, ["unit_code", "indicator_code"])
    return _prepared("scores", Path(name), rows, preview,
                     {"kind": kind, "round": year, "stage": stage}, sha256=sha256)


def prepare_communities(
    store: Store, file: Path | str, crs: str = "wgs84", viewer: Viewer = FULL
) -> Prepared:
    """Validate communities (new ids added, known ids replaced); nothing is written."""
    file = Path(file)
    if not viewer.may_manage:
        raise ImportRejected([Problem(file.name, Message("communities_admin_only"))])
    if crs not in CRS_NAMES:
        raise ImportRejected([Problem(file.name, Message("unknown_crs", {
            "crs": crs, "allowed": CRS_NAMES}))])
    frame = read_table(file, sheet=communities.SHEET)
    rows, problems = parse_communities(frame, file.name, store.regions(), crs)
    if problems:
        raise ImportRejected(problems)
    preview = diff_rows(store.community_rows(), rows, ["id"])
    return _prepared("communities", file, rows, preview, {"kind": "communities", "crs": crs})


def apply(store: Store, prepared: Prepared, actor: str, now: datetime | None = None) -> int:
    """Write a prepared import in one transaction with its audit entry, as `actor` without a
    re-check of rights (the command line; the dashboard writes through evalcore.actions)."""
    return store.write_rows(prepared.table, prepared.rows, action="import",
                            detail=prepared.detail, at=now or datetime.now(), actor=actor)


def import_scores(
    db: Path | str, file: Path | str, year: int, stage: str, actor: str = "cli",
    now: datetime | None = None,
) -> ImportResult:
    """Validate and load one stage's scores for a round (the command line's import)."""
    with Store(db, read_only=False) as store:
        prepared = prepare_scores(store, file, year, stage, FULL, now)
        apply(store, prepared, actor, now)
    return prepared.result


def import_communities(
    db: Path | str, file: Path | str, crs: str = "wgs84", actor: str = "cli",
    now: datetime | None = None,
) -> ImportResult:
    """Validate and load communities (the command line's import)."""
    with Store(db, read_only=False) as store:
        prepared = prepare_communities(store, file, crs, FULL)
        apply(store, prepared, actor, now)
    return prepared.result
