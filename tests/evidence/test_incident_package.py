"""An incident's evidence package: its clips and its biên bản, signed together, tied to the
incident's chain of custody; the biên bản in Vietnamese with the hashes of the clips."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pypdfium2
import pytest
from sqlalchemy import select
from tests.evidence.conftest import PRINCIPAL, Footage, at
from typer.testing import CliRunner

from camwarden.cli.main import app as cli
from camwarden.errors import Conflict
from camwarden.evidence.downloads import package_zip
from camwarden.governance._incident_export import (
    export_incident,
    verify_incident_package,
    written_record,
)
from camwarden.storage.models import CustodyEvent, EvidenceExport


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def incident_with_clips(footage: Footage) -> int:
    incidents = footage.inst.incidents
    with footage.inst.database.transaction() as session:
        incident = incidents.open(
            session,
            PRINCIPAL,
            title="Học sinh bị ngã ở cổng",
            description="Em Nguyễn Văn An lớp 3A trượt chân ở bậc cổng khi ra về.",
            occurred_at=at(5),
            location="Cổng chính",
        )
        incidents.footage.add(
            session,
            PRINCIPAL,
            incident.id,
            camera_id=footage.gate_camera,
            start_at=at(3),
            end_at=at(9),
        )
        # Overlapping clips of one camera go into the package as one range.
        incidents.footage.add(
            session,
            PRINCIPAL,
            incident.id,
            camera_id=footage.gate_camera,
            start_at=at(7),
            end_at=at(11),
        )
        incidents.footage.add(
            session,
            PRINCIPAL,
            incident.id,
            camera_id=footage.yard_camera,
            start_at=at(4),
            end_at=at(8),
        )
        incidents.add_entry(
            session,
            PRINCIPAL,
            incident.id,
            kind="person",
            text="Nguyễn Văn An",
            capacity="học sinh lớp 3A",
        )
        incidents.add_entry(
            session, PRINCIPAL, incident.id, kind="decision", text="Sửa bậc thềm cổng trước thứ Hai"
        )
        return incident.id


def custody(footage: Footage, incident_id: int) -> list[str]:
    with footage.inst.database.reading() as session:
        return list(
            session.scalars(
                select(CustodyEvent.action)
                .where(CustodyEvent.incident_id == incident_id)
                .order_by(CustodyEvent.id)
            )
        )


def test_the_package_of_an_incident_holds_its_clips_and_its_record_and_verifies(
    footage: Footage,
) -> None:
    incident_id = incident_with_clips(footage)
    result = export_incident(footage.inst, PRINCIPAL, incident_id, reason="Biên bản sự việc")
    package = result.package_path
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["incident"] == "SV-2026-0001"
    assert [entry["camera"]["name"] for entry in manifest["ranges"]] == [
        "Cổng chính",
        "Sân trường 1",
    ]
    (document,) = manifest["documents"]
    assert document["file"] == "documents/bien-ban-sv-2026-0001.pdf"
    record = (package / document["file"]).read_bytes()
    assert hashlib.sha256(record).hexdigest() == document["sha256"]
    text = pdf_text(record)
    for words in (
        "BIÊN BẢN SỰ VIỆC",
        "Số: SV-2026-0001",
        "Nguyễn Văn An",
        "học sinh lớp 3A",
        "Sửa bậc thềm cổng trước thứ Hai",
        "Đại diện Ban giám hiệu".upper(),
        "Người lập biên bản".upper(),
        "Cộng hòa xã hội chủ nghĩa Việt Nam".upper(),
    ):
        assert words in text, words
    for clip in (package / "clips").iterdir():
        digest = hashlib.sha256(clip.read_bytes()).hexdigest()
        assert digest[:32] in text and digest[32:] in text
    assert "chưa xuất" not in text

    report = verify_incident_package(footage.inst, PRINCIPAL, incident_id, result.record_id)
    assert report.ok and report.documents_checked == 1 and report.clips_checked == 2
    with footage.inst.database.reading() as session:
        stored = session.get(EvidenceExport, result.record_id)
        assert stored is not None and stored.incident_id == incident_id
    assert custody(footage, incident_id) == [
        "clip_added",
        "clip_added",
        "clip_added",
        "package_exported",
        "package_verified",
    ]


def test_flipping_a_byte_of_the_record_makes_camwarden_verify_name_it(footage: Footage) -> None:
    incident_id = incident_with_clips(footage)
    package = export_incident(footage.inst, PRINCIPAL, incident_id, reason="Lưu hồ sơ").package_path
    document = package / "documents" / "bien-ban-sv-2026-0001.pdf"
    data = bytearray(document.read_bytes())
    data[len(data) // 2] ^= 0x01
    document.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["--lang", "en", "verify", str(package)])
    assert result.exit_code == 1
    assert "documents/bien-ban-sv-2026-0001.pdf: SHA-256 is" in result.output


def test_the_record_before_any_export_says_not_exported_and_after_gives_the_hashes(
    footage: Footage,
) -> None:
    incident_id = incident_with_clips(footage)
    before, name = written_record(footage.inst, PRINCIPAL, incident_id)
    assert name == "bien-ban-sv-2026-0001.pdf"
    assert pdf_text(before).count("chưa xuất") == 3
    package = export_incident(footage.inst, PRINCIPAL, incident_id, reason="Lưu").package_path
    after, _ = written_record(footage.inst, PRINCIPAL, incident_id)
    text = pdf_text(after)
    assert "chưa xuất" not in text
    for clip in (package / "clips").iterdir():
        assert hashlib.sha256(clip.read_bytes()).hexdigest()[:32] in text
    assert custody(footage, incident_id)[-3:] == [
        "record_printed",
        "package_exported",
        "record_printed",
    ]


def test_downloading_an_incidents_package_is_a_custody_link(footage: Footage) -> None:
    incident_id = incident_with_clips(footage)
    result = export_incident(footage.inst, PRINCIPAL, incident_id, reason="Công an đề nghị")
    with footage.inst.database.transaction() as session:
        package_zip(
            session, footage.inst.audit, PRINCIPAL, footage.inst.settings.data_dir, result.record_id
        )
    assert custody(footage, incident_id)[-1] == "package_downloaded"


def test_an_incident_without_clips_has_nothing_to_export(footage: Footage) -> None:
    with footage.inst.database.transaction() as session:
        incident_id = footage.inst.incidents.open(
            session, PRINCIPAL, title="Cãi nhau", occurred_at=at(5)
        ).id
    with pytest.raises(Conflict) as refused:
        export_incident(footage.inst, PRINCIPAL, incident_id, reason="Lưu")
    assert "SV-2026-0001" in str(refused.value)


def test_the_command_line_writes_the_record_to_a_file_and_logs_it(
    footage: Footage, tmp_path: Path
) -> None:
    incident_id = incident_with_clips(footage)
    out = tmp_path / "bien-ban.pdf"
    result = CliRunner().invoke(
        cli,
        [
            "--data-dir",
            str(footage.inst.settings.data_dir),
            "incident",
            "record",
            str(incident_id),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Biên bản đã được ghi vào" in result.output
    assert "BIÊN BẢN SỰ VIỆC" in pdf_text(out.read_bytes())
    assert custody(footage, incident_id)[-1] == "record_printed"
    missing = CliRunner().invoke(
        cli,
        [
            "--data-dir",
            str(footage.inst.settings.data_dir),
            "incident",
            "record",
            "99",
            "--out",
            str(out),
        ],
    )
    assert missing.exit_code == 1 and "Sự việc 99 không tồn tại" in missing.output
