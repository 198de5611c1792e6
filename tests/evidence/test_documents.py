"""Written records packed with the footage: listed and signed in the manifest, checked like
the clips by `verify_package`, `camwarden verify` and `sha256sum -c`."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.evidence.conftest import PRINCIPAL, Footage, at

from camwarden.errors import InvalidInput
from camwarden.evidence.export import export_package
from camwarden.evidence.verify import verify_package

RECORD = "%PDF-1.4\nBiên bản sự việc\n%%EOF\n".encode()


def export_with(footage: Footage, documents: dict[str, Any]) -> Path:
    return export_package(
        footage.inst,
        PRINCIPAL,
        [(footage.gate_camera, at(3), at(9))],
        reason="Biên bản sự việc",
        out_dir=footage.out,
        documents=documents,
    ).package_path


def test_a_document_is_listed_with_its_hash_in_the_signed_manifest_and_in_sha256sums(
    footage: Footage,
) -> None:
    package = export_with(footage, {"bien-ban.pdf": RECORD})
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(RECORD).hexdigest()
    assert manifest["documents"] == [
        {"file": "documents/bien-ban.pdf", "bytes": len(RECORD), "sha256": digest}
    ]
    assert (package / "documents" / "bien-ban.pdf").read_bytes() == RECORD
    assert f"{digest}  documents/bien-ban.pdf" in (package / "SHA256SUMS").read_text()
    report = verify_package(package)
    assert report.ok, report.problems
    assert report.documents_checked == 1
    assert report.clips_checked == 1
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=package, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    assert "documents/bien-ban.pdf: OK" in checked.stdout


def test_a_document_made_from_the_ranges_sees_the_hashes_of_the_clips_it_is_packed_with(
    footage: Footage,
) -> None:
    seen: list[str] = []

    def record(ranges: list[dict[str, Any]]) -> bytes:
        seen.extend(clip["sha256"] for entry in ranges for clip in entry["clips"])
        return RECORD

    package = export_with(footage, {"bien-ban.pdf": record})
    (clip,) = (package / "clips").iterdir()
    assert seen == [hashlib.sha256(clip.read_bytes()).hexdigest()]
    assert verify_package(package).ok


def test_flipping_one_byte_in_the_document_fails_naming_it(footage: Footage) -> None:
    package = export_with(footage, {"bien-ban.pdf": RECORD})
    document = package / "documents" / "bien-ban.pdf"
    data = bytearray(document.read_bytes())
    data[len(data) // 2] ^= 0x01
    document.write_bytes(bytes(data))
    rendered = [problem.render() for problem in verify_package(package).problems]
    assert rendered == [
        f"documents/bien-ban.pdf: SHA-256 is {hashlib.sha256(data).hexdigest()}, the manifest "
        f"says {hashlib.sha256(RECORD).hexdigest()}."
    ]


def test_a_missing_document_and_an_unlisted_one_are_each_named(footage: Footage) -> None:
    package = export_with(footage, {"bien-ban.pdf": RECORD})
    (package / "documents" / "bien-ban.pdf").rename(package / "documents" / "khac.pdf")
    rendered = [problem.render() for problem in verify_package(package).problems]
    assert rendered == [
        "documents/bien-ban.pdf: this document is listed in the manifest but missing.",
        "documents/khac.pdf: this file is not listed in the manifest.",
    ]


@pytest.mark.parametrize("name", ["../bien-ban.pdf", "bien ban.pdf", "bien-ban.exe", ""])
def test_a_document_name_that_is_not_a_plain_pdf_name_is_refused_and_nothing_is_written(
    footage: Footage, name: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        export_with(footage, {name: RECORD})
    assert repr(name)[1:-1] in str(refused.value)
    assert not footage.out.exists() or not any(footage.out.iterdir())
