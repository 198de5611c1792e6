"""The periodic review of footage (Art. 5, R-5.1, R-5.2): cycles, bookmarks, sign-off.

A cycle covers `review_period_days` of school days, midnight to midnight in school time, and
opens when its period has ended. Cycles are contiguous: the first starts on the day of the
oldest footage, each next one where the last ended, so a restart after days opens every
missed cycle and never leaves a gap or an overlap. The units concerned (the zones' responsible
units) review their cameras: reviewers bookmark what matters (a REVIEW hold protects it while
the cycle is open) and check their unit off. The Board signs the cycle off: it closes, its
report is written (PDF, its SHA-256 kept) and the bookmarked footage is archived (an ARCHIVE
hold, kept past normal retention). Footage is deleted only once a closed cycle covers it
(`reviewed_until`, read by retention). A cycle still open after `due_at` is flagged and
escalated once through an alert for the Board.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._review_calendar import ReviewCalendar
from camwarden.governance._review_files import ReportFiles
from camwarden.governance._review_summary import UnitSummary, summarise
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.alerts import DEFAULT_SEVERITY, REVIEW_OVERDUE, AlertDesk
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.cameras import CameraState
from camwarden.governance.roles import Permission
from camwarden.i18n import N_, gettext, reset_locale, set_current_locale
from camwarden.storage.database import Database
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    AuditEntry,
    Camera,
    FootageHold,
    ReviewBookmark,
    ReviewCycle,
    ReviewUnitCheck,
    User,
)

log = logging.getLogger(__name__)

MAX_NOTE = 4000


class CycleStatus:
    OPEN = "open"
    CLOSED = "closed"


CYCLE_STATUS_LABELS = {
    CycleStatus.OPEN: N_("Under review"),
    CycleStatus.CLOSED: N_("Signed off"),
}


def may_view_reviews(actor: Actor) -> bool:
    return can(actor, Permission.REVIEW_FOOTAGE) or can(actor, Permission.SIGN_OFF_REVIEWS)


def require_review_reader(actor: Actor) -> None:
    if not may_view_reviews(actor):
        require(actor, Permission.REVIEW_FOOTAGE)


def is_overdue(cycle: ReviewCycle, now: datetime) -> bool:
    return cycle.status == CycleStatus.OPEN and now > cycle.due_at


def review_reference(cycle_id: int) -> str:
    """What a bookmark's hold names: the cycle it was made in."""
    return f"review:{cycle_id}"


def reviewed_until(session: Session) -> datetime | None:
    """The end of the run of closed cycles from the first: footage ending by then has had its
    review (footage older than the first cycle counts as covered by it). None: nothing yet."""
    covered: datetime | None = None
    for status, period_end in session.execute(
        select(ReviewCycle.status, ReviewCycle.period_end).order_by(ReviewCycle.period_start)
    ):
        if status != CycleStatus.CLOSED:
            break
        covered = period_end
    return covered


@dataclass(frozen=True)
class CycleView:
    """A cycle with what its page shows."""

    cycle: ReviewCycle
    units: list[UnitSummary]
    bookmarks: list[ReviewBookmark]
    checks: dict[str, ReviewUnitCheck]

    @property
    def unchecked_units(self) -> list[str]:
        return [unit.unit for unit in self.units if unit.unit not in self.checks]


