import stat
from pathlib import Path

import pytest

from camwarden.governance.vault import KEY_FILE_NAME, CredentialVault


def test_sealed_credentials_open_to_what_was_sealed(tmp_path: Path) -> None:
    vault = CredentialVault(tmp_path / "secrets")
    sealed = vault.seal("quản trị", "Mật-khẩu 12345")
    assert "12345" not in sealed
    assert "quản" not in sealed
    assert vault.open(sealed) == ("quản trị", "Mật-khẩu 12345")


def test_sealing_twice_gives_different_tokens(tmp_path: Path) -> None:
    vault = CredentialVault(tmp_path / "secrets")
    assert vault.seal("admin", "12345") != vault.seal("admin", "12345")


def test_the_key_is_created_once_readable_only_by_its_owner(tmp_path: Path) -> None:
    secrets_dir = tmp_path / "secrets"
    sealed = CredentialVault(secrets_dir).seal("admin", "12345")
    key_file = secrets_dir / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secrets_dir.stat().st_mode) == 0o700
    key = key_file.read_bytes()
    # A second start reads the same key and opens what the first sealed.
    assert CredentialVault(secrets_dir).open(sealed) == ("admin", "12345")
    assert key_file.read_bytes() == key


def test_another_installations_key_cannot_open_the_credentials(tmp_path: Path) -> None:
    sealed = CredentialVault(tmp_path / "one").seal("admin", "12345")
    with pytest.raises(ValueError, match="cannot be decrypted"):
        CredentialVault(tmp_path / "two").open(sealed)
