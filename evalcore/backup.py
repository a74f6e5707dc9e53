"""Backups of the database and its evidence folder, and restoring one.

A backup is a directory `<out>/<UTC time>/` (e.g. `20261129T020000Z`) holding a copy of the
database that opens directly, the evidence folder under `evidence/` when there is one, and
`MANIFEST.json` (format, created_at, schema_version, database, evidence, and every file with
its size and SHA-256). It is written under `<out>/.partial-…` and renamed when complete, so
a directory with a time for its name is always a whole backup; an interrupted one is a
`.partial-…` directory, which `restore` refuses (no manifest) and which may be deleted.

The database is copied with DuckDB's `COPY FROM DATABASE` from a read-only attachment: one
transaction's consistent view, including what is still in the write-ahead log, into a new
file, without writing to the source. DuckDB lets no other process open a file that one holds
read-write, not even read-only: a dashboard serving read-write must be stopped for the
backup, or the backup made inside its process (`create_backup(..., store=its_store)`); a
read-only dashboard (EVAL_READ_ONLY=1) holds a shared lock and can be backed up live.

Restoring verifies every file against the manifest and refuses a damaged backup or one of a
newer schema before touching anything; then it copies the database beside the live file
(fsynced, its hash checked again), keeps the live file as `<db>.before-restore-<time>` (a
hard link) and moves the copy into place with one `os.replace`: the live name always holds a
whole file, the old one or the restored one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from evalcore.db import Store
from evalcore.messages import Message, MessageError
from evalcore.paths import evidence_dir
from evalcore.safefile import (
    copy_file,
    fault_pause,
    fsync_dir,
    fsync_file,
    link_new,
    sha256_file,
)
from evalcore.schema import SCHEMA_VERSION

MANIFEST = "MANIFEST.json"
FORMAT = 1
EVIDENCE = "evidence"


class BackupError(MessageError):
    """A backup that cannot be made or restored; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    schema_version: int
    database: str  # the database file's name inside the backup
    evidence: bool  # the evidence folder existed and is under evidence/
    files: tuple[dict, ...]  # {"path", "size", "sha256"}, paths relative to the backup

    def as_json(self) -> str:
        return json.dumps({"format": FORMAT, "created_at": self.created_at,
                           "schema_version": self.schema_version, "database": self.database,
                           "evidence": self.evidence, "files": list(self.files)},
                          indent=1, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Restored:
    db: Path
    before: Path | None  # the previous live file, kept
    evidence: Path | None  # the evidence folder restored (None: the backup had none)
    evidence_before: Path | None


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _entry(root: Path, path: Path, sha: str | None = None) -> dict:
    return {"path": path.relative_to(root).as_posix(), "size": path.stat().st_size,
            "sha256": sha or sha256_file(path)}


# -- making a backup ---------------------------------------------------------------------

def _source(db: Path, store: Store | None) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A connection that sees the database, and the database's name on it: the writer's own
    (a live dashboard's store), else a read-only attachment of the file."""
    if store is not None:
        cur = store.cursor()
        return cur, cur.execute("SELECT current_database()").fetchall()[0][0]
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS source (READ_ONLY)", [str(db)])
    except duckdb.IOException as exc:
        con.close()
        if "lock" in str(exc).lower():
            raise BackupError(Message("store_backup_in_use", {"path": str(db)})) from exc
        raise
    return con, "source"


def _copy_database(db: Path, target: Path, store: Store | None) -> int:
    """COPY FROM DATABASE into the new file `target`; returns the copy's schema version."""
    cur, source = _source(db, store)
    alias = f"backup_{uuid.uuid4().hex}"  # made here, not input; unique in the process
    quoted = '"' + source.replace('"', '""') + '"'
    try:
        cur.execute(f"ATTACH ? AS {alias} (READ_WRITE)", [str(target)])
        try:
            cur.execute(f"COPY FROM DATABASE {quoted} TO {alias}")
            has_meta = cur.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? "
                                   "AND table_name = 'meta'", [alias]).fetchall()[0][0]
            rows = cur.execute(f"SELECT value FROM {alias}.meta "  # noqa: S608
                               "WHERE key = 'schema_version'").fetchall() if has_meta else []
        finally:
            cur.execute(f"DETACH {alias}")
    finally:
        cur.close()
    fsync_file(target)  # DuckDB wrote it through its own handle: make sure it is on disk
    if not rows:
        raise BackupError(Message("store_backup_not_ours", {"path": str(db)}))
    return int(rows[0][0])


def _copy_evidence(source: Path, partial: Path) -> list[dict]:
    entries = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = partial / EVIDENCE / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        sha = copy_file(path, target, pause_at="backup-copy")
        entries.append(_entry(partial, target, sha))
    for folder in sorted({partial / EVIDENCE, *(partial / EVIDENCE).rglob("*")}):
        if folder.is_dir():
            fsync_dir(folder)
    return entries


def _write_manifest(partial: Path, manifest: Manifest) -> None:
    path = partial / MANIFEST
    with open(path, "x", encoding="utf-8") as f:
        f.write(manifest.as_json())
        f.flush()
        os.fsync(f.fileno())
    fsync_dir(partial)


def _publish(partial: Path, out: Path, stamp: str) -> Path:
    """Rename the complete backup to its time (`-2`, `-3`, … if a backup has that name)."""
    n = 1
    while True:
        final = out / (stamp if n == 1 else f"{stamp}-{n}")
        if not final.exists():
            try:
                os.rename(partial, final)
                fsync_dir(out)
                return final
            except OSError:
                if not final.exists():
                    raise
        n += 1


def create_backup(out: Path | str, db: Path | str, evidence: Path | str | None = None,
                  store: Store | None = None, now: datetime | None = None) -> Path:
    """Write a backup of `db` (and of its evidence folder, if there is one) into a new
    directory under `out`; returns that directory. `store`: the open read-write store of the
    process that holds the file (copy through it instead of attaching the file)."""
    db, out = Path(db), Path(out)
    source_evidence = Path(evidence) if evidence is not None else evidence_dir(db)
    if store is None and not (db.exists() and db.stat().st_size > 0):
        raise BackupError(Message("store_missing", {"path": str(db)}))
    out.mkdir(parents=True, exist_ok=True)
    stamp = _stamp(now)
    partial = out / f".partial-{stamp}-{os.getpid()}"
    partial.mkdir(mode=0o700)  # the data, notes included, unencrypted: its owner only
    try:
        copy = partial / db.name
        version = _copy_database(db, copy, store)
        files = [_entry(partial, copy)]
        with_evidence = source_evidence.is_dir()
        if with_evidence:
            (partial / EVIDENCE).mkdir()
            files += _copy_evidence(source_evidence, partial)
        created = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        _write_manifest(partial, Manifest(created, version, db.name, with_evidence, tuple(files)))
        fault_pause("backup-publish")
        return _publish(partial, out, stamp)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


# -- checking and restoring --------------------------------------------------------------

def read_manifest(backup: Path | str) -> Manifest:
    backup = Path(backup)
    path = backup / MANIFEST
    if not path.is_file():
        raise BackupError(Message("store_backup_incomplete", {"dir": str(backup),
                                                              "file": MANIFEST}))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            raise ValueError(f"format {data['format']!r}")
        files = tuple({"path": str(f["path"]), "size": int(f["size"]),
                       "sha256": str(f["sha256"])} for f in data["files"])
        return Manifest(str(data["created_at"]), int(data["schema_version"]),
                        str(data["database"]), bool(data["evidence"]), files)
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(Message("store_backup_manifest_unreadable", {
            "dir": str(backup), "file": MANIFEST, "reason": str(exc)})) from exc


def _inside(backup: Path, relative: str) -> Path:
    path = (backup / relative).resolve()
    if not path.is_relative_to(backup.resolve()) or relative == MANIFEST:
        raise BackupError(Message("store_backup_manifest_unreadable", {
            "dir": str(backup), "file": MANIFEST, "reason": f"bad path {relative!r}"}))
    return path


def _database_version(path: Path) -> int | None:
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0]) if rows else None
    except (duckdb.Error, ValueError):
        return None
    finally:
        con.close()