class Reviews:
    def __init__(
        self,
        audit: AuditLog,
        clock: Clock,
        alerts: AlertDesk,
        timezone: ZoneInfo,
        *,
        period_days: int,
        grace_days: int,
        reports_dir: Path,
        school_name: str,
        locale: str = "vi",
    ) -> None:
        self._audit = audit
        self._clock = clock
        self._alerts = alerts
        self._tz = timezone
        self._calendar = ReviewCalendar(timezone, period_days)
        self.grace = timedelta(days=grace_days)
        self._reports = ReportFiles(reports_dir, timezone)
        self._school_name = school_name
        self._locale = locale

    # -- cycles ------------------------------------------------------------------------------

    def next_period_end(self, session: Session) -> datetime:
        """When the next cycle will open."""
        return self._calendar.period_end(self._calendar.next_start(session, self._clock.now()))

    def is_anything_due(self, session: Session) -> bool:
        """Cheap reads: a cycle to open, or an overdue one to escalate."""
        now = self._clock.now()
        if self._calendar.period_end(self._calendar.next_start(session, now)) <= now:
            return True
        return bool(
            session.scalar(
                select(func.count())
                .select_from(ReviewCycle)
                .where(
                    ReviewCycle.status == CycleStatus.OPEN,
                    ReviewCycle.due_at < now,
                    ReviewCycle.escalated_at.is_(None),
                )
            )
        )

    def open_due_cycles(self, session: Session, now: datetime | None = None) -> list[ReviewCycle]:
        """Open every cycle whose period has ended; none when all are open already."""
        now = now or self._clock.now()
        opened: list[ReviewCycle] = []
        start = self._calendar.next_start(session, now)
        while (end := self._calendar.period_end(start)) <= now:
            cycle = ReviewCycle(
                period_start=start,
                period_end=end,
                opened_at=now,
                due_at=end + self.grace,
                status=CycleStatus.OPEN,
            )
            session.add(cycle)
            session.flush()
            self._audit.record(
                session,
                None,
                "review.cycle_opened",
                target_type="review_cycle",
                target_id=cycle.id,
                actor_name="system",
                details={
                    "period_start": start.isoformat(),
                    "period_end": end.isoformat(),
                    "due_at": cycle.due_at.isoformat(),
                },
            )
            log.info("review cycle %d opened for %s to %s", cycle.id, start, end)
            opened.append(cycle)
            start = end
        return opened

    def escalate_overdue(self, session: Session, now: datetime | None = None) -> list[ReviewCycle]:
        """Raise one alert for each open cycle past its due date, once."""
        now = now or self._clock.now()
        overdue = session.scalars(
            select(ReviewCycle)
            .where(
                ReviewCycle.status == CycleStatus.OPEN,
                ReviewCycle.due_at < now,
                ReviewCycle.escalated_at.is_(None),
            )
            .order_by(ReviewCycle.period_start)
        ).all()
        for cycle in overdue:
            token = set_current_locale(self._locale)
            try:
                summary = gettext(
                    "The footage review of {start} to {end} was due on {due} and is not "
                    "signed off. Footage waits for it before it can be deleted."
                ).format(
                    start=self._day_text(cycle.period_start),
                    end=self._day_text(cycle.period_end - timedelta(days=1)),
                    due=self._day_text(cycle.due_at),
                )
            finally:
                reset_locale(token)
            alert = self._alerts.raise_condition(
                session,
                kind=REVIEW_OVERDUE,
                severity=DEFAULT_SEVERITY[REVIEW_OVERDUE],
                summary=summary,
            )
            cycle.escalated_at = now
            self._audit.record(
                session,
                None,
                "review.escalated",
                target_type="review_cycle",
                target_id=cycle.id,
                actor_name="system",
                details={"alert_id": alert.id, "due_at": cycle.due_at.isoformat()},
            )
        return list(overdue)

    def tick(self, database: Database) -> None:
        """The monitoring service's call: reads, and writes only when something is due."""
        with database.reading() as session:
            if not self.is_anything_due(session):
                return
        with database.transaction() as session:
            self.open_due_cycles(session)
            self.escalate_overdue(session)

    def _day_text(self, moment: datetime) -> str:
        return f"{moment.astimezone(self._tz):%d/%m/%Y}"

    # -- reading -----------------------------------------------------------------------------

    def cycles(self, session: Session, actor: Actor) -> Sequence[ReviewCycle]:
        require_review_reader(actor)
        return session.scalars(select(ReviewCycle).order_by(ReviewCycle.period_start.desc())).all()

    def get(self, session: Session, actor: Actor, cycle_id: int) -> ReviewCycle:
        require_review_reader(actor)
        cycle = get_by_id(session, ReviewCycle, cycle_id)
        if cycle is None:
            raise NotFound("Review cycle {value} does not exist.", value=cycle_id)
        return cycle

    def overdue(self, session: Session, actor: Actor) -> Sequence[ReviewCycle]:
        """Open cycles past their due date, for the dashboard."""
        if not may_view_reviews(actor):
            return []
        return session.scalars(
            select(ReviewCycle)
            .where(ReviewCycle.status == CycleStatus.OPEN, ReviewCycle.due_at < self._clock.now())
            .order_by(ReviewCycle.period_start)
        ).all()

    def visible_cameras(self, session: Session, actor: Actor) -> list[Camera]:
        """Signers see every camera; reviewers those of their zones."""
        cameras = session.scalars(select(Camera).order_by(Camera.name)).all()
        if can(actor, Permission.SIGN_OFF_REVIEWS):
            return list(cameras)
        return [c for c in cameras if can(actor, Permission.REVIEW_FOOTAGE, c.zone_id)]

    def view(self, session: Session, actor: Actor, cycle_id: int) -> CycleView:
        cycle = self.get(session, actor, cycle_id)
        cameras = self.visible_cameras(session, actor)
        visible = {c.id for c in cameras}
        units = summarise(
            session,
            cameras,
            cycle.period_start,
            cycle.period_end,
            self._clock.now(),
            self._tz,
        )
        # A camera not in service that recorded nothing in the period (a draft, one taken
        # down before it) has nothing to review: its unit is not asked to check it off.
        in_service = {c.id for c in cameras if c.state == CameraState.IN_SERVICE}
        for unit in units:
            unit.cameras = [
                c for c in unit.cameras if c.camera_id in in_service or c.recorded_hours > 0
            ]
        units = [unit for unit in units if unit.cameras]
        return CycleView(
            cycle=cycle,
            units=units,
            bookmarks=[b for b in self._bookmarks(session, cycle.id) if b.camera_id in visible],
            checks=self._checks(session, cycle.id),
        )

    def _bookmarks(self, session: Session, cycle_id: int) -> list[ReviewBookmark]:
        return list(
            session.scalars(
                select(ReviewBookmark)
                .where(ReviewBookmark.cycle_id == cycle_id)
                .order_by(ReviewBookmark.start_at, ReviewBookmark.id)
            )
        )

    def _checks(self, session: Session, cycle_id: int) -> dict[str, ReviewUnitCheck]:
        return {
            check.unit: check
            for check in session.scalars(
                select(ReviewUnitCheck).where(ReviewUnitCheck.cycle_id == cycle_id)
            )
        }

    def history(self, session: Session, actor: Actor, cycle_id: int) -> Sequence[AuditEntry]:
        """What happened to the cycle, from the audit log, oldest first."""
        cycle = self.get(session, actor, cycle_id)
        return self._audit.history_of(session, "review_cycle", cycle.id)

    # -- reviewing ---------------------------------------------------------------------------

    def _open_cycle(self, session: Session, actor: Actor, cycle_id: int) -> ReviewCycle:
        cycle = self.get(session, actor, cycle_id)
        if cycle.status != CycleStatus.OPEN:
            raise Conflict(
                "Review cycle {value} is signed off; it can no longer change.", value=cycle_id
            )
        return cycle

    def add_bookmark(
        self,
        session: Session,
        actor: Actor,
        cycle_id: int,
        *,
        camera_id: int,
        start_at: datetime,
        end_at: datetime,
        note: str,
    ) -> ReviewBookmark:
        cycle = self._open_cycle(session, actor, cycle_id)
        camera = get_by_id(session, Camera, camera_id)
        if camera is None or not can(actor, Permission.VIEW_CAMERAS, camera.zone_id):
            raise NotFound("Camera {value} does not exist.", value=camera_id)
        require(actor, Permission.REVIEW_FOOTAGE, camera.zone_id)
        note = required_text(note, field="note", max_length=MAX_NOTE)
        if not start_at < end_at:
            raise InvalidInput(
                "The end ({end}) must come after the start ({start}).",
                field="until",
                start=self._time_text(start_at),
                end=self._time_text(end_at),
            )
        if start_at < cycle.period_start or end_at > cycle.period_end:
            raise InvalidInput(
                "{start} to {end} is not inside the review period {period_start} to {period_end}.",
                field="since",
                start=self._time_text(start_at),
                end=self._time_text(end_at),
                period_start=self._time_text(cycle.period_start),
                period_end=self._time_text(cycle.period_end),
            )
        now = self._clock.now()
        hold = place_hold(
            session,
            camera_id=camera.id,
            start_at=start_at,
            end_at=end_at,
            kind=HoldKind.REVIEW,
            reference=review_reference(cycle.id),
            created_by=actor.username,
            now=now,
        )
        bookmark = ReviewBookmark(
            cycle_id=cycle.id,
            camera_id=camera.id,
            start_at=start_at,
            end_at=end_at,
            note=note,
            hold_id=hold.id,
            created_by=actor.username,
            created_at=now,
        )
        session.add(bookmark)
        session.flush()
        self._audit.record(
            session,
            actor,
            "review.bookmark_added",
            target_type="review_cycle",
            target_id=cycle.id,
            details={
                "bookmark_id": bookmark.id,
                "camera_id": camera.id,
                "start": start_at.isoformat(),
                "end": end_at.isoformat(),
                "note": note,
                "hold_id": hold.id,
            },
        )
        return bookmark

    def remove_bookmark(
        self, session: Session, actor: Actor, cycle_id: int, bookmark_id: int
    ) -> ReviewBookmark:
        require_review_reader(actor)
        bookmark = get_by_id(session, ReviewBookmark, bookmark_id)
        if (
            bookmark is None
            or bookmark.cycle_id != cycle_id
            or not can(actor, Permission.VIEW_CAMERAS, bookmark.camera.zone_id)
        ):
            raise NotFound("Bookmark {value} does not exist.", value=bookmark_id)
        self._open_cycle(session, actor, bookmark.cycle_id)
        require(actor, Permission.REVIEW_FOOTAGE, bookmark.camera.zone_id)
        if bookmark.removed_at is not None:
            raise Conflict("Bookmark {value} was already removed.", value=bookmark_id)
        now = self._clock.now()
        bookmark.removed_at = now
        bookmark.removed_by = actor.username
        hold = get_by_id(session, FootageHold, bookmark.hold_id or 0)
        if hold is not None and hold.released_at is None:
            hold.released_at = now
        self._audit.record(
            session,
            actor,
            "review.bookmark_removed",
            target_type="review_cycle",
            target_id=bookmark.cycle_id,
            details={"bookmark_id": bookmark.id, "camera_id": bookmark.camera_id},
        )
        return bookmark

    def check_unit(
        self, session: Session, actor: Actor, cycle_id: int, *, unit: str, note: str = ""
    ) -> ReviewUnitCheck:
        """A unit's reviewer says its cameras are reviewed."""
        cycle = self._open_cycle(session, actor, cycle_id)
        unit = (unit or "").strip()
        cameras = [c for c in session.scalars(select(Camera)) if c.zone.responsible_unit == unit]
        if not cameras:
            raise InvalidInput(
                "'{value}' is not a unit responsible for a camera.",
                field="responsible_unit",
                value=unit,
            )
        if not any(can(actor, Permission.REVIEW_FOOTAGE, c.zone_id) for c in cameras):
            require(actor, Permission.REVIEW_FOOTAGE, cameras[0].zone_id)
        note = bounded_text(note, field="note", max_length=MAX_NOTE)
        if unit in self._checks(session, cycle.id):
            raise Conflict("The unit '{value}' has already checked this review off.", value=unit)
        check = ReviewUnitCheck(
            cycle_id=cycle.id,
            unit=unit,
            reviewed_by=actor.username,
            reviewed_at=self._clock.now(),
            note=note,
        )
        session.add(check)
        session.flush()
        self._audit.record(
            session,
            actor,
            "review.unit_checked",
            target_type="review_cycle",
            target_id=cycle.id,
            details={"unit": unit, "note": note},
        )
        return check

    # -- signing off -------------------------------------------------------------------------

    def sign_off(
        self, session: Session, actor: Actor, cycle_id: int, *, note: str = ""
    ) -> ReviewCycle:
        """Close the cycle, archive its bookmarked footage and write its report."""
        require(actor, Permission.SIGN_OFF_REVIEWS)
        cycle = self._open_cycle(session, actor, cycle_id)
        note = bounded_text(note, field="note", max_length=MAX_NOTE)
        view = self.view(session, actor, cycle.id)
        unchecked = view.unchecked_units
        if unchecked and not note:
            raise InvalidInput(
                "Units {units} have not checked this review off: say in the note why it is "
                "signed off anyway.",
                field="note",
                units=", ".join(unchecked),
            )
        now = self._clock.now()
        cycle.status = CycleStatus.CLOSED
        cycle.signed_off_by = actor.username
        cycle.signed_off_at = now
        cycle.sign_off_note = note
        archived = []
        for bookmark in view.bookmarks:
            if bookmark.removed_at is not None:
                continue
            old = get_by_id(session, FootageHold, bookmark.hold_id or 0)
            if old is not None and old.released_at is None:
                old.released_at = now
            archive = place_hold(
                session,
                camera_id=bookmark.camera_id,
                start_at=bookmark.start_at,
                end_at=bookmark.end_at,
                kind=HoldKind.ARCHIVE,
                reference=review_reference(cycle.id),
                created_by=actor.username,
                now=now,
            )
            bookmark.hold_id = archive.id
            archived.append(archive.id)
        session.flush()
        cycle.report_sha256 = self._reports.write(cycle, self.report_pdf(session, actor, view))
        self._audit.record(
            session,
            actor,
            "review.signed_off",
            target_type="review_cycle",
            target_id=cycle.id,
            details={
                "note": note,
                "unchecked_units": unchecked,
                "archived_holds": archived,
                "report_sha256": cycle.report_sha256,
            },
        )
        return cycle

    def report_pdf(self, session: Session, actor: Actor, view: CycleView) -> bytes:
        from camwarden.documents.review_report import review_report_pdf

        token = set_current_locale(self._locale)
        try:
            # A signed paper names people, not accounts.
            names = {
                name: full for name, full in session.execute(select(User.username, User.full_name))
            }
            return review_report_pdf(
                view, school_name=self._school_name, timezone=self._tz, names=names
            )
        finally:
            reset_locale(token)

    def report_bytes(self, session: Session, actor: Actor, cycle_id: int) -> bytes:
        """The report as signed off, checked against its SHA-256."""
        cycle = self.get(session, actor, cycle_id)
        data = self._reports.read(cycle) if cycle.status == CycleStatus.CLOSED else None
        if data is None:
            raise NotFound("Review cycle {value} has no report yet.", value=cycle_id)
        return data

    def download_report(self, session: Session, actor: Actor, cycle_id: int) -> bytes:
        """The report for someone to keep: who took a copy is in the audit log."""
        data = self.report_bytes(session, actor, cycle_id)
        self._audit.record(
            session,
            actor,
            "review.report_downloaded",
            target_type="review_cycle",
            target_id=cycle_id,
            details={"sha256": hashlib.sha256(data).hexdigest()},
        )
        return data

    def _time_text(self, moment: datetime) -> str:
        return f"{moment.astimezone(self._tz):%d/%m/%Y %H:%M}"
