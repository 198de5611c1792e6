"""The guards' duty roster and their shift handovers (R-6.1, R-7.1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from camwarden.storage.models._base import Base
from camwarden.storage.models.accounts import User
from camwarden.storage.types import UTCDateTime


class DutyShift(Base):
    """A guard's shift (R-6.1, R-7.1): who is on duty when, so alerts reach the right person
    and every hour of the coming fortnight is covered."""

    __tablename__ = "duty_shifts"
    __table_args__ = (Index("ix_duty_shifts_time", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Where: the guard room, the gate, patrol… free text the school chooses.
    post: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A shift is cancelled, never deleted: the roster's history stays.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class ShiftHandover(Base):
    """What the outgoing guard hands over, signed by the incoming one (R-7.1)."""

    __tablename__ = "shift_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    happened: Mapped[str] = mapped_column(Text)
    pending: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the incoming guard adds on signing ("camera B3 still dark, called IT").
    signed_note: Mapped[str] = mapped_column(Text, default="")

    from_user: Mapped[User] = relationship(foreign_keys=[from_user_id], lazy="joined")
    to_user: Mapped[User] = relationship(foreign_keys=[to_user_id], lazy="joined")
