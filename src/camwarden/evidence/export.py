"""Export footage as an evidence package (R-4.3), and lock the footage it came from.

The order matters. Every check (permission in each camera's zone, reason, ranges) happens
before anything is written. The files are written into a hidden `.partial` folder and renamed
into place only when complete, so nobody ever picks up half a package. Then the holds, the
export's record and its audit entry are committed in one transaction. If anything fails,
the folder is removed and nothing is recorded: there is never a record of a package that does
not exist, nor a package the audit log does not know.

A range with no footage at all is exported, not refused: "camera X recorded nothing from 8:00
to 8:10" is itself a fact an investigation may need, and the manifest states it as a gap.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from camwarden import __version__
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.evidence import package as pkg
from camwarden.evidence._ranges import RequestedRange, check_ranges
from camwarden.evidence.clips import ClipResult, SourceSegment, cut_clips
from camwarden.evidence.signing import SigningKey, load_or_create_signing_key
from camwarden.governance._incident_custody import CustodyAction, write_custody
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.authorization import Actor, require
from camwarden.governance.roles import Permission
from camwarden.storage.holds import HoldKind, place_hold
from camwarden.storage.models import EvidenceExport, Incident, User
from camwarden.storage.recordings import SegmentStatus

if TYPE_CHECKING:
    from camwarden.installation import Installation

AUDIT_ACTION = "footage.export"
MAX_REASON_LENGTH = 2000
MAX_APPROVAL_LENGTH = 200
CLOCK_OFFSET_NOTE = (
    "camera_clock_offset_seconds is null: the camera's own clock was not compared with the "
    "server's. Every time here is the recording server's clock (UTC) when the footage arrived."
)
CUT_NOTE = (
    "Clips are stream copies: each begins at the keyframe at or before the requested start, "
    "so 'actual' may begin up to one keyframe interval earlier, and ends with the last frame "
    "before the requested end. 'gaps' are the parts of the requested range with no footage."
)


# A document given as bytes, or made from the manifest's ranges once the clips are cut (a
# biên bản that lists the SHA-256 of the very clips it is packed with).
DocumentSource = bytes | Callable[[list[dict[str, Any]]], bytes]
DOCUMENT_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}\.pdf$")
ANONYMISED_NOTE = (
    "Anonymised copy: every person found in the picture (difference from the empty scene, "
    "motion, a people detector, face detectors) is hidden under a coarse mosaic; the rest of "
    "the picture is unchanged. The clips are re-encoded (H.264) with the recording's "
    "timestamps, so they are not the camera's own packets; the school keeps the original "
    "footage under an evidence hold."
)


@dataclass(frozen=True)
class ExportResult:
    export_id: str
    record_id: int  # the EvidenceExport row
    package_path: Path
    manifest_sha256: str
    key_id: str
    manifest: dict[str, Any]


@dataclass(frozen=True)
class _Camera:
    id: int
    name: str
    zone: str


def export_package(
    installation: Installation,
    actor: Actor,
    ranges: Sequence[tuple[int, datetime, datetime]],
    *,
    reason: str,
    approval_reference: str = "",
    out_dir: Path,
    incident_id: int | None = None,
    documents: Mapping[str, DocumentSource] | None = None,
    anonymise: bool = False,
) -> ExportResult:
    """Write the package for `ranges` (camera id, start, end) into `out_dir`; lock the footage.

    `documents` (file name → PDF) go into documents/, listed with their SHA-256 in the signed
    manifest; `incident_id` ties the export to an incident's chain of custody. `anonymise`
    replaces each clip by a re-encode with the people hidden (R-4.2: copies for people outside
    the school), before it is hashed and signed.
    """
    require(actor, Permission.EXPORT_FOOTAGE)
    documents = dict(documents or {})
    for document_name in documents:
        if not DOCUMENT_NAME.match(document_name):
            raise InvalidInput(
                "The document name {value} is not a plain .pdf file name.",
                field="documents",
                value=document_name,
            )
    if incident_id is not None:
        require(actor, Permission.MANAGE_INCIDENTS)
    reason = required_text(reason, field="reason", max_length=MAX_REASON_LENGTH)
    approval_reference = bounded_text(
        approval_reference, field="approval_reference", max_length=MAX_APPROVAL_LENGTH
    )
    now = installation.clock.now()
    requested = check_ranges(ranges, now=now)
    cameras, exporter_name, incident_reference = _authorise(
        installation, actor, requested, incident_id
    )
    key = load_or_create_signing_key(installation.settings.secrets_dir)
    export_id = secrets.token_hex(4)
    name = f"camwarden-evidence-{pkg.compact_utc(now)}-{export_id}"
    final = out_dir / name
    if final.exists():
        raise Conflict("The folder {path} already exists.", path=str(final))
    work = out_dir / f".{name}.partial"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        # Footage of pupils is personal data: on the server, only the system account that runs
        # camwarden may open the package until it is handed over.
        work.mkdir(mode=0o700)
        (work / pkg.CLIPS_DIR).mkdir()  # always there, even when a range has no footage
        entries = []
        actual: list[tuple[datetime, datetime]] = []
        used: set[str] = set()
        for index, wanted in enumerate(requested):
            camera = cameras[wanted.camera_id]
            base = f"{pkg.slug(camera.name)}-{pkg.compact_utc(wanted.start)}"
            # Two camera names can give one slug ("Cổng 1", "Cong 1"): keep clip names apart.
            base = f"{base}-{index + 1}" if base in used else base
            used.add(base)
            result = _cut(installation, wanted, work, base)
            if anonymise:
                # OpenCV loads only for the exports that need it, not with every server.
                from camwarden.evidence.anonymise import anonymise_clips

                result = anonymise_clips(result)
            entries.append(_range_entry(camera, wanted, result, work))
            actual.append(_extent(wanted, result))
        manifest: dict[str, Any] = {
            "format": pkg.FORMAT,
            "format_version": pkg.FORMAT_VERSION,
            "software": {"name": "camwarden", "version": __version__},
            "installation_key_id": key.key_id,
            "export_id": export_id,
            "package": name,
            "created_at": pkg.iso_utc(now),
            "exported_by": {"username": actor.username, "full_name": exporter_name},
            "reason": reason,
            "approval_reference": approval_reference,
            "school_timezone": installation.settings.timezone,
            "ranges": entries,
            "notes": {"camera_clock_offset": CLOCK_OFFSET_NOTE, "cuts": CUT_NOTE},
            "anonymised": anonymise,
        }
        if anonymise:
            manifest["notes"]["anonymised"] = ANONYMISED_NOTE
        if incident_id is not None:
            manifest["incident"] = incident_reference
        if documents:
            manifest["documents"] = _write_documents(work, documents, entries)
        manifest_sha256 = _write_package_files(work, name, key, manifest)
        work.rename(final)
        record_id = _record(
            installation,
            actor,
            requested,
            actual,
            package_name=name,
            export_id=export_id,
            reason=reason,
            approval_reference=approval_reference,
            manifest_sha256=manifest_sha256,
            incident_id=incident_id,
            anonymised=anonymise,
        )
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise
    return ExportResult(export_id, record_id, final, manifest_sha256, key.key_id, manifest)


def _authorise(
    installation: Installation,
    actor: Actor,
    requested: list[RequestedRange],
    incident_id: int | None = None,
) -> tuple[dict[int, _Camera], str, str]:
    """Each camera exists and the actor may export in its zone; also the exporter's full name
    and the incident's reference."""
    cameras: dict[int, _Camera] = {}
    with installation.database.reading() as session:
        incident_reference = ""
        if incident_id is not None:
            incident = session.get(Incident, incident_id)
            if incident is None:
                raise NotFound("Incident {value} does not exist.", value=incident_id)
            incident_reference = incident.reference
        for camera_id in dict.fromkeys(r.camera_id for r in requested):
            # A camera the actor may not even see is reported as absent, as everywhere else.
            camera = installation.cameras.get(session, actor, camera_id)
            require(actor, Permission.EXPORT_FOOTAGE, camera.zone_id)
            cameras[camera_id] = _Camera(camera.id, camera.name, camera.zone.name)
        user = session.get(User, actor.user_id) if actor.user_id is not None else None
        return cameras, user.full_name if user is not None else "", incident_reference


