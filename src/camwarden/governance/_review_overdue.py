"""Cycles past their due date: listed for the dashboard, and escalated to the Board once,
through an alert written in the school's language that says why footage waits for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.governance._review_kinds import CycleStatus
from camwarden.i18n import gettext, reset_locale, set_current_locale
from camwarden.storage.models import ReviewCycle


def past_due(session: Session, now: datetime) -> Sequence[ReviewCycle]:
    """Open cycles past their due date, oldest first."""
    return session.scalars(
        select(ReviewCycle)
        .where(ReviewCycle.status == CycleStatus.OPEN, ReviewCycle.due_at < now)
        .order_by(ReviewCycle.period_start)
    ).all()


def _awaiting_escalation(now: datetime) -> tuple[Any, ...]:
    """Open, past due and not escalated yet."""
    return (
        ReviewCycle.status == CycleStatus.OPEN,
        ReviewCycle.due_at < now,
        ReviewCycle.escalated_at.is_(None),
    )


def any_to_escalate(session: Session, now: datetime) -> bool:
    """A count, not the rows: the monitoring service asks this often."""
    return bool(
        session.scalar(
            select(func.count()).select_from(ReviewCycle).where(*_awaiting_escalation(now))
        )
    )


def to_escalate(session: Session, now: datetime) -> Sequence[ReviewCycle]:
    """The cycles to escalate, oldest first."""
    return session.scalars(
        select(ReviewCycle).where(*_awaiting_escalation(now)).order_by(ReviewCycle.period_start)
    ).all()


def overdue_summary(cycle: ReviewCycle, *, timezone: ZoneInfo, locale: str) -> str:
    """The alert's text: the period, its due day, and that deletion waits for it."""

    def day(moment: datetime) -> str:
        return f"{moment.astimezone(timezone):%d/%m/%Y}"

    token = set_current_locale(locale)
    try:
        return gettext(
            "The footage review of {start} to {end} was due on {due} and is not "
            "signed off. Footage waits for it before it can be deleted."
        ).format(
            start=day(cycle.period_start),
            end=day(cycle.period_end - timedelta(days=1)),
            due=day(cycle.due_at),
        )
    finally:
        reset_locale(token)
