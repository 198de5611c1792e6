"""A reviewer's bookmarks as rows: a span of one camera inside the cycle's period, kept from
retention by a REVIEW hold while the cycle is open; removing one keeps its row and releases
its hold."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from camwarden.errors import Conflict, InvalidInput
from camwarden.governance._review_kinds import MAX_NOTE, review_reference
from camwarden.governance._validation import required_text
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import FootageHold, ReviewBookmark, ReviewCycle


def insert_bookmark(
    session: Session,
    cycle: ReviewCycle,
    *,
    camera_id: int,
    start_at: datetime,
    end_at: datetime,
    note: str,
    created_by: str,
    now: datetime,
    timezone: ZoneInfo,
) -> ReviewBookmark:
    """The bookmark checked, held by its own hold and flushed."""
    note = required_text(note, field="note", max_length=MAX_NOTE)
    _check_span(cycle, start_at, end_at, timezone)
    hold = place_hold(
        session,
        camera_id=camera_id,
        start_at=start_at,
        end_at=end_at,
        kind=HoldKind.REVIEW,
        reference=review_reference(cycle.id),
        created_by=created_by,
        now=now,
    )
    bookmark = ReviewBookmark(
        cycle_id=cycle.id,
        camera_id=camera_id,
        start_at=start_at,
        end_at=end_at,
        note=note,
        hold_id=hold.id,
        created_by=created_by,
        created_at=now,
    )
    session.add(bookmark)
    session.flush()
    return bookmark


def release_bookmark(
    session: Session, bookmark: ReviewBookmark, *, removed_by: str, now: datetime
) -> None:
    """Marked removed (the row stays) and its hold released."""
    if bookmark.removed_at is not None:
        raise Conflict("Bookmark {value} was already removed.", value=bookmark.id)
    bookmark.removed_at = now
    bookmark.removed_by = removed_by
    release_hold(session, bookmark.hold_id, now)


def release_hold(session: Session, hold_id: int | None, now: datetime) -> None:
    """A bookmark's hold released, unless it is gone or released already."""
    hold = get_by_id(session, FootageHold, hold_id or 0)
    if hold is not None and hold.released_at is None:
        hold.released_at = now


def _check_span(
    cycle: ReviewCycle, start_at: datetime, end_at: datetime, timezone: ZoneInfo
) -> None:
    """Not empty, and inside the cycle's period; the refusal says the times in school time."""

    def text(moment: datetime) -> str:
        return f"{moment.astimezone(timezone):%d/%m/%Y %H:%M}"

    if not start_at < end_at:
        raise InvalidInput(
            "The end ({end}) must come after the start ({start}).",
            field="until",
            start=text(start_at),
            end=text(end_at),
        )
    if start_at < cycle.period_start or end_at > cycle.period_end:
        raise InvalidInput(
            "{start} to {end} is not inside the review period {period_start} to {period_end}.",
            field="since",
            start=text(start_at),
            end=text(end_at),
            period_start=text(cycle.period_start),
            period_end=text(cycle.period_end),
        )
