"""A receiver without camwarden checks the package with Debian's sha256sum and openssl 3,
exactly as docs/evidence.md and the package's README.txt tell them to."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None or shutil.which("sha256sum") is None,
    reason="needs Debian's openssl and coreutils",
)

OPENSSL_VERIFY = (
    "openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin "
    "-in manifest.json -sigfile manifest.json.sig"
)
KEY_FINGERPRINT = "openssl pkey -pubin -in public-key.pem -outform DER | sha256sum"


def run(command: str, package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        shell=True,
        cwd=package,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
    )


def test_sha256sum_and_openssl_accept_a_good_package(package: Path) -> None:
    sums = run("sha256sum -c SHA256SUMS", package)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert sums.stdout.count(": OK") == 2
    signature = run(OPENSSL_VERIFY, package)
    assert signature.returncode == 0, signature.stderr
    assert "Signature Verified Successfully" in signature.stdout


def test_sha256sum_rejects_a_changed_clip_and_openssl_a_changed_manifest(package: Path) -> None:
    (clip,) = (package / "clips").iterdir()
    data = bytearray(clip.read_bytes())
    data[len(data) // 2] ^= 0xFF
    clip.write_bytes(bytes(data))
    sums = run("sha256sum -c SHA256SUMS", package)
    assert sums.returncode == 1
    assert f"clips/{clip.name}: FAILED" in sums.stdout
    manifest = package / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b"12/2026", b"13/2026"))
    signature = run(OPENSSL_VERIFY, package)
    assert signature.returncode == 1
    assert "Signature Verification Failure" in signature.stdout + signature.stderr


def test_the_key_id_in_the_manifest_is_what_openssl_and_sha256sum_print(package: Path) -> None:
    fingerprint = run(KEY_FINGERPRINT, package)
    assert fingerprint.returncode == 0, fingerprint.stderr
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert fingerprint.stdout.split()[0] == manifest["installation_key_id"]
    assert manifest["installation_key_id"] in (package / "README.txt").read_text(encoding="utf-8")


def test_the_readme_and_the_guide_give_the_commands_these_tests_run(package: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"
    guide = " ".join(docs.read_text(encoding="utf-8").replace("\\\n", " ").split())
    readme = " ".join(
        (package / "README.txt").read_text(encoding="utf-8").replace("\\\n", " ").split()
    )
    for command in ("sha256sum -c SHA256SUMS", OPENSSL_VERIFY, KEY_FINGERPRINT):
        assert command in guide
        assert command in readme
