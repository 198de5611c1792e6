"""The installation's evidence-signing key: Ed25519, created once, kept in the secrets folder.

The key id is the SHA-256 of the public key in DER (SubjectPublicKeyInfo) form, because that
is what someone without camwarden computes with standard tools:

    openssl pkey -pubin -in public-key.pem -outform DER | sha256sum

The school publishes its key id (on its letterhead, its web site, in each review report), so
that a receiver can tell the package's `public-key.pem` is the school's and not a forger's.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE_NAME = "evidence-signing.key"
# How many hex digits of the key id people are shown; the manifest carries all 64.
SHOWN_KEY_ID_LENGTH = 16


class SigningKey:
    """The private key of one installation, with what a package needs from it."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.public_key = private_key.public_key()

    def sign(self, data: bytes) -> bytes:
        """The raw 64-byte Ed25519 signature of `data`."""
        return self._private_key.sign(data)

    @property
    def public_pem(self) -> bytes:
        return public_key_pem(self.public_key)

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_id(public_key: Ed25519PublicKey) -> str:
    """SHA-256 (hex) of the DER SubjectPublicKeyInfo: what `openssl pkey … | sha256sum` prints."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def shown_key_id(full_key_id: str) -> str:
    return full_key_id[:SHOWN_KEY_ID_LENGTH]


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key in `pem`; ValueError when it is not one."""
    loaded = serialization.load_pem_public_key(pem)
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return loaded


def signature_is_valid(public_key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def load_or_create_signing_key(secrets_dir: Path) -> SigningKey:
    """The installation's key, created on first use (PEM PKCS#8, mode 0600)."""
    path = secrets_dir / KEY_FILE_NAME
    if not path.exists():
        _create_key_file(path)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return SigningKey(loaded)


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Written whole under a temporary name, then linked into place: O_EXCL alone would let a
    # second process starting at the same moment read a key file that is still empty, and
    # link() fails if the name exists, so two processes never replace each other's key.
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as key_file:
            key_file.write(pem)
            key_file.flush()
            os.fsync(key_file.fileno())
        # Another process may have won the race: its key is then the installation's key.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
