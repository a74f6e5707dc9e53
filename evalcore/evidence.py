"""Evidence files (佐证材料): checked by content, stored by content hash outside the database.

A file is accepted when its content (not its name) is a PDF, JPEG, PNG, DOCX or XLSX, it is
within the size limits, and, for the two Office formats, its zip archive declares sizes that
cannot inflate into a bomb. Anything else (archives, executables, a zip renamed .docx, text)
is refused with a Message naming the file and the reason. Accepted files are written to
`<root>/<sha256[:2]>/<sha256>` (root: paths.evidence_dir, beside the database): the name a user gave is kept as metadata only and never used
as a path, and the same content is stored once. No Streamlit, no SQL (the database keeps the
hash and metadata: Store.evidence rows).
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype

from evalcore.messages import Message, MessageError

# media type → what users call it; the only types accepted.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}
OFFICE_TYPES = {t for t, name in ALLOWED_TYPES.items() if name in ("DOCX", "XLSX")}
MAX_FILE_BYTES = 20 * 1024 * 1024  # one file
MAX_UNIT_ROUND_BYTES = 200 * 1024 * 1024  # all of one unit's evidence in one round
MAX_INFLATED_BYTES = 100 * 1024 * 1024  # what an Office file's zip may declare, in all
MAX_RATIO = 100  # declared uncompressed ÷ compressed, per member


class EvidenceRefused(MessageError):
    """The file is not accepted as evidence (type, size or structure); nothing was stored."""


@dataclass(frozen=True)
class EvidenceFile:
    """An accepted file: its hash (the storage key), size, type and the name it came with."""

    sha256: str
    size_bytes: int
    media_type: str
    file_name: str


def _evidence_refusal(code: str, name: str, **params) -> EvidenceRefused:
    return EvidenceRefused(Message(code, {"file": name, **params}))


def display_name(name: str) -> str:
    """The base name only, without path parts or control characters, at most 120 characters
    (metadata for people; never a path)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if ch.isprintable()).strip()
    return clean[:120] or "file"


def _check_office(data: bytes, name: str) -> None:
    """An Office file is a zip: its declared sizes must stay within the limits, checked
    before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise _evidence_refusal("evidence_damaged", name) from exc
    total = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if total > MAX_INFLATED_BYTES or ratio > MAX_RATIO:
        raise _evidence_refusal("evidence_bomb", name)


def check(data: bytes, name: str) -> EvidenceFile:
    """The accepted file's description, or EvidenceRefused: decided by content alone."""
    name = display_name(name)
    if not data:
        raise _evidence_refusal("evidence_empty", name)
    if len(data) > MAX_FILE_BYTES:
        raise _evidence_refusal("evidence_too_large", name, limit_mb=MAX_FILE_BYTES // 2**20)
    media_type = filetype.guess_mime(data)
    if media_type not in ALLOWED_TYPES:
        raise _evidence_refusal("evidence_type", name, allowed=list(ALLOWED_TYPES.values()))
    if media_type in OFFICE_TYPES:
        _check_office(data, name)
    return EvidenceFile(hashlib.sha256(data).hexdigest(), len(data), media_type, name)


def check_quota(used_bytes: int, adding: EvidenceFile) -> None:
    """Refuse a file that would take a unit's evidence in a round above the limit."""
    if used_bytes + adding.size_bytes > MAX_UNIT_ROUND_BYTES:
        raise _evidence_refusal("evidence_quota", adding.file_name,
                      limit_mb=MAX_UNIT_ROUND_BYTES // 2**20)


def stored_path(root: Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return root / sha256[:2] / sha256


def store(root: Path, data: bytes, accepted: EvidenceFile) -> Path:
    """Write the content under its hash (once; atomically: a temp file renamed)."""
    target = stored_path(root, accepted.sha256)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
        tmp.write(data)
        tmp.flush()
        os.fsync(tmp.fileno())
    os.replace(tmp.name, target)
    return target


def read(root: Path, sha256: str) -> bytes:
    """A stored file's bytes (the caller has checked the viewer may see it)."""
    return stored_path(root, sha256).read_bytes()
