"""Where review cycles fall: whole school days, midnight to midnight in school time, one
after the other from the day of the oldest footage."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.storage.models import ReviewCycle, Segment


class ReviewCalendar:
    def __init__(self, timezone: ZoneInfo, period_days: int) -> None:
        self._tz = timezone
        self.period_days = period_days

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), self._tz)

    def next_start(self, session: Session, now: datetime) -> datetime:
        """Where the next cycle starts: the last one's end, else the oldest footage's day
        (today when there is no footage yet)."""
        last_end = session.scalar(select(func.max(ReviewCycle.period_end)))
        if last_end is not None:
            return last_end  # type: ignore[no-any-return]
        first_footage = session.scalar(select(func.min(Segment.start_at)))
        first = first_footage if first_footage is not None else now
        return self.midnight(first.astimezone(self._tz).date())

    def period_end(self, start: datetime) -> datetime:
        # Counted in school days, so a period always ends at a school midnight.
        first_day = start.astimezone(self._tz).date()
        return self.midnight(first_day + timedelta(days=self.period_days))

    def next_end(self, session: Session, now: datetime) -> datetime:
        """When the next cycle's period ends, so when it opens."""
        return self.period_end(self.next_start(session, now))

    def ended_periods(self, session: Session, now: datetime) -> list[tuple[datetime, datetime]]:
        """The ended periods with no cycle yet, oldest first, each starting where the last ends."""
        periods = []
        start = self.next_start(session, now)
        while (end := self.period_end(start)) <= now:
            periods.append((start, end))
            start = end
        return periods
