"""A camera's login, sealed with the installation's key before it is stored: given on the form
or written into the stream address. It is opened only for the recorder, never shown back and
never written to the audit log."""

from __future__ import annotations

from camwarden.errors import InvalidInput
from camwarden.governance._validation import bounded_text
from camwarden.governance.stream_urls import StreamAddress
from camwarden.governance.vault import CredentialVault


def seal_credentials(
    vault: CredentialVault, address: StreamAddress, username: str | None, password: str | None
) -> str | None:
    """The sealed login; what the form gives wins over what the address says. None when there
    is no login at all."""
    user = username if username is not None else address.username
    secret = password if password is not None else address.password
    if not user and not secret:
        return None
    user = bounded_text(user, field="username", max_length=100)
    if secret is not None and len(secret) > 200:
        raise InvalidInput("The camera password is too long (at most 200).", field="password")
    return vault.seal(user, secret or "")
