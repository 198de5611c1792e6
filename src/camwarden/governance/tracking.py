"""Reference numbers and tracking codes for what people file without an account.

A reference ("YC-2026-0007") names a request or complaint on paper and in messages; anyone
may see it. A tracking code is the secret that lets the person who filed follow it: it is
shown once, and only its SHA-256 is stored, so a copy of the database does not open anyone's
file.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

# No 0/O, 1/I/L: codes are read aloud on the phone and typed from paper.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_GROUPS = 3
_GROUP_LENGTH = 4


def new_tracking_code() -> str:
    """A fresh code like "K7M2-Q9XD-4HTW" (about 59 bits)."""
    characters = [secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LENGTH)]
    groups = [
        "".join(characters[i : i + _GROUP_LENGTH]) for i in range(0, len(characters), _GROUP_LENGTH)
    ]
    return "-".join(groups)


def normalise_tracking_code(code: str) -> str:
    """What the person typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def tracking_hash(code: str) -> str:
    return hashlib.sha256(normalise_tracking_code(code).encode("ascii", "ignore")).hexdigest()


def next_reference(
    session: Session, column: InstrumentedAttribute[str], prefix: str, at: datetime
) -> str:
    """The next number of the year for `prefix`: "YC-2026-0001", "YC-2026-0002"…

    Two filings at the same instant may pick the same number; the column's unique
    constraint then refuses one, and the caller is told to try again.
    """
    stem = f"{prefix}-{at.year}-"
    highest = session.scalar(select(func.max(column)).where(column.like(f"{stem}%")))
    number = int(highest.rsplit("-", 1)[1]) + 1 if highest else 1
    return f"{stem}{number:04d}"