def _cut(installation: Installation, wanted: RequestedRange, work: Path, base: str) -> ClipResult:
    recordings = installation.settings.recordings_dir.resolve()
    sources = []
    for segment in installation.recordings.segments(wanted.camera_id, wanted.start, wanted.end):
        if segment.status == SegmentStatus.DELETING:
            continue  # retention is removing it: it is no longer footage, the gap will show
        path = (recordings / segment.path).resolve()
        # The index is trusted, but an export must never read outside the recordings folder.
        if not path.is_relative_to(recordings) or not path.is_file():
            raise NotFound(
                "The recording {path} is in the index but not on the disk; run "
                "`camwarden fsck`, then export again.",
                path=segment.path,
            )
        sources.append(SourceSegment(path, segment.start_at))
    clips_dir = work / pkg.CLIPS_DIR
    return cut_clips(
        sources,
        wanted.start,
        wanted.end,
        lambda part: clips_dir / (f"{base}.mp4" if part == 0 else f"{base}-part{part + 1}.mp4"),
    )


def _range_entry(
    camera: _Camera, wanted: RequestedRange, result: ClipResult, work: Path
) -> dict[str, Any]:
    clips = []
    for clip in result.clips:
        clips.append(
            {
                "file": clip.path.relative_to(work).as_posix(),
                "bytes": clip.path.stat().st_size,
                "sha256": pkg.sha256_file(clip.path),
                "frames": clip.frames,
                "codec": clip.codec,
                "width": clip.width,
                "height": clip.height,
                "actual": {"start": pkg.iso_utc(clip.start), "end": pkg.iso_utc(clip.end)},
            }
        )
    return {
        "camera": {"id": camera.id, "name": camera.name, "zone": camera.zone},
        "requested": {"start": pkg.iso_utc(wanted.start), "end": pkg.iso_utc(wanted.end)},
        "camera_clock_offset_seconds": None,
        "clips": clips,
        "gaps": [{"start": pkg.iso_utc(g.start), "end": pkg.iso_utc(g.end)} for g in result.gaps],
    }


