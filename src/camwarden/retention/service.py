"""The two retention passes (age, disk pressure): what each chooses (_candidates.py) deleted
crash-safely (_deletion.py), and the worker that runs them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from camwarden.analysis.snapshots import snapshots_dir
from camwarden.clock import Clock
from camwarden.governance.audit import AuditLog
from camwarden.governance.reviews import reviewed_until
from camwarden.retention._activity import forget_old_activity
from camwarden.retention._candidates import (
    MAX_SEGMENTS_PER_RUN,
    Candidate,
    active_holds,
    deletable,
    oldest_unprotected,
    unheld,
)
from camwarden.retention._deletion import delete_marked, mark_deleting
from camwarden.retention._disk_full import close_disk_full, open_disk_full
from camwarden.retention._files import shutil_disk_usage
from camwarden.retention._snapshots import forget_old_snapshots, remove_files
from camwarden.retention.report import DiskUsage, Reason, RetentionReport
from camwarden.storage.database import Database
from camwarden.storage.models import Camera
from camwarden.storage.recordings import RecordingIndex

if TYPE_CHECKING:
    from camwarden.installation import Installation

log = logging.getLogger(__name__)

GB = 1_000_000_000


class RetentionService:
    def __init__(
        self,
        database: Database,
        recordings_dir: Path,
        clock: Clock,
        audit: AuditLog,
        *,
        free_margin_gb: float,
        check_seconds: float = 60.0,
        disk_usage: Callable[[Path], DiskUsage] | None = None,
        snapshots_dir: Path | None = None,
    ) -> None:
        self._database = database
        self._dir = recordings_dir
        self._clock = clock
        self._audit = audit
        self._index = RecordingIndex(database)
        self.margin_bytes = round(free_margin_gb * GB)
        self.check_seconds = check_seconds
        self._disk_usage = disk_usage or shutil_disk_usage
        self._snapshots_dir = snapshots_dir

    @classmethod
    def for_installation(cls, installation: Installation) -> RetentionService:
        settings = installation.settings
        return cls(
            installation.database,
            settings.recordings_dir,
            installation.clock,
            installation.audit,
            free_margin_gb=settings.free_margin_gb,
            check_seconds=settings.retention_check_seconds,
            snapshots_dir=snapshots_dir(settings.data_dir),
        )

    def reviewed_until(self) -> datetime | None:
        """Footage ending after this instant has no closed review yet: never deleted (R-5.2)."""
        with self._database.reading() as session:
            return reviewed_until(session)

    # -- the two passes --------------------------------------------------------------------

    def apply_age_limits(self, *, actor_name: str = "system") -> RetentionReport:
        """Delete what is older than each camera's retention, except protected footage."""
        report = RetentionReport(reason=Reason.AGE)
        try:
            now = self._clock.now()
            # Chosen while only reading, so that SQLite's write lock (which the recorders
            # wait for) is held just for the marking below.
            with self._database.reading() as session:
                holds = active_holds(session)
                covered = reviewed_until(session)
                chosen: list[Candidate] = []
                cameras = session.execute(
                    select(Camera.id, Camera.retention_days).order_by(Camera.id)
                ).all()
                for camera_id, retention_days in cameras:
                    room = MAX_SEGMENTS_PER_RUN - len(chosen)
                    if room <= 0 or covered is None:
                        break
                    # Past the camera's retention and covered by a closed review, both.
                    ended_by = min(now - timedelta(days=retention_days), covered)
                    chosen += unheld(deletable(session, camera_id, ended_by, room), holds)
            affected = {c.camera_id for c in chosen}
            stale_snapshots: list[str] = []
            with self._database.transaction() as session:
                retained = [(camera_id, days) for camera_id, days in cameras]
                forget_old_activity(
                    session, self._audit, retained, now, covered, actor_name=actor_name
                )
                if self._snapshots_dir is not None:
                    stale_snapshots = forget_old_snapshots(
                        session,
                        self._audit,
                        retained,
                        holds,
                        now,
                        covered,
                        actor_name=actor_name,
                    )
                chosen = mark_deleting(
                    session,
                    self._audit,
                    chosen,
                    report,
                    actor_name=actor_name,
                    # The rule applied, beside what it took, so the Board can check one
                    # against the other.
                    extra={
                        "retention_days": {
                            str(camera_id): days
                            for camera_id, days in cameras
                            if camera_id in affected
                        }
                    },
                )
            if self._snapshots_dir is not None:
                remove_files(self._snapshots_dir, stale_snapshots)
            delete_marked(self._database, self._dir, chosen, report)
        except Exception as exc:  # retention must never take the recorder down with it
            log.exception("retention by age failed")
            report.error = str(exc) or type(exc).__name__
        return report

    def relieve_disk_pressure(self, *, actor_name: str = "system") -> RetentionReport:
        """Under the free margin: delete the oldest unprotected footage until it is back."""
        report = RetentionReport(reason=Reason.DISK_PRESSURE, margin_bytes=self.margin_bytes)
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            usage = self._disk_usage(self._dir)
            report.free_bytes_before = report.free_bytes_after = usage.free
            if self.margin_bytes >= usage.total:
                log.warning(
                    "free_margin_gb (%d bytes) is not below the recordings filesystem's size "
                    "(%d bytes): every unprotected segment will be deleted",
                    self.margin_bytes,
                    usage.total,
                )
            if usage.free >= self.margin_bytes:
                close_disk_full(self._database, self._clock)
                return report
            need = self.margin_bytes - usage.free
            with self._database.reading() as session:
                chosen, exhausted = oldest_unprotected(session, need)
            with self._database.transaction() as session:
                chosen = mark_deleting(
                    session,
                    self._audit,
                    chosen,
                    report,
                    actor_name=actor_name,
                    extra={"free_bytes": usage.free, "margin_bytes": self.margin_bytes},
                )
            delete_marked(self._database, self._dir, chosen, report)
            report.free_bytes_after = self._disk_usage(self._dir).free
            if report.free_bytes_after >= self.margin_bytes:
                close_disk_full(self._database, self._clock)
            elif exhausted:
                # Everything left is protected: say so where the health list shows it.
                report.disk_full = True
                open_disk_full(
                    self._database,
                    self._index,
                    self._clock,
                    self.margin_bytes,
                    report.free_bytes_after,
                )
            # Otherwise recorders filled the disk again while this run freed it: the next
            # run, `retention_check_seconds` later, goes on from the oldest that is left.
        except Exception as exc:  # never raise: the recorder must keep what it can
            log.exception("retention under disk pressure failed")
            report.error = str(exc) or type(exc).__name__
        return report

    def run_once(self, *, actor_name: str = "system") -> tuple[RetentionReport, RetentionReport]:
        """Both passes: by age first (it usually frees enough), then by pressure."""
        return (
            self.apply_age_limits(actor_name=actor_name),
            self.relieve_disk_pressure(actor_name=actor_name),
        )

    def run_forever(self, stop_event: threading.Event) -> None:
        """Run both passes now and every `check_seconds` until `stop_event` is set."""
        while True:
            try:
                self.run_once()
            except Exception:  # the passes catch their own; this is the last guard
                log.exception("retention run failed; trying again in %s s", self.check_seconds)
            if stop_event.wait(self.check_seconds):
                return
