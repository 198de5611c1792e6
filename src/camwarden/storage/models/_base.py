"""The one declarative base: every model derives from it, so `Base.metadata` holds every table
and Alembic compares the whole schema at once."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