def verify_backup(backup: Path | str) -> Manifest:
    """The manifest of a whole, undamaged backup this program can restore; else BackupError
    naming what is wrong (a missing file, the file whose size or hash differs, a newer
    schema). Reads every byte; writes nothing."""
    backup = Path(backup)
    manifest = read_manifest(backup)
    listed = {f["path"] for f in manifest.files}
    if manifest.database not in listed:
        raise BackupError(Message("store_backup_file_missing", {"file": manifest.database}))
    for entry in manifest.files:
        path = _inside(backup, entry["path"])
        if not path.is_file():
            raise BackupError(Message("store_backup_file_missing", {"file": entry["path"]}))
        if path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            raise BackupError(Message("store_backup_file_damaged", {"file": entry["path"]}))
    if manifest.schema_version > SCHEMA_VERSION:
        raise BackupError(Message("store_backup_schema_newer", {"found": manifest.schema_version,
                                                          "supported": SCHEMA_VERSION}))
    found = _database_version(backup / manifest.database)
    if found != manifest.schema_version:
        raise BackupError(Message("store_backup_version_mismatch", {
            "manifest": manifest.schema_version, "found": found}))
    return manifest


def _release_live(db: Path) -> None:
    """Checkpoint the live file (so no write-ahead log is left beside it), refusing when any
    other process has it open. A damaged file is left as it is: restoring replaces it."""
    if not db.exists():
        return
    try:
        con = duckdb.connect(str(db))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise BackupError(Message("store_restore_in_use", {"path": str(db)})) from exc
        return
    except duckdb.Error:
        return
    try:
        con.execute("CHECKPOINT")
    except duckdb.Error:
        pass
    finally:
        con.close()


