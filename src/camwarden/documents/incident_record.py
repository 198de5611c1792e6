"""The written record of an incident (biên bản sự việc, R-4.3) as a PDF.

It is an official paper of a Vietnamese school, so it is always written in Vietnamese,
whatever the language of the person who prints it. It names the time and place, the people
present and involved, what happened, the footage (each clip's camera and times in school time,
and the SHA-256 of every file exported for it, or "chưa xuất" when no package holds it yet), the
decisions, and ends with the signature lines.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from camwarden.documents.pdf import OfficialDocument, vietnamese_date
from camwarden.i18n import gettext, reset_locale, set_current_locale
from camwarden.storage.models import Incident, IncidentClip, IncidentEntry

RECORD_LOCALE = "vi"


@dataclass(frozen=True)
class RecordFacts:
    incident: Incident
    clips: Sequence[IncidentClip]
    entries: Sequence[IncidentEntry]
    # The ranges of the package's manifest (its clips' hashes), when one was exported.
    exported_ranges: Sequence[dict[str, Any]]
    written_by: str  # the full name of who produces the record
    written_at: datetime
    # Who wrote what: username → full name, for the notes.
    names: dict[str, str]


@contextlib.contextmanager
def _in_vietnamese() -> Iterator[None]:
    token = set_current_locale(RECORD_LOCALE)
    try:
        yield
    finally:
        reset_locale(token)


def record_file_name(reference: str) -> str:
    return f"bien-ban-{reference.lower()}.pdf"


def clip_hashes(clip: IncidentClip, ranges: Sequence[dict[str, Any]]) -> list[str]:
    """The SHA-256 of the exported files that hold `clip`: those of the manifest's range of the
    same camera covering the clip's times."""
    for entry in ranges:
        camera = entry.get("camera", {})
        requested = entry.get("requested", {})
        if camera.get("id") != clip.camera_id:
            continue
        start, end = _instant(requested.get("start")), _instant(requested.get("end"))
        if start is not None and end is not None and start <= clip.start_at and clip.end_at <= end:
            return [str(part.get("sha256", "")) for part in entry.get("clips", [])]
    return []


def incident_record_pdf(facts: RecordFacts, *, school_name: str, timezone: ZoneInfo) -> bytes:
    with _in_vietnamese():
        return _build(facts, school_name, timezone)


def _build(facts: RecordFacts, school_name: str, timezone: ZoneInfo) -> bytes:
    incident = facts.incident

    def local(moment: datetime) -> str:
        return f"{moment.astimezone(timezone):%H:%M:%S ngày %d/%m/%Y}"

    document = OfficialDocument(
        school_name=school_name,
        # Not `subtitle`: OfficialDocument's subtitle line fails to lay out (reported to the lead).
        title=gettext("Incident record"),
        number=incident.reference,
        place_and_date=vietnamese_date(facts.written_at.astimezone(timezone)),
        created_at=facts.written_at,
    )
    document.field(gettext("Incident"), incident.title)
    document.heading(gettext("I. Time and place"))
    document.field(gettext("When it happened"), local(incident.occurred_at))
    document.field(gettext("Place"), incident.location)
    document.field(gettext("Record written at"), local(facts.written_at))
    document.field(gettext("Record written by"), facts.written_by)

    people = [e for e in facts.entries if e.kind == "person"]
    document.heading(gettext("II. People present and involved"))
    document.table(
        [gettext("Row number"), gettext("Full name"), gettext("Capacity")],
        [[str(n), person.text, person.capacity] for n, person in enumerate(people, 1)],
        widths=(12, 90, 73),
    )

    document.heading(gettext("III. What happened"))
    document.paragraph(incident.description)
    for note in (e for e in facts.entries if e.kind == "note"):
        who = facts.names.get(note.written_by, note.written_by)
        document.paragraph(f"{local(note.written_at)} ({who}): {note.text}")

    document.heading(gettext("IV. Footage kept as evidence"))
    rows = []
    for n, clip in enumerate(facts.clips, 1):
        hashes = clip_hashes(clip, facts.exported_ranges)
        shown = "\n".join(_wrapped(h) for h in hashes) if hashes else gettext("not exported")
        rows.append(
            [
                str(n),
                clip.camera.name,
                f"{local(clip.start_at)}\n{local(clip.end_at)}",
                shown,
            ]
        )
    document.table(
        [gettext("Row number"), gettext("Camera"), gettext("From – to"), "SHA-256"],
        rows,
        widths=(10, 40, 50, 75),
    )
    document.paragraph(
        gettext(
            "The footage is locked against deletion while the incident exists. The SHA-256 "
            "of each exported file can be checked with `sha256sum` against the evidence package."
        )
    )

    decisions = [e for e in facts.entries if e.kind == "decision"]
    document.heading(gettext("V. Decisions"))
    if decisions:
        for n, decision in enumerate(decisions, 1):
            document.paragraph(f"{n}. {decision.text}")
    else:
        document.paragraph(gettext("No decision yet."))

    document.paragraph(
        gettext("The record was read to those present, who agreed with it and signed below.")
    )
    document.signatures(
        [
            (gettext("Written by"), facts.written_by),
            (gettext("For the Board of the school"), ""),
            (gettext("Person involved"), ""),
        ]
    )
    return document.to_bytes()


def _wrapped(digest: str) -> str:
    """A 64-character hash in two halves, so the table's column stays narrow."""
    return f"{digest[:32]}\n{digest[32:]}" if len(digest) > 32 else digest


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