def _extent(wanted: RequestedRange, result: ClipResult) -> tuple[datetime, datetime]:
    """The requested range widened to what the clips hold (the keyframe before the start)."""
    starts = [wanted.start, *(clip.start for clip in result.clips)]
    ends = [wanted.end, *(clip.end for clip in result.clips)]
    return min(starts), max(ends)


def _write_documents(
    work: Path, documents: dict[str, DocumentSource], ranges: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    folder = work / pkg.DOCUMENTS_DIR
    folder.mkdir()
    listed = []
    for name, source in sorted(documents.items()):
        content = source if isinstance(source, bytes) else source(ranges)
        path = folder / name
        path.write_bytes(content)
        listed.append(
            {
                "file": path.relative_to(work).as_posix(),
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    return listed


def _write_package_files(work: Path, name: str, key: SigningKey, manifest: dict[str, Any]) -> str:
    """manifest.json, its signature, the public key, SHA256SUMS, README.txt; the manifest's hash."""
    manifest_bytes = pkg.canonical_json(manifest)
    (work / pkg.MANIFEST).write_bytes(manifest_bytes)
    (work / pkg.SIGNATURE).write_bytes(key.sign(manifest_bytes))
    (work / pkg.PUBLIC_KEY).write_bytes(key.public_pem)
    manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    hashes = {pkg.MANIFEST: manifest_sha256}
    for entry in manifest["ranges"]:
        hashes.update({clip["file"]: clip["sha256"] for clip in entry["clips"]})
    hashes.update({doc["file"]: doc["sha256"] for doc in manifest.get("documents", [])})
    (work / pkg.SUMS).write_text(pkg.sums_text(hashes), encoding="utf-8")
    (work / pkg.README).write_text(pkg.readme_text(name, key.key_id), encoding="utf-8")
    return manifest_sha256


def _record(
    installation: Installation,
    actor: Actor,
    requested: list[RequestedRange],
    actual: list[tuple[datetime, datetime]],
    *,
    package_name: str,
    export_id: str,
    reason: str,
    approval_reference: str,
    manifest_sha256: str,
    incident_id: int | None = None,
    anonymised: bool = False,
) -> int:
    """Holds over the footage, the export's row and its audit entry (and, for an incident, its
    custody event): one transaction."""
    now = installation.clock.now()
    ranges = [
        {"camera_id": r.camera_id, "start": pkg.iso_utc(r.start), "end": pkg.iso_utc(r.end)}
        for r in requested
    ]
    with installation.database.transaction() as session:
        for wanted, (start, end) in zip(requested, actual, strict=True):
            place_hold(
                session,
                camera_id=wanted.camera_id,
                start_at=start,
                end_at=end,
                kind=HoldKind.EVIDENCE,
                reference=f"export:{export_id}",
                created_by=actor.username,
                now=now,
            )
        record = EvidenceExport(
            created_at=now,
            created_by=actor.username[:64],
            reason=reason,
            approval_reference=approval_reference,
            ranges=json.dumps(ranges, ensure_ascii=False),
            package_name=package_name,
            manifest_sha256=manifest_sha256,
            incident_id=incident_id,
            anonymised=anonymised,
        )
        session.add(record)
        session.flush()
        if incident_id is not None:
            write_custody(
                session,
                incident_id=incident_id,
                actor=actor.username,
                action=CustodyAction.EXPORTED,
                details={
                    "export_id": record.id,
                    "package": package_name,
                    "manifest_sha256": manifest_sha256,
                },
                now=now,
            )
        installation.audit.record(
            session,
            actor,
            AUDIT_ACTION,
            target_type="evidence_export",
            target_id=record.id,
            details={
                "ranges": ranges,
                "reason": reason,
                "approval_reference": approval_reference,
                "package": package_name,
                "manifest_sha256": manifest_sha256,
                "anonymised": anonymised,
                **({"incident_id": incident_id} if incident_id is not None else {}),
            },
        )
        return record.id
