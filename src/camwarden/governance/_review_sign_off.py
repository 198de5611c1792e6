"""Closing a cycle: a note is asked for when units have not checked it off, the cycle is marked
signed off, and its live bookmarks' footage moves from REVIEW holds to ARCHIVE holds, which
outlast normal retention."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from camwarden.errors import InvalidInput
from camwarden.governance._review_bookmarks import release_hold
from camwarden.governance._review_kinds import CycleStatus, review_reference
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.models import ReviewBookmark, ReviewCycle


def require_reason(unchecked: Sequence[str], note: str) -> None:
    """Units left unchecked are allowed only with a note saying why."""
    if unchecked and not note:
        raise InvalidInput(
            "Units {units} have not checked this review off: say in the note why it is "
            "signed off anyway.",
            field="note",
            units=", ".join(unchecked),
        )


def close_cycle(
    session: Session,
    cycle: ReviewCycle,
    bookmarks: Sequence[ReviewBookmark],
    *,
    signed_off_by: str,
    note: str,
    now: datetime,
) -> list[int]:
    """The cycle closed and its live bookmarks archived, flushed; the archive holds' ids."""
    cycle.status = CycleStatus.CLOSED
    cycle.signed_off_by = signed_off_by
    cycle.signed_off_at = now
    cycle.sign_off_note = note
    archived = []
    for bookmark in bookmarks:
        if bookmark.removed_at is not None:
            continue
        release_hold(session, bookmark.hold_id, now)
        archive = place_hold(
            session,
            camera_id=bookmark.camera_id,
            start_at=bookmark.start_at,
            end_at=bookmark.end_at,
            kind=HoldKind.ARCHIVE,
            reference=review_reference(cycle.id),
            created_by=signed_off_by,
            now=now,
        )
        bookmark.hold_id = archive.id
        archived.append(archive.id)
    session.flush()
    return archived
