"""Published snapshots: a read-only copy of the database holding only what the public may see.

The writer (the dashboard with sign-in and data management) is the only process that opens
the database read-write. Publishing writes a snapshot into a directory; public replicas serve
that directory read-only (`EVAL_READ_ONLY=1 EVAL_DB=<dir>`) and switch to a newer snapshot
between reruns, without a restart.

What is in it is decided by the access policy, not by a second filter: every table is read
through the Store's readers as the PUBLIC viewer (published rounds; communities and targets
with statuses as at the last published year's end; notes, review notes and deduction reasons
withheld) and written into a fresh file with the schema's own DDL. The audit log and change
log stay empty; accounts live in another file and are never read. Internal indicators' stage
points are copied (scoring needs them for the official totals) and masked by the Reader on
the replicas exactly as on the writer.

A snapshot is written atomically: a hidden temp file in the directory, CHECKPOINT, fsync,
rename to `snapshot-<version>.duckdb`, then the pointer file `current` (JSON: file, version,
sha256, size, schema version) is replaced the same way. A replica switches only to a file
whose size and SHA-256 match its pointer, whose every block reads back (DuckDB's checksums),
whose schema version is its own and whose version is the pointer's; otherwise it logs why and
keeps serving the snapshot it has.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from evalcore.access import PUBLIC
from evalcore.db import Store
from evalcore.duckfile import write_lock_for
from evalcore.schema import SCHEMA_VERSION, TABLES

LOG = logging.getLogger("evalcore.snapshot")

POINTER = "current"
PREFIX = "snapshot-"
SUFFIX = ".duckdb"
KEEP = 3  # snapshot files kept besides the current one's predecessors still in use
KEEP_MIN_AGE_S = 600  # an older file is deleted only when it is also this old
# Where the writer publishes (set on the writer; unset: publishing writes no snapshot).
SNAPSHOT_DIR_ENV = "EVAL_SNAPSHOT_DIR"
RETRY_S = 30.0  # a refused pointer is checked again (a file still being copied in, say)
VERSION = str(SCHEMA_VERSION)  # as the meta table and the pointer write it
_WRITING = threading.Lock()  # one snapshot written at a time in a process


class SnapshotError(RuntimeError):
    """A snapshot could not be written, or a replica refuses one (the reason, in English)."""


def _per_round(read: Callable[[int, object], pd.DataFrame]):
    """A reader of one round's rows as one frame over every round the public may see."""
    def frame(store: Store) -> pd.DataFrame:
        years = [int(y) for y in store.rounds(PUBLIC)["year"]]
        parts = [read(store, y).assign(round_year=y) for y in years]
        return pd.concat(parts, ignore_index=True) if parts else read(store, 0).assign(
            round_year=0).iloc[0:0]
    return frame


def _deductions(store: Store, year: int) -> pd.DataFrame:
    # The schema requires a reason; the public's rows carry none (withheld: NULL), so the
    # snapshot stores an empty text. Readers of the snapshot withhold it again anyway.
    return store.deductions(year, PUBLIC).fillna({"reason": ""})


# Each table of the schema and how the snapshot fills it: a reader of the Store as the PUBLIC
# viewer, in an order that satisfies the foreign keys. A table of the schema in neither this
# table nor NOT_COPIED fails tests/test_snapshot.py: what the public may see of a new table is
# a decision, not a default.
PUBLIC_TABLES: dict[str, Callable[[Store], pd.DataFrame]] = {
    "regions": lambda s: s.regions(),
    "rounds": lambda s: s.rounds(PUBLIC),
    "communities": lambda s: s.communities(PUBLIC),
    "targets": lambda s: s.targets(PUBLIC),
    "inspection_groups": _per_round(lambda s, y: s.inspection_groups(y, PUBLIC)),
    "round_stages": _per_round(lambda s, y: s.round_stages(y, PUBLIC)),
    "scores": _per_round(lambda s, y: s.scores(y, PUBLIC)),
    "bonus_claims": _per_round(lambda s, y: s.bonus_claims(y, PUBLIC)),
    "deductions": _per_round(_deductions),
}
# Never public: who changed what, when; and the round workflow's submissions, evidence and
# problems (the access policy grants the public none of them).
NOT_COPIED = ("audit_log", "change_log", "stage_submissions", "evidence", "problems")
# Written by the snapshot itself: `meta` (the source's dataset label, as-of date and notes on
# the data, with the snapshot's own facts) and `schema_migrations` (as a new file has it).
OWN_TABLES = ("meta", "schema_migrations")


