"""An incident's papers and copies: the biên bản PDF, the evidence package that carries it,
and the check of a package already made; each is a link in the chain of custody."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.documents.incident_record import (
    RecordFacts,
    incident_record_pdf,
    record_file_name,
)
from camwarden.errors import Conflict, NotFound
from camwarden.evidence import package as pkg
from camwarden.evidence.downloads import exports_dir
from camwarden.evidence.export import ExportResult, export_package
from camwarden.evidence.verify import VerificationReport, verify_package
from camwarden.governance._incident_reading import live_clips
from camwarden.governance.authorization import Actor, require
from camwarden.governance.roles import Permission
from camwarden.storage.models import IncidentClip, User

if TYPE_CHECKING:
    from camwarden.installation import Installation


def written_record(installation: Installation, actor: Actor, incident_id: int) -> tuple[bytes, str]:
    """The biên bản as it stands, with the hashes of the latest package; printing it is logged."""
    with installation.database.transaction() as session:
        incident = installation.incidents.get(session, actor, incident_id)
        ranges = _latest_exported_ranges(installation, session, actor, incident_id)
        content = _record_pdf(installation, session, actor, incident_id, ranges)
        installation.incidents.chain.record_printed(
            session, actor, incident_id, sha256=_sha256(content)
        )
        return content, record_file_name(incident.reference)


def export_incident(
    installation: Installation,
    actor: Actor,
    incident_id: int,
    *,
    reason: str,
    approval_reference: str = "",
) -> ExportResult:
    """A signed package of the incident's clips with its biên bản (listing those clips' hashes)."""
    require(actor, Permission.MANAGE_INCIDENTS)
    with installation.database.reading() as session:
        incident = installation.incidents.get(session, actor, incident_id)
        reference = incident.reference
        clips = live_clips(session, incident.id)
        if not clips:
            raise Conflict("Incident {reference} has no clip to export.", reference=reference)
        ranges = _merged_ranges(clips)

    def record(manifest_ranges: list[dict[str, Any]]) -> bytes:
        with installation.database.reading() as session:
            return _record_pdf(installation, session, actor, incident_id, manifest_ranges)

    folder = exports_dir(installation.settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return export_package(
        installation,
        actor,
        ranges,
        reason=reason,
        approval_reference=approval_reference,
        out_dir=folder,
        incident_id=incident_id,
        documents={record_file_name(reference): record},
    )


def verify_incident_package(
    installation: Installation, actor: Actor, incident_id: int, export_id: int
) -> VerificationReport:
    """Check a package of the incident as it lies on the server; the check is a custody link."""
    require(actor, Permission.MANAGE_INCIDENTS)
    with installation.database.reading() as session:
        record = installation.incidents.export(session, actor, incident_id, export_id)
        folder = _package_folder(installation, record.package_name, export_id)
    report = verify_package(folder)
    with installation.database.transaction() as session:
        installation.incidents.chain.record_verification(
            session,
            actor,
            incident_id,
            export_id,
            intact=report.ok,
            problems=[problem.render() for problem in report.problems],
        )
    return report


def _record_pdf(
    installation: Installation,
    session: Session,
    actor: Actor,
    incident_id: int,
    ranges: Sequence[dict[str, Any]],
) -> bytes:
    incidents = installation.incidents
    incident = incidents.get(session, actor, incident_id)
    entries = incidents.entries(session, actor, incident_id)
    writers = {incident.opened_by, actor.username, *(entry.written_by for entry in entries)}
    names = {
        user.username: user.full_name
        for user in session.scalars(select(User).where(User.username.in_(sorted(writers))))
    }
    facts = RecordFacts(
        incident=incident,
        clips=live_clips(session, incident.id),
        entries=entries,
        exported_ranges=ranges,
        written_by=names.get(actor.username) or actor.username,
        written_at=installation.clock.now(),
        names=names,
    )
    return incident_record_pdf(
        facts,
        school_name=installation.settings.school_name,
        timezone=ZoneInfo(installation.settings.timezone),
    )


def _latest_exported_ranges(
    installation: Installation, session: Session, actor: Actor, incident_id: int
) -> list[dict[str, Any]]:
    """The ranges of the newest package of the incident still on the server, if any."""
    for record in reversed(installation.incidents.exports(session, actor, incident_id)):
        try:
            folder = _package_folder(installation, record.package_name, record.id)
            manifest = json.loads((folder / pkg.MANIFEST).read_text(encoding="utf-8"))
        except (NotFound, OSError, ValueError):
            continue
        ranges = manifest.get("ranges") if isinstance(manifest, dict) else None
        if isinstance(ranges, list):
            return [entry for entry in ranges if isinstance(entry, dict)]
    return []


def _package_folder(installation: Installation, package_name: str, export_id: int) -> Path:
    root = exports_dir(installation.settings.data_dir).resolve()
    folder = (root / package_name).resolve()
    if not folder.is_relative_to(root) or not folder.is_dir():
        raise NotFound("Evidence package {value} does not exist.", value=export_id)
    return folder


def _merged_ranges(clips: Sequence[IncidentClip]) -> list[tuple[int, datetime, datetime]]:
    """One range per stretch of a camera: overlapping clips of one camera are exported once."""
    merged: list[tuple[int, datetime, datetime]] = []
    for clip in sorted(clips, key=lambda c: (c.camera_id, c.start_at)):
        if merged and merged[-1][0] == clip.camera_id and clip.start_at <= merged[-1][2]:
            camera_id, start, end = merged[-1]
            merged[-1] = (camera_id, start, max(end, clip.end_at))
        else:
            merged.append((clip.camera_id, clip.start_at, clip.end_at))
    return merged


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
