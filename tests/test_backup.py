"""Backup and restore: round trip, damaged and partial backups refused with the live data
untouched, processes killed in the middle of a backup and of a restore."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from evalcore.__main__ import main
from evalcore.backup import (
    MANIFEST,
    BackupError,
    create_backup,
    read_manifest,
    restore_backup,
    verify_backup,
)
from evalcore.db import Store
from evalcore.paths import ROOT
from evalcore.safefile import FAULT_PAUSE
from evalcore.schema import SCHEMA_VERSION
from tests.fixtures.schema.make_v1 import table_digests

STAMP = re.compile(r"20\d{6}T\d{6}Z(-\d+)?")
EVIDENCE = {"a/scan-2023.pdf": 1_500_000, "b/现场照片.jpg": 10_000, "note.txt": 0}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): _sha(p) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def live(writable_db: Path) -> Path:
    """The demo as a live database with an evidence folder beside it (one file > 1 MiB, so a
    copy can be stopped after its first chunk)."""
    db = writable_db.parent / "live" / "evaluation.duckdb"
    db.parent.mkdir()
    writable_db.rename(db)
    rng = random.Random(42)
    for name, size in EVIDENCE.items():
        path = db.with_name("evaluation.duckdb.evidence") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(size))
    return db


def _change(db: Path) -> None:
    with Store(db, read_only=False) as store:
        store.set_published(2023, True, actor="test")


def _complete(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if STAMP.fullmatch(p.name))


# -- round trip ----------------------------------------------------------------------------

def test_backup_then_restore_gives_identical_contents(live: Path, tmp_path: Path) -> None:
    original, evidence = table_digests(live), _tree(live.with_name("evaluation.duckdb.evidence"))
    backup = create_backup(tmp_path / "backups", live)
    assert STAMP.fullmatch(backup.name) and _complete(tmp_path / "backups") == [backup]
    assert table_digests(backup / "evaluation.duckdb") == original  # opens directly
    _change(live)
    (live.with_name("evaluation.duckdb.evidence") / "note.txt").write_text("changed")
    changed = table_digests(live)
    assert changed != original

    done = restore_backup(backup, live)
    assert table_digests(live) == original
    assert _tree(live.with_name("evaluation.duckdb.evidence")) == evidence
    assert done.before.name.startswith("evaluation.duckdb.before-restore-20")
    assert table_digests(done.before) == changed  # the previous live file is kept
    assert (done.evidence_before / "note.txt").read_text() == "changed"
    assert sorted(p.name for p in live.parent.iterdir()) == sorted(
        ["evaluation.duckdb", done.before.name, "evaluation.duckdb.evidence",
         done.evidence_before.name])
    with Store(live, read_only=False) as store:  # and it goes on: the audit sequence too
        last = store.scalar("SELECT max(id) FROM audit_log")
        assert store.set_published(2023, True, actor="test") == last + 1


def test_the_manifest_lists_every_file_with_size_and_hash(live: Path, tmp_path: Path) -> None:
    now = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    backup = create_backup(tmp_path, live, now=now)
    assert backup.name == "20261129T020000Z"
    assert backup.stat().st_mode & 0o777 == 0o700  # unencrypted data: its owner only
    data = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION and data["created_at"] == now.isoformat()
    assert data["database"] == "evaluation.duckdb" and data["evidence"] is True
    listed = {f["path"]: f for f in data["files"]}
    assert set(listed) == {"evaluation.duckdb", *(f"evidence/{n}" for n in EVIDENCE)}
    for path, entry in listed.items():
        assert entry["size"] == (backup / path).stat().st_size
        assert entry["sha256"] == _sha(backup / path)
    assert listed["evidence/a/scan-2023.pdf"]["size"] == EVIDENCE["a/scan-2023.pdf"]
    assert create_backup(tmp_path, live, now=now).name == "20261129T020000Z-2"  # same second


def test_without_an_evidence_folder_the_database_alone(writable_db: Path, tmp_path) -> None:
    backup = create_backup(tmp_path / "out", writable_db)
    manifest = verify_backup(backup)
    assert not manifest.evidence and [f["path"] for f in manifest.files] == ["copy.duckdb"]
    done = restore_backup(backup, writable_db)
    assert done.evidence is None and not writable_db.with_name("copy.duckdb.evidence").exists()


def test_restore_to_a_new_place(live: Path, tmp_path: Path) -> None:
    backup = create_backup(tmp_path / "out", live)
    target = tmp_path / "elsewhere" / "restored.duckdb"
    done = restore_backup(backup, target)
    assert done.before is None and table_digests(target) == table_digests(live)
    assert _tree(target.with_name("restored.duckdb.evidence")) == _tree(
        live.with_name("evaluation.duckdb.evidence"))


def test_a_commit_left_in_the_write_ahead_log_is_backed_up(writable_db, tmp_path) -> None:
    """A process killed after committing leaves its write in the .wal beside the file."""
    crash = textwrap.dedent("""
        import os, signal, sys
        from evalcore.db import Store
        store = Store(sys.argv[1], read_only=False)
        store.set_published(2023, True, actor="crashed")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    subprocess.run([sys.executable, "-c", crash, str(writable_db)], cwd=ROOT, check=False)
    assert writable_db.with_name("copy.duckdb.wal").exists()
    backup = create_backup(tmp_path / "out", writable_db)
    with Store(backup / "copy.duckdb") as copy:
        assert copy.audit_entries(actor="crashed")["action"].tolist() == ["publish"]


