"""The published snapshot: what it holds (what the public sees, nothing more), how it is
written (atomically, with a version and checksum) and how replicas switch to it or refuse it."""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from evalcore import snapshot
from evalcore.__main__ import main
from evalcore.access import PUBLIC
from evalcore.actions import CLI, set_published
from evalcore.db import Store, StoreError
from evalcore.reader import Reader
from evalcore.schema import SCHEMA_VERSION, TABLES
from evalcore.vocab import LEVELS

MARK = "PLANTED-SECRET"


@pytest.fixture
def snap_dir(tmp_path: Path) -> Path:
    return tmp_path / "snapshots"


def _write(db: Path, directory: Path, **kw) -> snapshot.Pointer:
    with Store(db) as store:
        return snapshot.write_snapshot(store, directory, **kw)


def test_every_table_of_the_schema_is_decided() -> None:
    """A new table must be added to PUBLIC_TABLES (with its public reader), NOT_COPIED or
    OWN_TABLES."""
    decided = set(snapshot.PUBLIC_TABLES) | set(snapshot.NOT_COPIED) | set(snapshot.OWN_TABLES)
    assert decided == set(TABLES)


def _plant(db: Path) -> None:
    """Markers wherever the public must not look: every note, review note and reason, the
    inspection groups' people, the audit and change logs, a draft round's case title and an
    unpublished year's community."""
    with Store(db, read_only=False) as store, store.transaction() as cur:
        cur.execute("UPDATE scores SET note = ?", [f"{MARK}-note"])
        cur.execute("UPDATE bonus_claims SET review_note = ?", [f"{MARK}-review"])
        cur.execute("UPDATE deductions SET reason = ?", [f"{MARK}-reason"])
        cur.execute("UPDATE inspection_groups SET leader_name = ?, leader_title = ?, "
                    "members = ?", [f"{MARK}-leader", f"{MARK}-title", f"{MARK}-members"])
        cur.execute("UPDATE bonus_claims SET case_title = ? WHERE round_year = "
                    "(SELECT max(year) FROM rounds WHERE NOT published)", [f"{MARK}-draft-case"])
        cur.execute("UPDATE communities SET name = ? WHERE batch_year > "
                    "(SELECT max(year) FROM rounds WHERE published)", [f"{MARK}-future"])
        Store.audit(cur, f"{MARK}-actor", "import", {"file": f"{MARK}-audit"},
                    at=datetime(2024, 1, 1))
        cur.execute("INSERT INTO change_log VALUES (1, 'scores', ?, ?, ?)",
                    [f"{MARK}-key", f"{MARK}-old", f"{MARK}-new"])


