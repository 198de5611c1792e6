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

This module is the service: who may take each step, and its audit entry. The calendar, the
rows, the checks, the reading back and the report files live in the private `_review_*`
modules.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, NotFound
from camwarden.governance._review_bookmarks import insert_bookmark, release_bookmark
from camwarden.governance._review_calendar import ReviewCalendar
from camwarden.governance._review_files import ReportFiles, render_report
from camwarden.governance._review_kinds import (
    CYCLE_STATUS_LABELS,
    MAX_NOTE,
    CycleStatus,
    is_overdue,
    note_text,
    review_reference,
)
from camwarden.governance._review_overdue import (
    any_to_escalate,
    overdue_summary,
    past_due,
    to_escalate,
)
from camwarden.governance._review_reading import (
    CycleView,
    cycle_view,
    cycles_newest_first,
    find_cycle,
    reviewed_until,
)
from camwarden.governance._review_sign_off import close_cycle, require_reason
from camwarden.governance._review_unit_checks import insert_check, unit_cameras
from camwarden.governance.alerts import DEFAULT_SEVERITY, REVIEW_OVERDUE, AlertDesk
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.roles import Permission
from camwarden.storage.database import Database
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import (
    AuditEntry,
    Camera,
    ReviewBookmark,
    ReviewCycle,
    ReviewUnitCheck,
)

# The pages, the API, the report and retention name these from here.
__all__ = [
    "CYCLE_STATUS_LABELS",
    "MAX_NOTE",
    "CycleStatus",
    "CycleView",
    "Reviews",
    "is_overdue",
    "may_view_reviews",
    "require_review_reader",
    "review_reference",
    "reviewed_until",
]

log = logging.getLogger(__name__)


def may_view_reviews(actor: Actor) -> bool:
    return can(actor, Permission.REVIEW_FOOTAGE) or can(actor, Permission.SIGN_OFF_REVIEWS)