def test_an_older_file_is_backed_up_as_it_is(tmp_path: Path) -> None:
    old = tmp_path / "evaluation.duckdb"
    shutil.copyfile(ROOT / "tests/fixtures/schema/v1.duckdb", old)
    digest = _sha(old)
    backup = create_backup(tmp_path / "out", old)
    assert _sha(old) == digest and read_manifest(backup).schema_version == 1
    target = tmp_path / "restored.duckdb"
    restore_backup(backup, target)
    with Store(target, read_only=False) as store:  # migrated when next opened
        assert store.meta()["schema_version"] == str(SCHEMA_VERSION)
        assert store.migrated.from_version == 1


# -- refusals: nothing changes -------------------------------------------------------------

def _flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def _unchanged(live: Path) -> tuple:
    return _sha(live), sorted(p.name for p in live.parent.iterdir()), _tree(
        live.with_name("evaluation.duckdb.evidence"))


@pytest.mark.parametrize("damaged", ["evaluation.duckdb", "evidence/a/scan-2023.pdf"])
def test_a_damaged_backup_is_refused_naming_the_file(live, tmp_path, damaged) -> None:
    backup = create_backup(tmp_path / "out", live)
    _change(live)
    before = _unchanged(live)
    _flip_byte(backup / damaged, (backup / damaged).stat().st_size // 2)
    with pytest.raises(BackupError) as refused:
        restore_backup(backup, live)
    assert refused.value.message.code == "store_backup_file_damaged"
    assert damaged in str(refused.value) and damaged in refused.value.render("zh")
    assert _unchanged(live) == before


def test_a_missing_file_is_refused(live: Path, tmp_path: Path) -> None:
    backup = create_backup(tmp_path / "out", live)
    (backup / "evidence" / "note.txt").unlink()
    before = _unchanged(live)
    with pytest.raises(BackupError, match="evidence/note.txt is missing"):
        restore_backup(backup, live)
    assert _unchanged(live) == before


def test_a_directory_without_manifest_is_not_a_backup(live: Path, tmp_path: Path) -> None:
    backup = create_backup(tmp_path / "out", live)
    (backup / MANIFEST).unlink()
    with pytest.raises(BackupError, match="not a complete backup"):
        restore_backup(backup, live)


@pytest.fixture
def newer_backup(writable_db: Path, tmp_path: Path) -> Path:
    con = duckdb.connect(str(writable_db))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    return create_backup(tmp_path / "out", writable_db)


def test_a_backup_of_a_newer_schema_is_refused(newer_backup: Path, live: Path) -> None:
    before = _unchanged(live)
    with pytest.raises(BackupError) as refused:
        restore_backup(newer_backup, live)
    assert refused.value.message.code == "store_backup_schema_newer"
    assert "999" in str(refused.value) and str(SCHEMA_VERSION) in str(refused.value)
    assert _unchanged(live) == before


def test_a_manifest_that_hides_a_newer_schema_is_refused(newer_backup, live) -> None:
    manifest = json.loads((newer_backup / MANIFEST).read_text())
    manifest["schema_version"] = SCHEMA_VERSION
    (newer_backup / MANIFEST).write_text(json.dumps(manifest))
    before = _unchanged(live)
    with pytest.raises(BackupError, match=f"says schema version {SCHEMA_VERSION} but its "
                                          "database file has 999"):
        restore_backup(newer_backup, live)
    assert _unchanged(live) == before


def test_a_manifest_path_outside_the_backup_is_refused(live: Path, tmp_path: Path) -> None:
    backup = create_backup(tmp_path / "out", live)
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["files"][1]["path"] = "../../evaluation.duckdb"
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="bad path"):
        restore_backup(backup, live)


# -- a live dashboard ------------------------------------------------------------------------

HOLD = textwrap.dedent("""
    import sys, time
    from evalcore.db import Store
    store = Store(sys.argv[1], read_only=sys.argv[2] == "ro")
    store.meta()
    print("open", flush=True)
    time.sleep(60)
""")


