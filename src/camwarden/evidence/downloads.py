"""Handing over an evidence package: one zip per package, made once, every copy audited."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sqlalchemy.orm import Session

from camwarden.errors import NotFound
from camwarden.governance._incident_custody import CustodyAction, write_custody
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, require
from camwarden.governance.roles import Permission
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import EvidenceExport


def exports_dir(data_dir: Path) -> Path:
    return data_dir / "exports"


def package_zip(
    session: Session, audit: AuditLog, actor: Actor, data_dir: Path, export_id: int
) -> Path:
    """The zip of export `export_id`, for someone who may export footage; the copy is logged
    (R-4.3 chain of custody: who took a copy, when)."""
    require(actor, Permission.EXPORT_FOOTAGE)
    record = get_by_id(session, EvidenceExport, export_id)
    root = exports_dir(data_dir).resolve()
    folder = (root / record.package_name).resolve() if record else None
    if record is None or folder is None or not folder.is_relative_to(root) or not folder.is_dir():
        raise NotFound("Evidence package {value} does not exist.", value=export_id)
    archive = folder.with_suffix(".zip")
    if not archive.exists():
        partial = folder.with_suffix(".zip.partial")
        # Stored, not compressed: H.264 does not shrink, and the hashes inside stay the proof.
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as bundle:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    bundle.write(path, Path(record.package_name) / path.relative_to(folder))
        partial.replace(archive)
    entry = audit.record(
        session,
        actor,
        "footage.export_download",
        target_type="evidence_export",
        target_id=record.id,
        details={"package": record.package_name},
    )
    if record.incident_id is not None:
        # A copy of an incident's evidence leaving the server is a link in its custody chain.
        write_custody(
            session,
            incident_id=record.incident_id,
            actor=actor.username,
            action=CustodyAction.DOWNLOADED,
            details={"export_id": record.id, "package": record.package_name},
            now=entry.at,
        )
    return archive
