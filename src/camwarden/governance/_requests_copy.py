"""The anonymised copy of a request's footage for someone outside the school (R-4.2).

Children's images are personal data (Decree 13/2023, Law 91/2025): an outsider only ever sees
a package in which the people filmed are unrecognisable. It is exported under the approving
board member's name with the request's reference as the approval, into
`<data>/exports/requests/<reference>/`, and the grant page serves it from there.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import CamwardenError, Conflict
from camwarden.evidence import package as pkg
from camwarden.evidence.export import export_package
from camwarden.governance.authorization import Actor
from camwarden.storage.models import EvidenceExport, FootageRequest

if TYPE_CHECKING:
    from camwarden.governance.requests import Decision
    from camwarden.installation import Installation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CopyClip:
    camera: str
    file: str  # relative to the package folder
    start: str
    end: str


def copies_dir(data_dir: Path, reference: str) -> Path:
    return data_dir / "exports" / "requests" / reference


def produce_anonymised_copy(installation: Installation, actor: Actor, request_id: int) -> Path:
    """Export the request's cameras and range with the people hidden; the package's folder."""
    with installation.database.reading() as session:
        request = session.get(FootageRequest, request_id)
        if request is None or request.status != "approved":
            raise Conflict("Request {value} is not approved.", value=request_id)
        ranges = [(c.id, request.footage_start, request.footage_end) for c in request.cameras]
        reference = request.reference
    result = export_package(
        installation,
        actor,
        ranges,
        reason=f"Footage request {reference} (R-4.2)",
        approval_reference=reference,
        out_dir=copies_dir(installation.settings.data_dir, reference),
        anonymise=True,
    )
    return result.package_path


def prepare_copy(installation: Installation, actor: Actor, decision: Decision) -> None:
    """After an approval is committed: the anonymised copy an outsider's grant serves. When it
    cannot be made, the grant page says the copy is not ready; the approval stands."""
    if decision.grant is None or decision.link_token is None:
        return
    try:
        produce_anonymised_copy(installation, actor, decision.request.id)
    except CamwardenError as error:
        log.warning("No anonymised copy for %s: %s", decision.request.reference, error)


def anonymised_package(session: Session, data_dir: Path, request: FootageRequest) -> Path | None:
    """The folder of the request's anonymised copy, once made. Staff may cite the request's
    reference on exports of their own; only a package in the request's own folder counts."""
    names = session.scalars(
        select(EvidenceExport.package_name)
        .where(
            EvidenceExport.approval_reference == request.reference,
            EvidenceExport.anonymised.is_(True),
        )
        .order_by(EvidenceExport.id.desc())
    )
    for name in names:
        folder = copies_dir(data_dir, request.reference) / name
        if (folder / pkg.MANIFEST).is_file():
            return folder
    return None


def package_clips(folder: Path) -> list[CopyClip]:
    manifest = json.loads((folder / pkg.MANIFEST).read_text(encoding="utf-8"))
    return [
        CopyClip(
            camera=str(entry.get("camera", {}).get("name", "")),
            file=str(clip["file"]),
            start=str(clip.get("actual", {}).get("start", "")),
            end=str(clip.get("actual", {}).get("end", "")),
        )
        for entry in manifest.get("ranges", [])
        for clip in entry.get("clips", [])
    ]