def require_review_reader(actor: Actor) -> None:
    if not may_view_reviews(actor):
        require(actor, Permission.REVIEW_FOOTAGE)


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
        return self._calendar.next_end(session, self._clock.now())

    def is_anything_due(self, session: Session) -> bool:
        """Cheap reads: a cycle to open, or an overdue one to escalate."""
        now = self._clock.now()
        return self._calendar.next_end(session, now) <= now or any_to_escalate(session, now)

    def open_due_cycles(self, session: Session, now: datetime | None = None) -> list[ReviewCycle]:
        """Open every cycle whose period has ended; none when all are open already."""
        now = now or self._clock.now()
        opened: list[ReviewCycle] = []
        for start, end in self._calendar.ended_periods(session, now):
            cycle = ReviewCycle(
                period_start=start,
                period_end=end,
                opened_at=now,
                due_at=end + self.grace,
                status=CycleStatus.OPEN,
            )
            session.add(cycle)
            session.flush()
            details = {
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "due_at": cycle.due_at.isoformat(),
            }
            self._record(session, None, cycle.id, "review.cycle_opened", details)
            log.info("review cycle %d opened for %s to %s", cycle.id, start, end)
            opened.append(cycle)
        return opened

    def escalate_overdue(self, session: Session, now: datetime | None = None) -> list[ReviewCycle]:
        """Raise one alert for each open cycle past its due date, once."""
        now = now or self._clock.now()
        overdue = to_escalate(session, now)
        for cycle in overdue:
            alert = self._alerts.raise_condition(
                session,
                kind=REVIEW_OVERDUE,
                severity=DEFAULT_SEVERITY[REVIEW_OVERDUE],
                summary=overdue_summary(cycle, timezone=self._tz, locale=self._locale),
            )
            cycle.escalated_at = now
            details = {"alert_id": alert.id, "due_at": cycle.due_at.isoformat()}
            self._record(session, None, cycle.id, "review.escalated", details)
        return list(overdue)

    def tick(self, database: Database) -> None:
        """The monitoring service's call: reads, and writes only when something is due."""
        with database.reading() as session:
            if not self.is_anything_due(session):
                return
        with database.transaction() as session:
            self.open_due_cycles(session)
            self.escalate_overdue(session)

    # -- reading -----------------------------------------------------------------------------

    def cycles(self, session: Session, actor: Actor) -> Sequence[ReviewCycle]:
        require_review_reader(actor)
        return cycles_newest_first(session)

    def get(self, session: Session, actor: Actor, cycle_id: int) -> ReviewCycle:
        require_review_reader(actor)
        return find_cycle(session, cycle_id)

    def overdue(self, session: Session, actor: Actor) -> Sequence[ReviewCycle]:
        """Open cycles past their due date, for the dashboard."""
        if not may_view_reviews(actor):
            return []
        return past_due(session, self._clock.now())

    def visible_cameras(self, session: Session, actor: Actor) -> list[Camera]:
        """Signers see every camera; reviewers those of their zones."""
        cameras = session.scalars(select(Camera).order_by(Camera.name)).all()
        if can(actor, Permission.SIGN_OFF_REVIEWS):
            return list(cameras)
        return [c for c in cameras if can(actor, Permission.REVIEW_FOOTAGE, c.zone_id)]

    def view(self, session: Session, actor: Actor, cycle_id: int) -> CycleView:
        cycle = self.get(session, actor, cycle_id)
        cameras = self.visible_cameras(session, actor)
        return cycle_view(session, cycle, cameras, now=self._clock.now(), timezone=self._tz)

    def history(self, session: Session, actor: Actor, cycle_id: int) -> Sequence[AuditEntry]:
        """What happened to the cycle, from the audit log, oldest first."""
        cycle = self.get(session, actor, cycle_id)
        return self._audit.history_of(session, "review_cycle", cycle.id)

    # -- reviewing ---------------------------------------------------------------------------

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
        """Footage of a camera in the actor's zones, kept by a REVIEW hold while the cycle is
        open."""
        cycle = self._open_cycle(session, actor, cycle_id)
        camera = get_by_id(session, Camera, camera_id)
        if camera is None or not can(actor, Permission.VIEW_CAMERAS, camera.zone_id):
            raise NotFound("Camera {value} does not exist.", value=camera_id)
        require(actor, Permission.REVIEW_FOOTAGE, camera.zone_id)
        bookmark = insert_bookmark(
            session,
            cycle,
            camera_id=camera.id,
            start_at=start_at,
            end_at=end_at,
            note=note,
            created_by=actor.username,
            now=self._clock.now(),
            timezone=self._tz,
        )
        details = {
            "bookmark_id": bookmark.id,
            "camera_id": camera.id,
            "start": start_at.isoformat(),
            "end": end_at.isoformat(),
            "note": bookmark.note,
            "hold_id": bookmark.hold_id,
        }
        self._record(session, actor, cycle.id, "review.bookmark_added", details)
        return bookmark

    def remove_bookmark(
        self, session: Session, actor: Actor, cycle_id: int, bookmark_id: int
    ) -> ReviewBookmark:
        """The row stays (with `removed_at`); its hold is released."""
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
        release_bookmark(session, bookmark, removed_by=actor.username, now=self._clock.now())
        details = {"bookmark_id": bookmark.id, "camera_id": bookmark.camera_id}
        self._record(session, actor, bookmark.cycle_id, "review.bookmark_removed", details)
        return bookmark

    def check_unit(
        self, session: Session, actor: Actor, cycle_id: int, *, unit: str, note: str = ""
    ) -> ReviewUnitCheck:
        """A unit's reviewer says its cameras are reviewed."""
        cycle = self._open_cycle(session, actor, cycle_id)
        unit = (unit or "").strip()
        cameras = unit_cameras(session, unit)
        if not any(can(actor, Permission.REVIEW_FOOTAGE, c.zone_id) for c in cameras):
            require(actor, Permission.REVIEW_FOOTAGE, cameras[0].zone_id)
        check = insert_check(
            session, cycle, unit=unit, note=note, reviewed_by=actor.username, now=self._clock.now()
        )
        details = {"unit": unit, "note": check.note}
        self._record(session, actor, cycle.id, "review.unit_checked", details)
        return check

    # -- signing off -------------------------------------------------------------------------

    def sign_off(
        self, session: Session, actor: Actor, cycle_id: int, *, note: str = ""
    ) -> ReviewCycle:
        """Close the cycle, archive its bookmarked footage and write its report."""
        require(actor, Permission.SIGN_OFF_REVIEWS)
        cycle = self._open_cycle(session, actor, cycle_id)
        note = note_text(note)
        view = self.view(session, actor, cycle.id)
        unchecked = view.unchecked_units
        require_reason(unchecked, note)
        archived = close_cycle(
            session,
            cycle,
            view.bookmarks,
            signed_off_by=actor.username,
            note=note,
            now=self._clock.now(),
        )
        cycle.report_sha256 = self._reports.write(cycle, self.report_pdf(session, actor, view))
        details = {
            "note": note,
            "unchecked_units": unchecked,
            "archived_holds": archived,
            "report_sha256": cycle.report_sha256,
        }
        self._record(session, actor, cycle.id, "review.signed_off", details)
        return cycle

    def report_pdf(self, session: Session, actor: Actor, view: CycleView) -> bytes:
        return render_report(
            session, view, school_name=self._school_name, timezone=self._tz, locale=self._locale
        )

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
        details = {"sha256": hashlib.sha256(data).hexdigest()}
        self._record(session, actor, cycle_id, "review.report_downloaded", details)
        return data

    # -- internals ---------------------------------------------------------------------------

    def _open_cycle(self, session: Session, actor: Actor, cycle_id: int) -> ReviewCycle:
        cycle = self.get(session, actor, cycle_id)
        if cycle.status != CycleStatus.OPEN:
            raise Conflict(
                "Review cycle {value} is signed off; it can no longer change.", value=cycle_id
            )
        return cycle

    def _record(
        self,
        session: Session,
        actor: Actor | None,
        cycle_id: int,
        action: str,
        details: dict[str, Any],
    ) -> None:
        """The step's audit entry on the cycle; a step nobody took is the system's."""
        self._audit.record(
            session,
            actor,
            action,
            target_type="review_cycle",
            target_id=cycle_id,
            details=details,
            actor_name="system" if actor is None else None,
        )
