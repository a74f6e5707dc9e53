"""The DuckDB schema: a public interface (docs/schema.md documents every column).

Constraints live in the database, not only in the importer, so a file edited by an analyst
cannot hold a group inspecting its own city or a negative score.

The DDL is today's schema, which a new file gets whole. A file written by an earlier version
is brought here by the steps in evalcore/migrations/, one per version; SCHEMA_VERSION is the
last of them (a test checks that they agree).
"""

from evalcore.vocab import (
    COMMUNITY_STATUSES,
    EVIDENCE_SUBJECTS,
    PROBLEM_FINDERS,
    PROBLEM_SEVERITIES,
    PROBLEM_STATUSES,
    REGION_LEVELS,
    STAGES,
    SUBMISSION_STATUSES,
)

SCHEMA_VERSION = 4


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """`column IN ('a', 'b')`: a CHECK built from a declared tuple of the vocabulary."""
    literals = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({literals})"


STAGE_CHECK = _one_of("stage", STAGES)

FUNDING_SOURCES: tuple[str, ...] = (
    "central",
    "provincial",
    "local_fiscal",
    "social_capital",
    "residents",
    "pooled_fiscal",
    "utilities",
    "special_bonds",
    "bank_credit",
)
ITEM_CATEGORIES: tuple[str, ...] = ("basic", "improvement", "enhancement")
PROPERTY_MANAGEMENT: tuple[str, ...] = ("professional", "quasi", "none")

_FUNDING_COLUMNS = ",\n    ".join(
    f"fund_{s}_wan DOUBLE NOT NULL DEFAULT 0 CHECK (fund_{s}_wan >= 0)" for s in FUNDING_SOURCES
)
_ITEM_COLUMNS = ",\n    ".join(
    f"items_{c} INTEGER NOT NULL DEFAULT 0 CHECK (items_{c} >= 0)" for c in ITEM_CATEGORIES
)

DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
)""",
    f"""CREATE TABLE IF NOT EXISTS regions (
    code VARCHAR PRIMARY KEY CHECK (regexp_full_match(code, '[0-9]{{6}}')),
    name VARCHAR NOT NULL,
    short_name VARCHAR NOT NULL,
    level VARCHAR NOT NULL CHECK ({_one_of('level', REGION_LEVELS)}),
    parent_code VARCHAR,
    rep_lon DOUBLE,
    rep_lat DOUBLE,
    area_km2 DOUBLE
)""",
    f"""CREATE TABLE IF NOT EXISTS communities (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    county_code VARCHAR NOT NULL REFERENCES regions (code),
    lon DOUBLE NOT NULL CHECK (lon BETWEEN 73 AND 136),
    lat DOUBLE NOT NULL CHECK (lat BETWEEN 3 AND 54),
    built_year INTEGER CHECK (built_year BETWEEN 1949 AND 2030),
    buildings INTEGER CHECK (buildings >= 0),
    households INTEGER NOT NULL CHECK (households >= 0),
    floor_area_m2 DOUBLE CHECK (floor_area_m2 >= 0),
    batch_year INTEGER NOT NULL,
    status VARCHAR NOT NULL CHECK ({_one_of('status', COMMUNITY_STATUSES)}),
    start_date DATE,
    completion_date DATE,
    planned_investment_wan DOUBLE NOT NULL CHECK (planned_investment_wan >= 0),
    completed_investment_wan DOUBLE NOT NULL DEFAULT 0 CHECK (completed_investment_wan >= 0),
    {_FUNDING_COLUMNS},
    {_ITEM_COLUMNS},
    lifts_added INTEGER NOT NULL DEFAULT 0 CHECK (lifts_added >= 0),
    property_management VARCHAR NOT NULL DEFAULT 'none'
        CHECK ({_one_of('property_management', PROPERTY_MANAGEMENT)}),
    maintenance_fund BOOLEAN NOT NULL DEFAULT FALSE,
    satisfaction DOUBLE CHECK (satisfaction BETWEEN 0 AND 1),
    CHECK (completion_date IS NULL OR start_date IS NOT NULL),
    CHECK (completion_date IS NULL OR completion_date >= start_date)
)""",
    """CREATE TABLE IF NOT EXISTS targets (
    year INTEGER NOT NULL,
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    communities INTEGER NOT NULL CHECK (communities >= 0),
    households INTEGER CHECK (households >= 0),
    investment_wan DOUBLE CHECK (investment_wan >= 0),
    PRIMARY KEY (year, unit_code)
)""",
    """CREATE TABLE IF NOT EXISTS rounds (
    year INTEGER PRIMARY KEY,
    rubric_version VARCHAR NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    published_at TIMESTAMP,
    CHECK (NOT published OR published_at IS NOT NULL)
)""",
    """CREATE TABLE IF NOT EXISTS inspection_groups (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    group_no INTEGER NOT NULL CHECK (group_no >= 1),
    leader_city_code VARCHAR NOT NULL REFERENCES regions (code),
    inspected_city_code VARCHAR NOT NULL REFERENCES regions (code),
    leader_name VARCHAR,
    leader_title VARCHAR,
    members VARCHAR,
    PRIMARY KEY (round_year, group_no),
    UNIQUE (round_year, inspected_city_code),
    CHECK (leader_city_code <> inspected_city_code)
)""",
    # Also made by migrations/v0003_round_setup.py (as are inspection_groups' leader and
    # members columns).
    f"""CREATE TABLE IF NOT EXISTS round_stages (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    stage VARCHAR NOT NULL CHECK ({STAGE_CHECK}),
    opens DATE,
    closes DATE NOT NULL,
    PRIMARY KEY (round_year, stage),
    CHECK (opens IS NULL OR opens <= closes)
)""",
    f"""CREATE TABLE IF NOT EXISTS scores (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    stage VARCHAR NOT NULL CHECK ({STAGE_CHECK}),
    indicator_code VARCHAR NOT NULL,
    points DOUBLE NOT NULL CHECK (points >= 0),
    evaluator VARCHAR,
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_year, unit_code, stage, indicator_code)
)""",
    # bonus_claims and deductions as rebuilt by migrations/v0004_round_workflow.py (their last
    # columns, who recorded a row and when, are NULL in rows older than version 4).
    f"""CREATE TABLE IF NOT EXISTS bonus_claims (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    stage VARCHAR NOT NULL CHECK ({STAGE_CHECK}),
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
)""",
    f"""CREATE TABLE IF NOT EXISTS deductions (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    code VARCHAR NOT NULL,
    points DOUBLE NOT NULL CHECK (points >= 0),
    reason VARCHAR NOT NULL,
    stage VARCHAR CHECK (stage IS NULL OR {STAGE_CHECK}),
    recorded_by VARCHAR,
    recorded_at TIMESTAMP,
    PRIMARY KEY (round_year, unit_code, seq)
)""",
    # Also made by migrations/v0004_round_workflow.py.
    f"""CREATE TABLE IF NOT EXISTS stage_submissions (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    stage VARCHAR NOT NULL CHECK ({STAGE_CHECK}),
    status VARCHAR NOT NULL CHECK ({_one_of('status', SUBMISSION_STATUSES)}),
    submitted_at TIMESTAMP NOT NULL,
    submitted_by VARCHAR NOT NULL,
    reopened_at TIMESTAMP,
    reopened_by VARCHAR,
    reopen_reason VARCHAR,
    PRIMARY KEY (round_year, unit_code, stage),
    CHECK (status = 'submitted' OR (reopened_at IS NOT NULL AND reopened_by IS NOT NULL
                                    AND length(trim(reopen_reason)) > 0))
)""",
    f"""CREATE TABLE IF NOT EXISTS evidence (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    subject VARCHAR NOT NULL
        CHECK ({_one_of('subject', EVIDENCE_SUBJECTS)}),
    subject_key VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL CHECK (regexp_full_match(sha256, '[0-9a-f]{{64}}')),
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    media_type VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_year, unit_code, subject, subject_key, sha256)
)""",
    f"""CREATE TABLE IF NOT EXISTS problems (
    id INTEGER PRIMARY KEY CHECK (id >= 1),
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    unit_code VARCHAR NOT NULL REFERENCES regions (code),
    community_id VARCHAR,
    indicator_code VARCHAR,
    found_stage VARCHAR NOT NULL CHECK ({_one_of('found_stage', PROBLEM_FINDERS)}),
    description VARCHAR NOT NULL CHECK (length(trim(description)) > 0),
    severity VARCHAR NOT NULL CHECK ({_one_of('severity', PROBLEM_SEVERITIES)}),
    deadline DATE NOT NULL,
    status VARCHAR NOT NULL CHECK ({_one_of('status', PROBLEM_STATUSES)}),
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
    """CREATE SEQUENCE IF NOT EXISTS audit_log_id START 1""",
    """CREATE TABLE IF NOT EXISTS change_log (
    audit_id BIGINT NOT NULL,
    table_name VARCHAR NOT NULL,
    row_key VARCHAR NOT NULL,
    old_row VARCHAR,
    new_row VARCHAR NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    "at" TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    detail VARCHAR NOT NULL
)""",
    # Also made by migrations/v0002_schema_migrations.py: tests/test_migrations.py checks that a
    # migrated file's schema equals a new file's.
    """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP,
    description VARCHAR NOT NULL
)""",
)

TABLES: tuple[str, ...] = (
    "meta",
    "regions",
    "communities",
    "targets",
    "rounds",
    "inspection_groups",
    "round_stages",
    "scores",
    "bonus_claims",
    "deductions",
    "stage_submissions",
    "evidence",
    "problems",
    "audit_log",
    "change_log",
    "schema_migrations",
)

# The primary key of each table an import or a setup action may change: how change_log finds
# a row again (and how a revert puts it back).
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "scores": ("round_year", "unit_code", "stage", "indicator_code"),
    "communities": ("id",),
    "inspection_groups": ("round_year", "group_no"),
    "targets": ("year", "unit_code"),
    "round_stages": ("round_year", "stage"),
    "bonus_claims": ("round_year", "unit_code", "stage", "category_code", "case_no"),
    "deductions": ("round_year", "unit_code", "seq"),
    "stage_submissions": ("round_year", "unit_code", "stage"),
    "evidence": ("round_year", "unit_code", "subject", "subject_key", "sha256"),
    "problems": ("id",),
}
# Tables with a UNIQUE constraint besides their key (a round's inspected cities), which DuckDB
# cannot INSERT OR REPLACE: their rows are replaced by deleting the keyed rows, then inserting.
REPLACED_BY_DELETE: frozenset[str] = frozenset({"inspection_groups"})
