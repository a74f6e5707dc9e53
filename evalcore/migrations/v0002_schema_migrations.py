"""Record applied migrations in schema_migrations (version 1 gets a row of unknown date).

Version 1 kept its version in meta only. From version 2 on, each step the runner applies adds
a row (version, applied_at, description); a file made at version 1 gets one for version 1
with applied_at NULL: it is not known when that file was created.
"""

from __future__ import annotations

import duckdb

VERSION = 2

CREATE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP,
    description VARCHAR NOT NULL
)"""


def upgrade(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute(CREATE)
    cur.execute("INSERT INTO schema_migrations VALUES (1, NULL, 'initial schema')")
