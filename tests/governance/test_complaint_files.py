"""Attachments to complaints: checked by content, bounded in size and number, stored by hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from camwarden.errors import InvalidInput
from camwarden.governance._complaint_files import (
    MAX_ATTACHMENT_BYTES,
    content_type_of,
    display_name,
)
from camwarden.governance.complaints import ComplaintKind, Upload
from camwarden.installation import Installation
from tests.capture.conftest import encode_test_video
from tests.governance.complaint_helpers import JPEG, PDF


def _file(installation: Installation, uploads: list[Upload]) -> int:
    with installation.database.transaction() as session:
        return installation.complaints.file(
            session,
            None,
            kind=ComplaintKind.COMPLAINT,
            name="Phạm Văn Bố",
            contact="0987654321",
            subject="Ảnh chụp ở cổng",
            description="Xem ảnh đính kèm.",
            uploads=uploads,
        ).complaint.id


def test_a_file_is_stored_under_its_hash_never_under_the_name_given(
    sqlite_installation: Installation,
) -> None:
    _file(sqlite_installation, [Upload("../../../etc/cron.d/evil.jpg", JPEG)])
    root = sqlite_installation.settings.data_dir / "attachments"
    digest = hashlib.sha256(JPEG).hexdigest()
    stored = [p for p in root.rglob("*") if p.is_file()]
    assert stored == [root / digest[:2] / digest]
    with sqlite_installation.database.reading() as session:
        from camwarden.storage.models import ComplaintAttachment

        (row,) = session.query(ComplaintAttachment).all()
        assert (row.filename, row.content_type, row.sha256) == ("evil.jpg", "image/jpeg", digest)


def test_a_file_too_big_is_refused_by_name_and_nothing_is_stored(
    sqlite_installation: Installation,
) -> None:
    big = JPEG + b"\x00" * MAX_ATTACHMENT_BYTES
    with pytest.raises(InvalidInput, match=r"anh-lon\.jpg"):
        _file(sqlite_installation, [Upload("anh-lon.jpg", big)])
    assert not (sqlite_installation.settings.data_dir / "attachments").exists()


def test_the_type_is_read_from_the_content_not_the_extension(
    sqlite_installation: Installation,
) -> None:
    with pytest.raises(InvalidInput, match=r"hoa-don\.pdf"):
        _file(sqlite_installation, [Upload("hoa-don.pdf", b"MZ\x90\x00 a program, not a PDF")])
    with pytest.raises(InvalidInput, match=r"trang\.html"):
        _file(sqlite_installation, [Upload("trang.html", b"<html><script>alert(1)</script>")])


def test_more_than_five_files_at_once_are_refused(sqlite_installation: Installation) -> None:
    with pytest.raises(InvalidInput) as refused:
        _file(sqlite_installation, [Upload(f"{n}.jpg", JPEG) for n in range(6)])
    assert refused.value.field == "attachments"


def test_photos_documents_and_a_real_phone_video_are_recognised(tmp_path: Path) -> None:
    video = encode_test_video(tmp_path / "clip.mp4", seconds=1)
    assert content_type_of(video.read_bytes()) == "video/mp4"
    assert content_type_of(JPEG) == "image/jpeg"
    assert content_type_of(PDF) == "application/pdf"
    assert content_type_of(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert content_type_of(b"\x00\x00\x00\x18ftypheic....") == "image/heic"
    assert content_type_of(b"GIF89a") is None


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("..\\..\\windows\\system32\\a.jpg", "a.jpg"),
        ("/etc/passwd", "passwd"),
        ("..", "attachment"),
        ('ảnh "con".jpg', "ảnh _con_.jpg"),
        ("x" * 300 + ".pdf", "x" * 92 + ".pdf"),
    ],
)
def test_a_name_is_reduced_to_a_plain_file_name(given: str, shown: str) -> None:
    assert display_name(given) == shown
