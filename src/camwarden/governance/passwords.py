"""Password hashing (argon2id) and the complexity policy of Decision 724/QĐ-BTTTT."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from camwarden.errors import InvalidInput

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

# A hash of a random password: verifying against it costs the same time as a real account,
# so a reply's timing does not tell whether a username exists.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

MAX_PASSWORD_LENGTH = 256


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password_policy(password: str, *, username: str, min_length: int) -> None:
    """Refuse weak passwords with a reason the user can act on."""
    if len(password) < min_length:
        raise InvalidInput(
            "The password must have at least {min_length} characters.",
            field="password",
            min_length=min_length,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            "The password must have at most {max_length} characters.",
            field="password",
            max_length=MAX_PASSWORD_LENGTH,
        )
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        raise InvalidInput(
            "The password must mix at least three of: lower-case letters, upper-case letters, "
            "digits and symbols.",
            field="password",
        )
    if username and username.lower() in password.lower():
        raise InvalidInput("The password must not contain the username.", field="password")


def generate_password(length: int = 14) -> str:
    """A random password that satisfies the policy (for new accounts and the demo)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        core = "".join(secrets.choice(alphabet) for _ in range(length - 2))
        candidate = core + secrets.choice("!@#%&*-+=?") + secrets.choice(string.digits)
        if any(c.islower() for c in candidate) and any(c.isupper() for c in candidate):
            return candidate