def _holding(db: Path, mode: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), mode], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_read_write_dashboard_keeps_backup_and_restore_out(live: Path, tmp_path) -> None:
    """DuckDB lets no other process open a file one holds read-write, even read-only."""
    good = create_backup(tmp_path / "out", live)
    proc = _holding(live, "rw")
    try:
        with pytest.raises(BackupError) as refused:
            create_backup(tmp_path / "out", live)
        assert refused.value.message.code == "store_backup_in_use"
        before = _sha(live)
        with pytest.raises(BackupError) as refused:
            restore_backup(good, live)
        assert refused.value.message.code == "store_restore_in_use"
        assert _sha(live) == before
    finally:
        proc.kill()
        proc.wait()
    assert _complete(tmp_path / "out") == [good]
    assert not any(p.name.startswith(".partial") for p in (tmp_path / "out").iterdir())


def test_a_read_only_dashboard_can_be_backed_up_live(live: Path, tmp_path: Path) -> None:
    proc = _holding(live, "ro")
    try:
        backup = create_backup(tmp_path / "out", live)
    finally:
        proc.kill()
        proc.wait()
    assert table_digests(backup / "evaluation.duckdb") == table_digests(live)


def test_the_writer_process_backs_up_through_its_own_store(live: Path, tmp_path: Path) -> None:
    with Store(live, read_only=False) as store:
        store.set_published(2023, True, actor="writer")
        backup = create_backup(tmp_path / "out", live, store=store)
        store.set_published(2023, False, actor="writer")  # still writing afterwards
        expected = store.audit_entries(actor="writer")
    with Store(backup / "evaluation.duckdb") as copy:
        assert copy.audit_entries(actor="writer")["action"].tolist() == ["publish"]
        assert len(expected) == 2


def test_a_read_only_store_backs_up_through_itself(live: Path, tmp_path: Path) -> None:
    with Store(live) as store:
        backup = create_backup(tmp_path / "out", live, store=store)
    assert table_digests(backup / "evaluation.duckdb") == table_digests(live)


# -- killed in the middle ---------------------------------------------------------------------

def _killed_at(point: str, *args: str) -> None:
    """Run `python -m evalcore ARGS` until it reaches the fault point, then SIGKILL it."""
    env = {**os.environ, FAULT_PAUSE: point}
    proc = subprocess.Popen([sys.executable, "-m", "evalcore", *args], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        said = []
        while not said or f"paused at {point}" not in said[-1]:
            said.append(proc.stderr.readline())
            assert said[-1], "ended before the fault point: " + "".join(said)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("point", ["backup-copy", "backup-publish"])
def test_a_backup_killed_midway_is_never_taken_for_a_complete_one(live, tmp_path, point):
    out = tmp_path / "out"
    before, contents = _unchanged(live), table_digests(live)
    _killed_at(point, "backup", "--out", str(out), "--db", str(live))
    assert _complete(out) == []  # only a .partial-… directory is left
    [partial] = [p for p in out.iterdir()]
    assert partial.name.startswith(".partial-")
    if point == "backup-copy":  # stopped within the evidence's big file
        copied = partial / "evidence" / "a" / "scan-2023.pdf"
        assert 0 < copied.stat().st_size < EVIDENCE["a/scan-2023.pdf"]
        with pytest.raises(BackupError, match="not a complete backup"):
            restore_backup(partial, live)
    assert _unchanged(live) == before and table_digests(live) == contents
    assert main(["backup", "--out", str(out), "--db", str(live)]) == 0  # the next one works
    assert len(_complete(out)) == 1


@pytest.mark.parametrize("point", ["restore-copy", "restore-swap"])
def test_a_restore_killed_midway_leaves_the_live_data_intact(live, tmp_path, point) -> None:
    backup = create_backup(tmp_path / "out", live)
    original = table_digests(live)
    _change(live)
    before, contents = _sha(live), table_digests(live)
    evidence = _tree(live.with_name("evaluation.duckdb.evidence"))
    _killed_at(point, "restore", str(backup), "--db", str(live))
    assert _sha(live) == before and table_digests(live) == contents
    with Store(live) as store:  # opens as ever
        assert store.audit_entries(actor="test")["action"].tolist() == ["publish"]
    assert _tree(live.with_name("evaluation.duckdb.evidence")) == evidence
    assert len(list(live.parent.glob("evaluation.duckdb.restoring-*"))) == 1  # under its own name
    assert main(["restore", str(backup), "--db", str(live)]) == 0  # done again, whole
    assert table_digests(live) == original


def test_commands_say_what_they_did(live: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["backup", "--out", str(out), "--db", str(live)]) == 0
    [backup] = _complete(out)
    said = capsys.readouterr().out
    assert f"backup written to {backup}: 4 file(s)" in said
    assert f"schema version {SCHEMA_VERSION}" in said
    assert main(["restore", str(backup), "--db", str(live), "--lang", "zh"]) == 0
    said = capsys.readouterr().out
    assert "已从" in said and "before-restore" in said and "证据文件夹" in said
    _flip_byte(backup / "evaluation.duckdb", 5000)
    assert main(["restore", str(backup), "--db", str(live)]) == 1
    assert "evaluation.duckdb does not match its manifest" in capsys.readouterr().err
