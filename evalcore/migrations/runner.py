"""Open a database file at today's schema version: check it, back it up, migrate it.

`open_current` is what `Store` calls to connect (see the package's docstring for the rules).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from evalcore.messages import Message, MessageError
from evalcore.migrations import MIGRATIONS, Migration
from evalcore.safefile import copy_file, fsync_dir, link_new
from evalcore.schema import SCHEMA_VERSION

# One opening at a time per file in this process, so two stores opening an older file at once
# do not both migrate it. Taken last (inside Store's own locks), so it cannot deadlock them.
_OPENING: dict[str, threading.Lock] = {}
_OPENING_GUARD = threading.Lock()


def _opening_lock(path: Path) -> threading.Lock:
    with _OPENING_GUARD:
        return _OPENING.setdefault(str(path.resolve()), threading.Lock())


class SchemaError(MessageError):
    """A file this code must not open as asked (newer, older and read-only, unreadable
    version) or whose migration failed; `Store` raises it as a StoreError."""


@dataclass(frozen=True)
class Migrated:
    """What opening a file did to it: from which version to which, and where the copy of the
    file as it was is kept."""

    path: Path
    from_version: int
    to_version: int
    backup: Path


def has_content(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def file_version(con: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """meta's schema_version, or None for a file that is not one of ours (no meta table)."""
    # fetchall, not fetchone: a result left open on the connection that Store keeps would
    # hold its transaction open, and with it every checkpoint of the file
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'main' AND table_name = 'meta'").fetchall()[0][0]
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() \
        if has_meta else []
    if not rows:
        return None
    try:
        return int(rows[0][0])
    except ValueError:
        raise SchemaError(Message("store_schema_unknown",
                                  {"path": str(path), "found": rows[0][0]})) from None


def check_version(path: Path, found: int | None, read_only: bool) -> None:
    """Refuse a newer file always, an older one when it cannot be migrated (read-only)."""
    params = {"path": str(path), "found": found, "supported": SCHEMA_VERSION}
    if found is not None and found > SCHEMA_VERSION:
        raise SchemaError(Message("store_schema_newer", params))
    if read_only and found is not None and found < SCHEMA_VERSION:
        command = f"python -m evalcore migrate --db {path}"
        raise SchemaError(Message("store_schema_older", {**params, "command": command}))


def _connect(path: Path, read_only: bool,
             check_read_only: bool) -> tuple[duckdb.DuckDBPyConnection, int | None]:
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        found = file_version(con, path)
        check_version(path, found, check_read_only)
    except BaseException:
        con.close()
        raise
    return con, found


def open_current(path: Path | str, read_only: bool, steps: Sequence[Migration] | None = None,
                 now: datetime | None = None) -> tuple[duckdb.DuckDBPyConnection, Migrated | None]:
    """A connection to `path` at SCHEMA_VERSION, and what was migrated (None: nothing).

    A new or empty file, or one that is not ours, opens as it is. Read-write, the version is
    read through a read-only connection first, so a newer file is never opened for writing
    (unless this process holds it read-write already, when DuckDB allows no read-only one).
    """
    path = Path(path)
    if not has_content(path) or read_only:
        con, _ = _connect(path, read_only, check_read_only=read_only)
        return con, None
    with _opening_lock(path):
        return _open_read_write(path, steps, now)


def _open_read_write(path: Path, steps: Sequence[Migration] | None,
                     now: datetime | None) -> tuple[duckdb.DuckDBPyConnection, Migrated | None]:
    try:
        probe, _ = _connect(path, read_only=True, check_read_only=False)
        probe.close()
    except duckdb.ConnectionException:
        pass  # open read-write in this process already: checked on that connection below
    con, found = _connect(path, read_only=False, check_read_only=False)
    if found is None or found == SCHEMA_VERSION:
        return con, None
    try:
        return con, migrate(con, path, found, MIGRATIONS if steps is None else steps,
                            now or datetime.now())
    except BaseException:
        con.close()
        raise


def _pending(found: int, steps: Sequence[Migration]) -> list[Migration]:
    pending = [s for s in steps if s.version > found]
    if [s.version for s in pending] != list(range(found + 1, SCHEMA_VERSION + 1)):
        raise SchemaError(Message("store_schema_no_path", {"found": found,
                                                           "supported": SCHEMA_VERSION}))
    return pending


def write_version_backup(path: Path, version: int) -> Path:
    """The file as it is, beside it as `<name>.v<version>.bak` (`.v<version>.2.bak`, … when
    one exists: an earlier backup is never overwritten). Checkpoint first."""
    partial = path.with_name(f"{path.name}.v{version}.bak.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    copy_file(path, partial)
    try:
        target = link_new(partial, f"{path.name}.v{version}", ".bak")
    finally:
        partial.unlink()
    fsync_dir(path.parent)
    return target


def migrate(con: duckdb.DuckDBPyConnection, path: Path, found: int,
            steps: Sequence[Migration], now: datetime) -> Migrated:
    """Back the file up, then run every pending step in one transaction: each step, its
    schema_migrations row and the new version in meta, or (on any error) nothing."""
    pending = _pending(found, steps)
    params = {"path": str(path), "found": found, "supported": SCHEMA_VERSION}
    try:
        con.execute("CHECKPOINT")
        backup = write_version_backup(path, found)
    except (OSError, duckdb.Error) as exc:
        raise SchemaError(Message("store_migration_backup_failed", {**params, "reason": str(exc)})) from exc
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        for step in pending:
            step.upgrade(cur)
            cur.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        [step.version, now, step.description])
        cur.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                    [str(SCHEMA_VERSION)])
        cur.execute("COMMIT")
    except BaseException as exc:
        _rollback(cur)
        if not isinstance(exc, Exception):
            raise
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SchemaError(Message("store_migration_failed", {
            **params, "backup": str(backup), "reason": reason})) from exc
    finally:
        cur.close()
    con.execute("CHECKPOINT")
    return Migrated(path, found, SCHEMA_VERSION, backup)


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the transaction had not begun, or DuckDB already ended it
