"""Copying files so that a crash never leaves a half copy under a complete one's name.

Every copy is written, flushed and fsynced before it is renamed or linked into place, and the
directory is fsynced after, so what a name points to after a power cut is the old file or the
new one. Used by the migration backup and by `backup` and `restore`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

CHUNK = 1 << 20
FAULT_PAUSE = "EVAL_FAULT_PAUSE"


def fault_pause(point: str) -> None:
    """For tests of crashes only: when EVAL_FAULT_PAUSE names this point, say so on stderr
    and wait to be killed, so a test can kill the process exactly here."""
    if os.environ.get(FAULT_PAUSE) == point:
        print(f"{FAULT_PAUSE}: paused at {point}", file=sys.stderr, flush=True)
        while True:
            time.sleep(60)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_file(src: Path, dst: Path, pause_at: str | None = None) -> str:
    """Copy `src` to a new file `dst` (refused if it exists), fsynced; returns the SHA-256 of
    what was written. `pause_at` names the fault point after the first chunk (tests)."""
    digest = hashlib.sha256()
    with open(src, "rb") as fin, open(dst, "xb") as fout:
        first = True
        while chunk := fin.read(CHUNK):
            fout.write(chunk)
            digest.update(chunk)
            if first and pause_at:
                fout.flush()
                fault_pause(pause_at)
            first = False
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


def link_new(src: Path, stem: str, suffix: str = "") -> Path:
    """Hard-link `src` as `<stem><suffix>`, or `<stem>.2<suffix>`, `.3`, … when taken: a
    name is claimed atomically and nothing existing is ever overwritten."""
    n = 1
    while True:
        target = src.with_name(f"{stem}{'' if n == 1 else f'.{n}'}{suffix}")
        try:
            os.link(src, target)
            return target
        except FileExistsError:
            n += 1
