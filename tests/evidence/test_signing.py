"""The installation's signing key: made once, kept private, the same on every load."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from camwarden.evidence.signing import KEY_FILE_NAME, load_or_create_signing_key, shown_key_id


def test_the_key_is_created_once_readable_only_by_its_owner(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    first = load_or_create_signing_key(secrets)
    path = secrets / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    again = load_or_create_signing_key(secrets)
    assert again.key_id == first.key_id
    assert [p.name for p in secrets.iterdir()] == [KEY_FILE_NAME]


def test_a_signature_is_64_bytes_and_the_key_id_is_a_sha256(tmp_path: Path) -> None:
    key = load_or_create_signing_key(tmp_path)
    assert len(key.sign(b"manifest")) == 64
    assert len(key.key_id) == 64 and int(key.key_id, 16) >= 0
    assert shown_key_id(key.key_id) == key.key_id[:16]
    assert key.public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs Debian's openssl")
def test_the_school_prints_its_key_id_from_the_private_key_with_openssl(tmp_path: Path) -> None:
    """The command docs/evidence.md gives the school to publish its key id."""
    key = load_or_create_signing_key(tmp_path)
    printed = subprocess.run(
        f"openssl pkey -in {tmp_path / KEY_FILE_NAME} -pubout -outform DER | sha256sum",
        shell=True,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    assert printed == key.key_id
