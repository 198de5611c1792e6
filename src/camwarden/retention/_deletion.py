"""Retention's crash-safe deletion: the chosen segments marked `deleting` with the run's one
audit entry, in one transaction; then the files unlinked and their folders synced before the
rows go. A crash between the two leaves rows marked `deleting`, which fsck finishes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from camwarden.governance.audit import AuditLog
from camwarden.retention._candidates import (
    DELETABLE,
    Candidate,
    active_holds,
    batches,
    hold_placement_waits,
    unheld,
)
from camwarden.retention._files import fsync_dir, remove_if_empty
from camwarden.retention.report import CameraDeletions, Reason, RetentionReport
from camwarden.storage.database import Database
from camwarden.storage.models import Segment
from camwarden.storage.recordings import SegmentStatus

log = logging.getLogger(__name__)

AUDIT_ACTION = "footage.retention_delete"


def mark_deleting(
    session: Session,
    audit: AuditLog,
    chosen: Sequence[Candidate],
    report: RetentionReport,
    *,
    actor_name: str,
    extra: dict[str, Any] | None = None,
) -> list[Candidate]:
    """Mark the rows `deleting` and write the run's one audit entry, in one transaction.

    Holds are read again here, under the lock that makes hold placement wait: one placed
    since the choice was made still saves its footage.
    """
    if not chosen:
        return []
    hold_placement_waits(session)
    chosen = unheld(chosen, active_holds(session))
    by_id = {c.id: c for c in chosen}
    marked: set[int] = set()
    for batch in batches(list(by_id)):
        # Only rows still finished: another run (the CLI beside the server's worker) may
        # have taken some; RETURNING says which are ours.
        marked.update(
            session.scalars(
                update(Segment)
                .where(Segment.id.in_(batch), Segment.status.in_(DELETABLE))
                .values(status=SegmentStatus.DELETING)
                .returning(Segment.id)
                .execution_options(synchronize_session=False)
            )
        )
    mine = [c for c in chosen if c.id in marked]
    for candidate in mine:
        report.deleted.setdefault(candidate.camera_id, CameraDeletions()).add(
            candidate.start_at, candidate.end_at, candidate.bytes
        )
    if mine:
        audit.record(
            session,
            None,
            AUDIT_ACTION,
            target_type="recordings",
            actor_name=actor_name,
            details={
                "reason": report.reason.value,
                "segments": report.segments,
                "bytes_freed": report.bytes_freed,
                "cameras": {
                    str(camera_id): {
                        "segments": d.segments,
                        "bytes": d.bytes,
                        "from": _iso(d.first_start),
                        "until": _iso(d.last_end),
                    }
                    for camera_id, d in sorted(report.deleted.items())
                },
                **(extra or {}),
            },
        )
    return mine


def delete_marked(
    database: Database, recordings_dir: Path, marked: Sequence[Candidate], report: RetentionReport
) -> None:
    """Unlink the marked files, sync their folders, then drop the rows."""
    if not marked:
        return
    kept: list[Candidate] = []
    folders: set[Path] = set()
    for candidate in marked:
        path = recordings_dir / candidate.path
        try:
            path.unlink()
        except FileNotFoundError:
            pass  # already gone (a crash after unlink, or removed by hand): still done
        except OSError as exc:
            log.error("retention could not delete %s, keeping it: %s", candidate.path, exc)
            kept.append(candidate)
            continue
        folders.add(path.parent)
        log.info(
            "retention (%s) deleted camera %d segment %s, %d bytes, %s to %s",
            report.reason.value,
            candidate.camera_id,
            candidate.path,
            candidate.bytes,
            _iso(candidate.start_at),
            _iso(candidate.end_at),
        )
    # The unlinks must be on disk before the rows go: else a power cut could bring back
    # files the index no longer knows (fsck would index them again as recovered).
    for folder in folders:
        fsync_dir(folder)
    kept_ids = {c.id for c in kept}
    with database.transaction() as session:
        for batch in batches([c.id for c in marked if c.id not in kept_ids]):
            session.execute(delete(Segment).where(Segment.id.in_(batch)))
        for candidate in kept:
            session.execute(
                update(Segment).where(Segment.id == candidate.id).values(status=candidate.status)
            )
    for candidate in kept:
        report.failed.append(candidate.path)
        found = report.deleted.get(candidate.camera_id)
        if found is not None:
            found.segments -= 1
            found.bytes -= candidate.bytes
            if found.segments == 0:
                del report.deleted[candidate.camera_id]
    for folder in folders:
        remove_if_empty(folder, recordings_dir)
    log.log(
        logging.WARNING if report.reason is Reason.DISK_PRESSURE else logging.INFO,
        "retention (%s): %d segments deleted, %d bytes freed",
        report.reason.value,
        report.segments,
        report.bytes_freed,
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