def _stage_evidence(backup: Path, manifest: Manifest, target: Path) -> Path | None:
    """The backup's evidence copied beside the live folder, fsynced; None if it had none."""
    if not manifest.evidence:
        return None
    staged = target.with_name(f"{target.name}.restoring-{os.getpid()}")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    prefix = EVIDENCE + "/"
    for entry in manifest.files:
        if entry["path"].startswith(prefix):
            dst = staged / entry["path"][len(prefix):]
            dst.parent.mkdir(parents=True, exist_ok=True)
            if copy_file(backup / entry["path"], dst) != entry["sha256"]:
                raise BackupError(Message("store_backup_file_damaged", {"file": entry["path"]}))
    for folder in sorted({staged, *staged.rglob("*")}):
        if folder.is_dir():
            fsync_dir(folder)
    return staged


def _swap_evidence(staged: Path | None, target: Path, stamp: str) -> Path | None:
    """Move the live evidence folder aside, the staged one into its place."""
    if staged is None:
        return None
    before = None
    if target.exists():
        before = target.with_name(f"{target.name}.before-restore-{stamp}")
        os.rename(target, before)
    os.rename(staged, target)
    fsync_dir(target.parent)
    return before


def restore_backup(backup: Path | str, db: Path | str, evidence: Path | str | None = None,
                   now: datetime | None = None) -> Restored:
    """Replace the live database (and evidence folder) with a verified backup, keeping the
    previous ones beside them as `.before-restore-<time>`. Run it with the dashboard
    stopped (a process holding the file is detected and refused)."""
    backup, db = Path(backup), Path(db)
    target_evidence = Path(evidence) if evidence is not None else evidence_dir(db)
    manifest = verify_backup(backup)
    _release_live(db)
    stamp = _stamp(now)
    db.parent.mkdir(parents=True, exist_ok=True)
    staged = db.with_name(f"{db.name}.restoring-{os.getpid()}")
    staged.unlink(missing_ok=True)
    expected = next(f["sha256"] for f in manifest.files if f["path"] == manifest.database)
    staged_evidence = None
    try:
        if copy_file(backup / manifest.database, staged, pause_at="restore-copy") != expected:
            raise BackupError(Message("store_backup_file_damaged", {"file": manifest.database}))
        if db.exists():
            shutil.copymode(db, staged)
        staged_evidence = _stage_evidence(backup, manifest, target_evidence)
        before = None
        if db.exists():
            before = link_new(db, f"{db.name}.before-restore-{stamp}")
            wal = db.with_name(db.name + ".wal")
            if wal.exists():  # only beside a file that could not be checkpointed
                os.replace(wal, before.with_name(before.name + ".wal"))
        fault_pause("restore-swap")
        os.replace(staged, db)
        fsync_dir(db.parent)
    except BaseException:
        staged.unlink(missing_ok=True)
        if staged_evidence is not None:
            shutil.rmtree(staged_evidence, ignore_errors=True)
        raise
    evidence_before = _swap_evidence(staged_evidence, target_evidence, stamp)
    return Restored(db, before, target_evidence if manifest.evidence else None, evidence_before)
