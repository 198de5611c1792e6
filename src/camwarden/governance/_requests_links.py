"""Secret links for grantees without an account (R-4.2).

A link's token is derived from a key kept in the data folder and the grant's id, so it is
never stored: the database holds only its SHA-256 (to find the grant), and a copy of the
database opens nothing. Deriving it again lets the requester's tracking page show the link
for as long as the grant is valid, without keeping it anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from camwarden.errors import InvalidInput
from camwarden.storage.models import FootageGrant

KEY_FILE_NAME = "grant_links.key"


class GrantLinks:
    def __init__(self, secrets_dir: Path) -> None:
        self._key_path = secrets_dir / KEY_FILE_NAME
        self._key: bytes | None = None

    def _secret(self) -> bytes:
        if self._key is None:
            self._key = self._load_or_create()
        return self._key

    def _load_or_create(self) -> bytes:
        if self._key_path.exists():
            return bytes.fromhex(self._key_path.read_text().strip())
        self._key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_bytes(32)
        # O_EXCL: two processes starting together never overwrite each other's key.
        try:
            fd = os.open(self._key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return bytes.fromhex(self._key_path.read_text().strip())
        with os.fdopen(fd, "w") as key_file:
            key_file.write(key.hex())
        return key

    def token(self, grant_id: int, salt: str) -> str:
        """The link token of a grant; `salt` is fixed when the grant is made (its random part)."""
        digest = hmac.new(self._secret(), f"grant:{grant_id}:{salt}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).decode("ascii").rstrip("=")

    def token_of(self, grant: FootageGrant) -> str:
        """The link token of a grant already made: at approval, and again on the tracking
        page."""
        return self.token(grant.id, link_salt(grant))


def link_salt(grant: FootageGrant) -> str:
    """Fixed when the grant is made: the same grant always derives the same link."""
    return f"{grant.request_id}:{int(grant.created_at.timestamp())}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode("ascii", "ignore")).hexdigest()


def valid_token_input(token: str) -> str:
    """A link token as typed into a URL: short, URL-safe, or refused."""
    if len(token) > 100 or not all(c.isalnum() or c in "-_" for c in token):
        raise InvalidInput("This link does not open any footage.", field="token")
    return token