@dataclass(frozen=True)
class Pointer:
    """What `current` says: the file, its version, size and SHA-256, its schema version."""

    file: str
    version: str
    sha256: str
    size: int
    schema_version: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def read(cls, directory: Path) -> Pointer:
        try:
            data = json.loads((directory / POINTER).read_text(encoding="utf-8"))
            return cls(str(data["file"]), str(data["version"]), str(data["sha256"]),
                       int(data["size"]), str(data["schema_version"]))
        except FileNotFoundError as exc:
            raise SnapshotError(f"no pointer file {directory / POINTER}") from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise SnapshotError(f"pointer {directory / POINTER} is not valid: {exc}") from exc


# -- writing ---------------------------------------------------------------------------------

def public_frames(store: Store) -> dict[str, pd.DataFrame]:
    """Every copied table as the PUBLIC viewer reads it."""
    return {table: read(store) for table, read in PUBLIC_TABLES.items()}


def _content_digest(frames: dict[str, pd.DataFrame], meta: dict[str, str]) -> str:
    digest = hashlib.sha256(json.dumps(meta, sort_keys=True).encode())
    for table, frame in frames.items():
        digest.update(table.encode() + b"\0" + ",".join(frame.columns).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _replace_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync(path.parent)


def check_source(store: Store) -> None:
    """Refuse a database whose schema version is not this code's (migrate it first)."""
    found = store.meta().get("schema_version")
    if found != VERSION:
        raise SnapshotError(f"the database has schema version {found!r}, this code writes "
                            f"{VERSION!r}: migrate it before publishing a snapshot")


def write_snapshot(store: Store, directory: Path | str, now: datetime | None = None) -> Pointer:
    """Write the public snapshot of `store` into `directory` and point `current` at it.

    One at a time in a process, each reading the database while no write of this process
    can commit (the file's write lock: the writer is the only process that writes), so a
    snapshot is one consistent state and the last one written holds the latest."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with _WRITING:
        with write_lock_for(store.path):
            check_source(store)
            now = now or datetime.now(UTC)
            frames = public_frames(store)
            meta = {k: v for k, v in store.meta().items() if not k.startswith("snapshot_")}
        return _write(directory, frames, meta, now)


def _write(directory: Path, frames: dict[str, pd.DataFrame], meta: dict[str, str],
           now: datetime) -> Pointer:
    digest = _content_digest(frames, meta)
    version = f"{now:%Y%m%dT%H%M%S%fZ}-{digest[:12]}"
    meta |= {"schema_version": VERSION, "snapshot_version": version,
             "snapshot_created_at": now.isoformat(timespec="seconds"),
             "snapshot_content_sha256": digest}
    name = f"{PREFIX}{version}{SUFFIX}"
    tmp = directory / f".{name}.tmp"
    tmp.unlink(missing_ok=True)
    try:
        _write_file(tmp, frames, meta, now)
        _fsync(tmp)
        pointer = Pointer(name, version, file_sha256(tmp), tmp.stat().st_size, VERSION)
        os.replace(tmp, directory / name)
        _fsync(directory)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    _replace_atomically(directory / POINTER, pointer.to_json())
    LOG.info("snapshot %s written to %s", version, directory)
    prune(directory)
    return pointer


def _write_file(path: Path, frames: dict[str, pd.DataFrame], meta: dict[str, str],
                now: datetime) -> None:
    """A new file at this schema version (Store.initialise: the DDL, and schema_migrations as
    a new file records it), then the public rows and the meta in one transaction."""
    with Store(path, read_only=False) as snap:
        snap.initialise(at=now.replace(tzinfo=None))
        with snap.transaction() as cur:
            for key, value in meta.items():
                cur.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(value)])
            for table, frame in frames.items():
                Store.insert_frame(cur, table, frame)
        snap.checkpoint()


def prune(directory: Path, keep: int = KEEP, min_age_s: float = KEEP_MIN_AGE_S) -> list[Path]:
    """Delete snapshot files beyond the newest `keep` that are older than `min_age_s` (a
    replica may still be reading one: on POSIX an open file outlives its name anyway)."""
    current = _current_file(directory)
    for stale in directory.glob(f".{PREFIX}*.tmp*"):  # a write that crashed
        if time.time() - stale.stat().st_mtime > min_age_s:
            stale.unlink(missing_ok=True)
    files = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"), key=lambda p: p.name, reverse=True)
    removed = []
    for path in files[keep:]:
        if path.name != current and time.time() - path.stat().st_mtime > min_age_s:
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _current_file(directory: Path) -> str | None:
    try:
        return Pointer.read(directory).file
    except SnapshotError:
        return None


def publish_if_configured(store: Store) -> Pointer | None:
    """After a publish commits: the snapshot, when this process publishes one
    (EVAL_SNAPSHOT_DIR). A failure is logged and reported, never undoes the publish."""
    directory = os.environ.get(SNAPSHOT_DIR_ENV)
    if not directory:
        return None
    return write_snapshot(store, directory)


# -- reading -----------------------------------------------------------------------------------

def verify(directory: Path, pointer: Pointer) -> Path:
    """The snapshot file `pointer` names, if a replica may switch to it; else SnapshotError."""
    if pointer.schema_version != VERSION:
        raise SnapshotError(f"schema version {pointer.schema_version!r} is not this "
                            f"replica's {VERSION!r}")
    path = directory / pointer.file
    if Path(pointer.file).name != pointer.file or not pointer.file.startswith(PREFIX):
        raise SnapshotError(f"pointer names {pointer.file!r}, not a snapshot file")
    if not path.is_file():
        raise SnapshotError(f"{path.name} is missing")
    if path.stat().st_size != pointer.size:
        raise SnapshotError(f"{path.name} has {path.stat().st_size} bytes, not {pointer.size}")
    if file_sha256(path) != pointer.sha256:
        raise SnapshotError(f"{path.name} does not match its SHA-256 (corrupt)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise SnapshotError(f"{path.name} does not open: {str(exc).splitlines()[0]}") from exc
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
                  .fetchall()}
        for table in sorted(tables & set(TABLES)):
            # Every row of every table read once: DuckDB checks each block's checksum as it
            # reads it, so a file damaged before its pointer was written is found here, not
            # by a visitor. Table names from the schema, not from the file.
            con.execute(f"SELECT bit_xor(hash(t)) FROM {table} t").fetchall()  # noqa: S608
    except duckdb.Error as exc:
        raise SnapshotError(f"{path.name} cannot be read: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    if meta.get("schema_version") != VERSION:
        raise SnapshotError(f"{path.name} has schema version {meta.get('schema_version')!r}, "
                            f"this replica reads {VERSION!r}")
    if meta.get("snapshot_version") != pointer.version:
        raise SnapshotError(f"{path.name} holds version {meta.get('snapshot_version')!r}, "
                            f"the pointer says {pointer.version!r}")
    if missing := set(TABLES) - tables:
        raise SnapshotError(f"{path.name} lacks tables {sorted(missing)}")
    return path


class Watcher:
    """One replica's view of a snapshot directory: the newest snapshot it has accepted.

    `current()` costs one stat of the pointer while nothing changed; a changed pointer is
    verified once (under a lock) and either switched to or refused with a logged reason, in
    which case the previous snapshot keeps being served."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.accepted: Path | None = None
        self.version: str | None = None
        self.pointer: Pointer | None = None
        self.refused: dict[str, str] = {}  # reason → when (what was refused, for tests/logs)
        self._seen: tuple | None = None
        self._retry_at = 0.0  # a refused pointer is checked again after RETRY_S
        self._lock = threading.Lock()

    def _stat(self) -> tuple | None:
        try:
            s = (self.directory / POINTER).stat()
        except OSError:
            return None
        return (s.st_ino, s.st_mtime_ns, s.st_size)

    def current(self) -> Path | None:
        """The accepted snapshot's path (None: none valid yet)."""
        seen = self._stat()
        if seen == self._seen and time.monotonic() < self._retry_at:
            return self.accepted
        with self._lock:
            if seen != self._seen or time.monotonic() >= self._retry_at:
                self._seen = seen
                self._retry_at = time.monotonic() + (RETRY_S if self._check() else 1e12)
            return self.accepted

    def _check(self) -> bool:
        """Switch to the pointer's snapshot if it is valid; True when it was refused."""
        try:
            pointer = Pointer.read(self.directory)
            if pointer == self.pointer:
                return False
            path = verify(self.directory, pointer)
        except SnapshotError as exc:
            self.refused[str(exc)] = time.strftime("%Y-%m-%dT%H:%M:%S")
            LOG.warning("snapshot refused: %s; still serving %s", exc, self.version or "none")
            return True
        self.accepted, self.version, self.pointer = path, pointer.version, pointer
        LOG.info("serving snapshot %s", pointer.version)
        return False


_WATCHERS: dict[Path, Watcher] = {}
_WATCHERS_GUARD = threading.Lock()


def watcher(directory: Path) -> Watcher:
    key = directory.resolve()
    with _WATCHERS_GUARD:
        return _WATCHERS.setdefault(key, Watcher(key))


def is_snapshot_dir(path: Path) -> bool:
    return path.is_dir()


def resolve(path: Path) -> Path:
    """The database file to read: `path` itself, or for a snapshot directory its accepted
    snapshot (a name that does not exist while none is valid, so the app says so)."""
    if not is_snapshot_dir(path):
        return path
    return watcher(path).current() or path / "no-valid-snapshot.duckdb"


def readiness(path: Path) -> tuple[bool, dict[str, str | None]]:
    """(ready, facts) of a server configured with `path`: a database file must exist; a
    snapshot directory must have a snapshot this process accepted (its version is given)."""
    resolved = resolve(path)
    version = watcher(path).version if is_snapshot_dir(path) else None
    return resolved.exists(), {"snapshot": version}

