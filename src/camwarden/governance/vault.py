"""Secrets encrypted at rest with a key kept in the data folder (QCVN 135:2024): camera
credentials, and the notification addresses that carry tokens."""

from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE_NAME = "credentials.key"


class CredentialVault:
    """Encrypts camera usernames and passwords; the key file is created once, mode 0600."""

    def __init__(self, secrets_dir: Path) -> None:
        self._key_path = secrets_dir / KEY_FILE_NAME
        self._fernet = Fernet(self._load_or_create_key())

    def _load_or_create_key(self) -> bytes:
        if self._key_path.exists():
            return self._key_path.read_bytes().strip()
        self._key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Fernet.generate_key()
        # O_EXCL: two processes starting together never overwrite each other's key.
        try:
            fd = os.open(self._key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self._key_path.read_bytes().strip()
        with os.fdopen(fd, "wb") as key_file:
            key_file.write(key)
        return key

    def seal(self, username: str, password: str) -> str:
        plain = json.dumps({"username": username, "password": password}).encode()
        return self._fernet.encrypt(plain).decode("ascii")

    def open(self, sealed: str) -> tuple[str, str]:
        """Username and password; raises ValueError if the key does not match."""
        try:
            plain = json.loads(self._fernet.decrypt(sealed.encode("ascii")))
        except InvalidToken as exc:
            raise ValueError("camera credentials cannot be decrypted with this key") from exc
        return str(plain["username"]), str(plain["password"])

    def seal_text(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode("ascii")

    def open_text(self, sealed: str) -> str:
        """The text; raises ValueError if the key does not match."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except InvalidToken as exc:
            raise ValueError("a sealed secret cannot be decrypted with this key") from exc
