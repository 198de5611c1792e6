"""Verifying a package offline: every kind of tampering is found and named."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from camwarden.evidence.package import canonical_json, sums_text
from camwarden.evidence.signing import SigningKey, key_id, public_key_pem
from camwarden.evidence.verify import VerificationReport, verify_package


def problems(report: VerificationReport) -> list[str]:
    return [problem.render() for problem in report.problems]


def flip_one_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def the_clip(package: Path) -> Path:
    (clip,) = (package / "clips").iterdir()
    return clip


def test_flipping_one_byte_in_a_clip_fails_naming_that_clip(package: Path) -> None:
    clip = the_clip(package)
    expected = hashlib.sha256(clip.read_bytes()).hexdigest()
    flip_one_byte(clip, clip.stat().st_size // 2)
    actual = hashlib.sha256(clip.read_bytes()).hexdigest()
    report = verify_package(package)
    assert not report.ok
    assert problems(report) == [
        f"clips/{clip.name}: SHA-256 is {actual}, the manifest says {expected}."
    ]


def test_flipping_one_byte_in_the_manifest_breaks_the_signature_naming_manifest_json(
    package: Path,
) -> None:
    manifest = package / "manifest.json"
    # "12/2026" becomes "02/2026" in the approval reference: still valid JSON, only the
    # signature (and the hash in SHA256SUMS) can tell.
    flip_one_byte(manifest, manifest.read_bytes().index(b"12/2026"))
    found = problems(verify_package(package))
    assert found[0].startswith("manifest.json: the signature in manifest.json.sig does not match")
    assert found[1].startswith("manifest.json: SHA-256 is ")
    assert len(found) == 2


def test_an_extra_file_in_clips_is_reported(package: Path) -> None:
    (package / "clips" / "extra.mp4").write_bytes(b"\x00" * 10)
    (package / "notes.txt").write_text("mine")
    assert problems(verify_package(package)) == [
        "notes.txt: this file is not part of the package.",
        "clips/extra.mp4: this file is not listed in the manifest.",
    ]


def test_a_missing_clip_a_missing_signature_and_a_truncated_clip_are_each_named(
    package: Path, tmp_path: Path
) -> None:
    clip = the_clip(package)
    clip.write_bytes(clip.read_bytes()[:-10])
    (package / "manifest.json.sig").unlink()
    found = problems(verify_package(package))
    assert "manifest.json.sig: this file is missing from the package." in found
    assert any(p.startswith(f"clips/{clip.name}: the file has ") for p in found)
    clip.unlink()
    assert f"clips/{clip.name}: this clip is listed in the manifest but missing." in problems(
        verify_package(package)
    )


def test_the_trusted_key_verifies_a_good_package(package: Path, tmp_path: Path) -> None:
    trusted = tmp_path / "school.pem"
    trusted.write_bytes((package / "public-key.pem").read_bytes())
    report = verify_package(package, trusted_key=trusted)
    assert report.ok and report.trusted_key_used


def test_a_package_signed_with_another_key_is_caught_only_by_the_trusted_key(
    package: Path, tmp_path: Path
) -> None:
    trusted = tmp_path / "school.pem"
    trusted.write_bytes((package / "public-key.pem").read_bytes())
    # A forger changes a clip, fixes every hash, and signs with a key of their own.
    clip = the_clip(package)
    flip_one_byte(clip, 100)
    forger = SigningKey(Ed25519PrivateKey.generate())
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    manifest["installation_key_id"] = forger.key_id
    manifest["ranges"][0]["clips"][0]["sha256"] = hashlib.sha256(clip.read_bytes()).hexdigest()
    forged = canonical_json(manifest)
    (package / "manifest.json").write_bytes(forged)
    (package / "manifest.json.sig").write_bytes(forger.sign(forged))
    (package / "public-key.pem").write_bytes(forger.public_pem)
    (package / "SHA256SUMS").write_text(
        sums_text(
            {
                "manifest.json": hashlib.sha256(forged).hexdigest(),
                f"clips/{clip.name}": manifest["ranges"][0]["clips"][0]["sha256"],
            }
        )
    )
    # The package alone is consistent: that is why the school publishes its key id.
    assert verify_package(package).ok
    found = problems(verify_package(package, trusted_key=trusted))
    assert found[0].startswith("public-key.pem: this is not the trusted key: its key id is ")
    assert forger.key_id[:16] in found[0]
    assert found[1].startswith("manifest.json: the signature in manifest.json.sig does not match")


def test_a_manifest_naming_a_file_outside_the_package_is_refused_without_reading_it(
    package: Path, tmp_path: Path
) -> None:
    key = SigningKey(Ed25519PrivateKey.generate())
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    manifest["installation_key_id"] = key_id(key.public_key)
    manifest["ranges"][0]["clips"][0]["file"] = "clips/../../../etc/passwd"
    data = canonical_json(manifest)
    (package / "manifest.json").write_bytes(data)
    (package / "manifest.json.sig").write_bytes(key.sign(data))
    (package / "public-key.pem").write_bytes(public_key_pem(key.public_key))
    found = problems(verify_package(package))
    assert (
        "manifest.json: it lists the clip 'clips/../../../etc/passwd', which is not a file "
        "directly inside clips/." in found
    )


def test_sha256sums_that_disagree_with_the_manifest_are_reported(package: Path) -> None:
    sums = package / "SHA256SUMS"
    clip_line = next(line for line in sums.read_text().splitlines() if "clips/" in line)
    sums.write_text(sums.read_text().replace(clip_line, "0" * 64 + clip_line[64:]))
    (found,) = problems(verify_package(package))
    assert found.startswith(f"SHA256SUMS: it gives {clip_line[66:]} the SHA-256 {'0' * 64}")


def test_a_folder_that_is_not_a_package_says_so(tmp_path: Path) -> None:
    assert problems(verify_package(tmp_path / "nothing")) == [
        "nothing: this is not a folder holding an evidence package."
    ]
    found = problems(verify_package(tmp_path))
    assert "manifest.json: this file is missing from the package." in found
