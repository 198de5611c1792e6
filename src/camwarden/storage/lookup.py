"""Finding rows by an id that came from outside, whatever its size."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy.orm import Session

from camwarden.storage.models import Base

# Ids are 64-bit signed integers in both databases; SQLite's driver overflows past this.
MAX_ID = 2**63 - 1

ModelT = TypeVar("ModelT", bound=Base)


def is_storable_id(value: int) -> bool:
    return 0 < value <= MAX_ID


def get_by_id(session: Session, model: type[ModelT], ident: int) -> ModelT | None:
    """The row with this id, or None, also for ids no row can have (0, negative, > 64 bits)."""
    if not is_storable_id(ident):
        return None
    return session.get(model, ident)


def storable_ids(idents: Iterable[int]) -> list[int]:
    """The ids that could exist, sorted and without repeats (the rest cannot match a row)."""
    return sorted({ident for ident in idents if is_storable_id(ident)})
