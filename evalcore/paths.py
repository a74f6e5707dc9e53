"""Where the project's files live. One place, so tests and scripts agree."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
RUBRIC_DIR = DATA_DIR / "rubric"  # the shipped rubrics
GEO_DIR = DATA_DIR / "geo"


def default_db_path() -> Path:
    """The embedded database; EVAL_DB overrides it (tests and the benchmark use their own)."""
    return Path(os.environ.get("EVAL_DB", DATA_DIR / "evaluation.duckdb"))


def evidence_dir(db: Path | str) -> Path:
    """Where the evidence files of a database live: EVAL_EVIDENCE_DIR for the served database,
    else beside it, `<db>.evidence/` (backed up together: `python -m evalcore backup`)."""
    db = Path(db)
    configured = os.environ.get("EVAL_EVIDENCE_DIR")
    if configured and db.resolve() == default_db_path().resolve():
        return Path(configured)
    return db.with_name(db.name + ".evidence")


def rubric_dir() -> Path:
    """Where rubric files are read from: the shipped data/rubric, or EVAL_RUBRIC_DIR (a
    province's own sheets; tests)."""
    return Path(os.environ.get("EVAL_RUBRIC_DIR", RUBRIC_DIR))