def _all_text(path: Path) -> str:
    """Every value of every table of a database file, as text."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()]
        parts = []
        for table in tables:
            rows = con.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
            parts += [repr(row) for row in rows]
        return "\n".join(parts)
    finally:
        con.close()


def test_snapshot_holds_no_note_reason_audit_row_account_or_draft(writable_db, snap_dir,
                                                                  monkeypatch, tmp_path):
    _plant(writable_db)
    # An account in the users database the app would use: the snapshot never reads it.
    from evalcore.auth import AccountStore

    users = tmp_path / "users.duckdb"
    monkeypatch.setenv("EVAL_USERS_DB", str(users))
    with AccountStore(users) as accounts:
        accounts.add(f"{MARK.lower()}-account", "correct horse battery", "admin")
    assert MARK in _all_text(writable_db)
    pointer = _write(writable_db, snap_dir)
    text = _all_text(snap_dir / pointer.file)
    assert MARK not in text and MARK.lower() not in text
    with Store(snap_dir / pointer.file) as snap:
        counts = snap.table_counts()
        assert counts["audit_log"] == counts["change_log"] == 0
        assert snap.rounds()["published"].all()
        assert snap.scores(int(snap.rounds()["year"].max()))["note"].isna().all()


def test_public_readers_see_the_same_on_the_snapshot(demo_db_path, snap_dir):
    """Every question a public page asks gets the same answer from the snapshot."""
    pointer = _write(demo_db_path, snap_dir)
    with Store(demo_db_path) as source, Store(snap_dir / pointer.file) as snap:
        before, after = Reader(source, PUBLIC), Reader(snap, PUBLIC)
        pd.testing.assert_frame_equal(before.rounds(), after.rounds())
        pd.testing.assert_frame_equal(before.communities(), after.communities())
        pd.testing.assert_frame_equal(before.targets(), after.targets())
        for year in before.rounds()["year"]:
            for level in LEVELS:
                pd.testing.assert_frame_equal(before.board(year, level, "final", None),
                                              after.board(year, level, "final", None))
                pd.testing.assert_frame_equal(before.indicator_table(year, level, None),
                                              after.indicator_table(year, level, None))
            pd.testing.assert_frame_equal(before.progress(year), after.progress(year))
            pd.testing.assert_frame_equal(before.deduction_reasons(year),
                                          after.deduction_reasons(year))
            pd.testing.assert_frame_equal(before.inspection_groups(year),
                                          after.inspection_groups(year))
        assert before.status_as_of("330106") == after.status_as_of("330106")


def test_written_atomically_with_version_checksum_and_pointer(demo_db_path, snap_dir):
    pointer = _write(demo_db_path, snap_dir, now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    path = snap_dir / pointer.file
    assert pointer.file == f"snapshot-{pointer.version}.duckdb"
    assert pointer.version.startswith("20260102T030405")
    assert json.loads((snap_dir / "current").read_text())["file"] == pointer.file
    assert pointer.sha256 == snapshot.file_sha256(path) and pointer.size == path.stat().st_size
    with Store(path) as snap:
        meta = snap.meta()
    assert meta["snapshot_version"] == pointer.version
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    # Nothing half-written is left beside it: no temp file, no WAL.
    assert sorted(p.name for p in snap_dir.iterdir()) == ["current", pointer.file]
    assert snapshot.verify(snap_dir, pointer) == path


def test_old_snapshots_are_pruned_but_the_newest_kept(demo_db_path, snap_dir):
    names = [_write(demo_db_path, snap_dir, now=datetime(2026, 1, 1, 0, 0, s, tzinfo=UTC)).file
             for s in range(5)]
    for name in names:  # all older than the minimum age
        os.utime(snap_dir / name, (0, 0))
    snapshot.prune(snap_dir)
    assert sorted(p.name for p in snap_dir.glob("snapshot-*")) == sorted(names[-3:])


def test_a_database_of_another_schema_version_is_not_snapshotted(writable_db, snap_dir):
    with Store(writable_db, read_only=False) as store, store.transaction() as cur:
        cur.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    # The Store refuses to open an older file read-only (migrate it first); a writer's
    # read-write store has migrated it: the snapshot checks again either way.
    with pytest.raises((snapshot.SnapshotError, StoreError), match="0"):
        _write(writable_db, snap_dir)
    with Store(writable_db) as store, pytest.raises(snapshot.SnapshotError, match="'0'"):
        store.meta = lambda: {"schema_version": "0"}
        snapshot.check_source(store)
    assert not snap_dir.exists() or not list(snap_dir.iterdir())


# -- replicas: switching and refusing -------------------------------------------------------

def _watch(directory: Path) -> snapshot.Watcher:
    return snapshot.Watcher(directory.resolve())


def test_a_replica_switches_to_a_newer_snapshot(demo_db_path, snap_dir):
    first = _write(demo_db_path, snap_dir)
    watcher = _watch(snap_dir)
    assert watcher.current().name == first.file
    assert watcher.current().name == first.file  # unchanged pointer: one stat, same answer
    second = _write(demo_db_path, snap_dir, now=datetime(2099, 1, 1, tzinfo=UTC))
    assert watcher.current().name == second.file and watcher.version == second.version


def _point_at(directory: Path, name: str, data: bytes, schema_version: str = snapshot.VERSION,
              version: str = "20990101T000000000000Z-bad") -> None:
    (directory / name).write_bytes(data)
    pointer = snapshot.Pointer(name, version, snapshot.hashlib.sha256(data).hexdigest(),
                               len(data), schema_version)
    (directory / "current").write_text(pointer.to_json())


def _other_schema(directory: Path, version: str) -> bytes:
    """A valid DuckDB file that says it has another schema version."""
    path = directory / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '999'), ('snapshot_version', ?)",
                [version])
    con.close()
    data = path.read_bytes()
    path.unlink()
    return data


@pytest.mark.parametrize(("case", "reason"), [
    ("garbage", "does not open"),
    ("flipped", "SHA-256"),
    ("truncated", "bytes, not"),
    ("damaged", ""),  # damaged before its pointer was written: does not open, or a block
    # fails its checksum when read (which, depends on where the damage lands)
    ("schema", "schema version '999'"),
    ("pointer-schema", "schema version '999'"),
    ("pointer-garbage", "not valid"),
    ("missing", "missing"),
])
def test_a_bad_snapshot_is_refused_with_a_logged_reason_and_the_previous_kept(
        demo_db_path, snap_dir, caplog, case, reason):
    good = _write(demo_db_path, snap_dir)
    watcher = _watch(snap_dir)
    assert watcher.current().name == good.file
    name, version = "snapshot-20990101T000000000000Z-bad.duckdb", "20990101T000000000000Z-bad"
    valid = (snap_dir / good.file).read_bytes()
    if case == "garbage":
        _point_at(snap_dir, name, os.urandom(1 << 16))
    elif case in ("flipped", "truncated"):
        shutil.copyfile(snap_dir / good.file, snap_dir / name)
        _point_at(snap_dir, name, valid, version=version)
        with (snap_dir / name).open("r+b") as f:
            if case == "flipped":
                f.seek(len(valid) // 2)
                f.write(bytes([valid[len(valid) // 2] ^ 0xFF]))
            else:
                f.truncate(len(valid) // 2)
    elif case == "damaged":
        data = bytearray(valid)
        data[len(data) // 4: 3 * len(data) // 4] = os.urandom(3 * len(data) // 4 - len(data) // 4)
        _point_at(snap_dir, name, bytes(data), version=good.version)
    elif case == "schema":
        _point_at(snap_dir, name, _other_schema(snap_dir, version), version=version)
    elif case == "pointer-schema":
        _point_at(snap_dir, name, valid, schema_version="999")
    elif case == "pointer-garbage":
        (snap_dir / "current").write_text("{not json")
    elif case == "missing":
        (snap_dir / "current").write_text(snapshot.Pointer(
            name, version, "0" * 64, 1, snapshot.VERSION).to_json())
    with caplog.at_level(logging.WARNING, logger="evalcore.snapshot"):
        assert watcher.current().name == good.file
    assert reason in caplog.text and "still serving" in caplog.text
    assert any(reason in r for r in watcher.refused)


def test_resolve_names_a_missing_file_while_no_snapshot_is_valid(snap_dir):
    snap_dir.mkdir()
    path = snapshot.resolve(snap_dir)
    assert not path.exists() and path.parent == snap_dir.resolve()


# -- publishing writes it ------------------------------------------------------------------

def test_publishing_writes_a_snapshot_with_the_new_round(writable_db, snap_dir, monkeypatch):
    monkeypatch.setenv(snapshot.SNAPSHOT_DIR_ENV, str(snap_dir))
    with Store(writable_db, read_only=False) as store:
        draft = int(store.rounds().query("not published")["year"].max())
        set_published(store, CLI, draft, True)
    with Store(snap_dir / snapshot.Pointer.read(snap_dir).file) as snap:
        assert draft in set(snap.rounds()["year"])


def test_without_a_snapshot_directory_publishing_writes_none(writable_db, tmp_path,
                                                            monkeypatch):
    monkeypatch.delenv(snapshot.SNAPSHOT_DIR_ENV, raising=False)
    with Store(writable_db, read_only=False) as store:
        set_published(store, CLI, 2022, False)
    assert not list(tmp_path.glob("**/current"))


def test_a_failing_snapshot_leaves_the_publish_committed(writable_db, snap_dir, monkeypatch,
                                                         caplog):
    monkeypatch.setenv(snapshot.SNAPSHOT_DIR_ENV, str(snap_dir))

    def broken(store, directory):
        raise OSError("disk full")

    monkeypatch.setattr(snapshot, "write_snapshot", broken)
    with Store(writable_db, read_only=False) as store, caplog.at_level(logging.ERROR):
        set_published(store, CLI, 2023, True)
        assert bool(store.rounds().set_index("year").loc[2023, "published"])
    assert "snapshot was not written" in caplog.text


def test_cli_snapshot(demo_db_path, snap_dir, capsys):
    assert main(["snapshot", "--db", str(demo_db_path), "--out", str(snap_dir)]) == 0
    pointer = snapshot.Pointer.read(snap_dir)
    assert pointer.version in capsys.readouterr().out
    assert main(["snapshot", "--db", str(snap_dir / "nothing.duckdb"),
                 "--out", str(snap_dir)]) == 1


def test_a_snapshot_directory_is_served_read_only(snap_dir, monkeypatch):
    from evalcore.manage import read_only_deployment

    snap_dir.mkdir()
    monkeypatch.delenv("EVAL_READ_ONLY", raising=False)
    monkeypatch.setenv("EVAL_DB", str(snap_dir))
    assert read_only_deployment()


def test_concurrent_publishes_leave_the_latest_state_current(writable_db, snap_dir,
                                                            monkeypatch):
    """Admins publish and unpublish at once: snapshots are written one at a time, each from one
    consistent state, so the one `current` names at the end holds every change."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv(snapshot.SNAPSHOT_DIR_ENV, str(snap_dir))
    with Store(writable_db, read_only=False) as store:
        changes = [(2023, True), (2020, False), (2021, False)]
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda c: set_published(store, CLI, *c), changes))
        expected = sorted(store.rounds(PUBLIC)["year"])
    with Store(snap_dir / snapshot.Pointer.read(snap_dir).file) as snap:
        assert sorted(snap.rounds()["year"]) == expected == [2022, 2023]
