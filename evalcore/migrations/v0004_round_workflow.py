"""Round workflow: stage submissions, evidence files, problems and rectification, who entered bonus cases and deductions.

Adds the tables `stage_submissions` (a unit's stage submitted, and so locked, or reopened by an
administrator with a reason), `evidence` (metadata of evidence files; the files themselves are
stored by content hash outside the database, evalcore/evidence.py) and `problems` (problems an
inspector found and their rectification), and rebuilds `bonus_claims` and `deductions` with
new nullable columns: a case's amount raised, and who recorded each row and when. Every
existing row keeps its values; the new columns are NULL (not recorded).
"""

from __future__ import annotations

import duckdb

VERSION = 4

# The statements as released (schema.py's DDL holds the same tables for new files; a test
# checks that a migrated file's schema equals a new file's).
CREATE = (
    """CREATE TABLE IF NOT EXISTS stage_submissions (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    stage VARCHAR NOT NULL CHECK (stage IN ('self', 'cross', 'third_party')),
    status VARCHAR NOT NULL CHECK (status IN ('submitted', 'reopened')),
    submitted_at TIMESTAMP NOT NULL,
    submitted_by VARCHAR NOT NULL,
    reopened_at TIMESTAMP,
    reopened_by VARCHAR,
    reopen_reason VARCHAR,
    PRIMARY KEY (round_year, unit_code, stage),
    CHECK (status = 'submitted' OR (reopened_at IS NOT NULL AND reopened_by IS NOT NULL
                                    AND length(trim(reopen_reason)) > 0))
)""",
    """CREATE TABLE IF NOT EXISTS evidence (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    subject VARCHAR NOT NULL
        CHECK (subject IN ('score', 'bonus_case', 'deduction', 'problem', 'rectification')),
    subject_key VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL CHECK (regexp_full_match(sha256, '[0-9a-f]{64}')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    media_type VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_year, unit_code, subject, subject_key, sha256)
)""",
    """CREATE TABLE IF NOT EXISTS problems (
    id INTEGER PRIMARY KEY CHECK (id >= 1),
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    community_id VARCHAR,
    indicator_code VARCHAR,
    found_stage VARCHAR NOT NULL CHECK (found_stage IN ('cross', 'third_party', 'admin')),
    description VARCHAR NOT NULL CHECK (length(trim(description)) > 0),
    severity VARCHAR NOT NULL CHECK (severity IN ('minor', 'major', 'serious')),
    deadline DATE NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('open', 'answered', 'returned', 'closed')),
    found_by VARCHAR NOT NULL,
    found_at TIMESTAMP NOT NULL,
    answer VARCHAR,
    answered_by VARCHAR,
    answered_at TIMESTAMP,
    review_note VARCHAR,
    closed_by VARCHAR,
    closed_at TIMESTAMP,
    CHECK (status IN ('open', 'returned') OR answer IS NOT NULL),
    CHECK (status <> 'closed' OR closed_at IS NOT NULL)
)""",
)

BONUS_CLAIMS = """CREATE TABLE bonus_claims_v4 (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    stage VARCHAR NOT NULL CHECK (stage IN ('self', 'cross', 'third_party')),
    category_code VARCHAR NOT NULL,
    case_no INTEGER NOT NULL CHECK (case_no >= 1),
    case_title VARCHAR NOT NULL,
    case_description VARCHAR,
    points_claimed DOUBLE NOT NULL CHECK (points_claimed >= 0),
    points_awarded DOUBLE CHECK (points_awarded >= 0),
    review_note VARCHAR,
    amount_wan DOUBLE CHECK (amount_wan >= 0),
    recorded_by VARCHAR,
    recorded_at TIMESTAMP,
    PRIMARY KEY (round_year, unit_code, stage, category_code, case_no)
)"""

DEDUCTIONS = """CREATE TABLE deductions_v4 (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    code VARCHAR NOT NULL,
    points DOUBLE NOT NULL CHECK (points >= 0),
    reason VARCHAR NOT NULL,
    stage VARCHAR CHECK (stage IS NULL OR stage IN ('self', 'cross', 'third_party')),
    recorded_by VARCHAR,
    recorded_at TIMESTAMP,
    PRIMARY KEY (round_year, unit_code, seq)
)"""

BONUS_COLUMNS = ("round_year", "unit_code", "stage", "category_code", "case_no", "case_title",
                 "case_description", "points_claimed", "points_awarded", "review_note")
DEDUCTION_COLUMNS = ("round_year", "unit_code", "seq", "code", "points", "reason")


def _rebuild(cur: duckdb.DuckDBPyConnection, table: str, create: str,
             columns: tuple[str, ...]) -> None:
    """Recreate `table` with the new columns (DuckDB cannot add a column with a CHECK), rows
    copied as they are; the constants of this module name every table and column."""
    cur.execute(create)
    listed = ", ".join(columns)
    cur.execute(f"INSERT INTO {table}_v4 ({listed}) SELECT {listed} FROM {table}")  # noqa: S608
    cur.execute(f"DROP TABLE {table}")
    cur.execute(f"ALTER TABLE {table}_v4 RENAME TO {table}")


def upgrade(cur: duckdb.DuckDBPyConnection) -> None:
    for statement in CREATE:
        cur.execute(statement)
    _rebuild(cur, "bonus_claims", BONUS_CLAIMS, BONUS_COLUMNS)
    _rebuild(cur, "deductions", DEDUCTIONS, DEDUCTION_COLUMNS)
