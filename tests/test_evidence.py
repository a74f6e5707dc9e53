"""Evidence files: accepted by content, refused otherwise, stored under their hash."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from evalcore import evidence
from evalcore.evidence import EvidenceRefused

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "kind"), [(PNG, "PNG"), (PDF, "PDF"),
                                             (xlsx_bytes(), "XLSX")])
def test_accepted_by_content_whatever_the_name(data, kind) -> None:
    accepted = evidence.check(data, "../../etc/证明.exe")
    assert evidence.ALLOWED_TYPES[accepted.media_type] == kind
    assert accepted.file_name == "证明.exe"  # a display name, never a path


@pytest.mark.parametrize(("data", "code"), [
    (b"", "evidence_empty"),
    (b"plain text pretending", "evidence_type"),
    (zip_bytes({"a.txt": b"hi"}), "evidence_type"),  # an archive, renamed .docx or not
    (b"MZ\x90\x00" + b"\x00" * 100, "evidence_type"),  # an executable
])
def test_refused_with_a_reason(data, code) -> None:
    with pytest.raises(EvidenceRefused) as refused:
        evidence.check(data, "证明.docx")
    assert refused.value.message.code == code
    assert "证明.docx" in refused.value.render("zh")


def test_oversized_file_refused(monkeypatch) -> None:
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 100)
    with pytest.raises(EvidenceRefused) as refused:
        evidence.check(PDF + b"x" * 200, "big.pdf")
    assert refused.value.message.code == "evidence_too_large"


def test_office_bomb_refused_before_inflating() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/huge.xml", b"\x00" * (30 * 2**20))  # 30 MB of zeros, ~30 kB
    data = bomb.getvalue()
    assert len(data) < 200_000
    with pytest.raises(EvidenceRefused) as refused:
        evidence.check(data, "bomb.xlsx")
    assert refused.value.message.code in ("evidence_bomb", "evidence_type")


def test_quota_per_unit_and_round(monkeypatch) -> None:
    accepted = evidence.check(PDF, "a.pdf")
    evidence.check_quota(0, accepted)
    with pytest.raises(EvidenceRefused):
        evidence.check_quota(evidence.MAX_UNIT_ROUND_BYTES, accepted)


def test_stored_once_under_its_hash(tmp_path) -> None:
    accepted = evidence.check(PNG, "x.png")
    first = evidence.store(tmp_path, PNG, accepted)
    again = evidence.store(tmp_path, PNG, evidence.check(PNG, "other-name.png"))
    assert first == again == tmp_path / accepted.sha256[:2] / accepted.sha256
    assert evidence.read(tmp_path, accepted.sha256) == PNG
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [accepted.sha256]
    with pytest.raises(ValueError):
        evidence.stored_path(tmp_path, "../../etc/passwd")
