"""Round setup: stage deadlines (round_stages) and inspection group leaders and members.

Adds the table `round_stages` (a round's self-evaluation due date and its cross-inspection and
third-party windows) and three nullable columns to `inspection_groups`: the group leader's
name and title and the members. Existing groups keep their pairings; their new columns are
NULL (not recorded). No row of any other table changes.
"""

from __future__ import annotations

import duckdb

VERSION = 3

# The statement as released (schema.py's DDL holds the same table for new files; a test checks
# that a migrated file's schema equals a new file's).
CREATE_ROUND_STAGES = """CREATE TABLE IF NOT EXISTS round_stages (
    round_year INTEGER NOT NULL REFERENCES rounds (year),
    stage VARCHAR NOT NULL CHECK (stage IN ('self', 'cross', 'third_party')),
    opens DATE,
    closes DATE NOT NULL,
    PRIMARY KEY (round_year, stage),
    CHECK (opens IS NULL OR opens <= closes)
)"""

GROUP_COLUMNS = ("leader_name", "leader_title", "members")


def upgrade(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute(CREATE_ROUND_STAGES)
    for column in GROUP_COLUMNS:  # constants of this module
        cur.execute(f"ALTER TABLE inspection_groups ADD COLUMN {column} VARCHAR")
