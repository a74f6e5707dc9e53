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

import pandas as pd

from evalcore.coords import CRS_NAMES
from evalcore.db import Store
from evalcore.importer.communities import parse_communities
from evalcore.importer.problems import ImportRejected, Problem
from evalcore.importer.reading import read_table
from evalcore.importer.scores import parse_scores
from evalcore.rubric import STAGES, load_rubric

__all__ = ["ImportRejected", "ImportResult", "Problem", "import_communities", "import_scores"]


@dataclass(frozen=True)
class ImportResult:
    file: str
    sha256: str
    rows: int
    new: int
    changed: int
    unchanged: int


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _diff(existing: pd.DataFrame, incoming: pd.DataFrame, keys: list[str]) -> dict:
    """How many incoming rows are new, change a stored row, or repeat it exactly."""
    values = [c for c in incoming.columns if c not in keys and c in existing.columns]
    merged = incoming.merge(existing[keys + values], on=keys, how="left", suffixes=("", "_old"),
                            indicator=True)
    same = pd.Series(True, index=merged.index)
    for c in values:
        new_v, old_v = merged[c].astype(object), merged[f"{c}_old"].astype(object)
        same &= (new_v == old_v) | (new_v.isna() & old_v.isna())
    new = int((merged["_merge"] == "left_only").sum())
    unchanged = int(((merged["_merge"] == "both") & same).sum())
    return {"new": new, "changed": len(merged) - new - unchanged, "unchanged": unchanged}


def _round_rubric(store: Store, year: int, file: str):
    rounds = store.rounds().set_index("year")
    if year not in rounds.index:
        raise ImportRejected([Problem(file, f"round {year} does not exist")])
    return load_rubric(rounds.loc[year, "rubric_version"])


def _write(store: Store, table: str, rows: pd.DataFrame, audit: dict, actor: str, at) -> int:
    """One transaction: the audit entry, the previous values in change_log, the new rows."""
    with store.writing() as cur:
        audit_id = Store.audit(cur, actor, "import", audit, at=at)
        Store.upsert_versioned(cur, table, rows, audit_id)
    return audit_id


def import_scores(
    db: Path | str, file: Path | str, year: int, stage: str, actor: str = "cli",
    now: datetime | None = None,
) -> ImportResult:
    """Load one stage's scores for a round from CSV or XLSX."""
    file, now = Path(file), now or datetime.now()
    if stage not in STAGES:
        raise ImportRejected([Problem(file.name, f"unknown stage '{stage}' "
                                                 f"(use one of {', '.join(STAGES)})")])
    frame = read_table(file)
    with Store(db, read_only=False) as store:
        rubric = _round_rubric(store, year, file.name)
        rows, problems = parse_scores(frame, file.name, rubric, store.regions(), year, stage, now)
        if problems:
            raise ImportRejected(problems)
        counts = _diff(store.stage_scores(year, stage), rows, ["unit_code", "indicator_code"])
        result = ImportResult(file.name, _sha256(file), len(rows), **counts)
        detail = {"kind": "scores", "round": year, "stage": stage, **asdict(result)}
        _write(store, "scores", rows, detail, actor, now)
    return result


def import_communities(
    db: Path | str, file: Path | str, crs: str = "wgs84", actor: str = "cli",
    now: datetime | None = None,
) -> ImportResult:
    """Load communities (new ids added, known ids replaced) from CSV or XLSX."""
    file, now = Path(file), now or datetime.now()
    if crs not in CRS_NAMES:
        raise ImportRejected([Problem(file.name, f"unknown coordinate system '{crs}' "
                                                 f"(use one of {', '.join(CRS_NAMES)})")])
    frame = read_table(file)
    with Store(db, read_only=False) as store:
        rows, problems = parse_communities(frame, file.name, store.regions(), crs)
        if problems:
            raise ImportRejected(problems)
        counts = _diff(store.community_rows(), rows, ["id"])
        result = ImportResult(file.name, _sha256(file), len(rows), **counts)
        _write(store, "communities", rows, {"kind": "communities", "crs": crs,
                                            **asdict(result)}, actor, now)
    return result
