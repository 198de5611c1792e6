"""The report of a signed-off review cycle (R-5.1): the period per unit and camera, the
footage bookmarked and archived, the units' check-offs, and who signed it off and when.

Written once, at sign-off, in the installation's language; its SHA-256 is kept on the cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from camwarden.documents.pdf import OfficialDocument, vietnamese_date
from camwarden.governance.alerts import ALERT_KIND_LABELS
from camwarden.governance.reviews import CycleView
from camwarden.i18n import gettext


def _local(moment: datetime | None, timezone: ZoneInfo, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return f"{moment.astimezone(timezone):%d/%m/%Y %H:%M{':%S' if seconds else ''}}"


def _alerts_text(alerts: dict[str, int]) -> str:
    return ", ".join(
        f"{gettext(ALERT_KIND_LABELS.get(kind, kind))}: {count}" for kind, count in alerts.items()
    )


def review_report_pdf(
    view: CycleView,
    *,
    school_name: str,
    timezone: ZoneInfo,
    names: Mapping[str, str] | None = None,
) -> bytes:
    """The report; `names` gives the full name of each account (username → name) so that the
    paper names people; an account not in it is printed as it is."""
    names = names or {}

    def person(username: str | None) -> str:
        return names.get(username or "", username or "")

    cycle = view.cycle
    signed_at = cycle.signed_off_at or cycle.opened_at
    last_day = cycle.period_end - timedelta(days=1)
    document = OfficialDocument(
        school_name=school_name,
        title=gettext("Report of the footage review"),
        subtitle=gettext("From {start} to {end}").format(
            start=f"{cycle.period_start.astimezone(timezone):%d/%m/%Y}",
            end=f"{last_day.astimezone(timezone):%d/%m/%Y}",
        ),
        number=f"RV-{cycle.id:04d}",
        place_and_date=vietnamese_date(signed_at.astimezone(timezone)),
        created_at=signed_at,
    )
    document.field(gettext("Review cycle"), str(cycle.id))
    document.field(gettext("Opened"), _local(cycle.opened_at, timezone))
    document.field(gettext("Due"), _local(cycle.due_at, timezone))
    document.field(gettext("Signed off by"), person(cycle.signed_off_by))
    document.field(gettext("Signed off at"), _local(cycle.signed_off_at, timezone))
    if cycle.sign_off_note:
        document.field(gettext("Note"), cycle.sign_off_note)

    document.heading(gettext("Summary per unit and camera"))
    for unit in view.units:
        check = view.checks.get(unit.unit)
        document.field(
            unit.unit,
            gettext("checked off by {who} on {when}").format(
                who=person(check.reviewed_by), when=_local(check.reviewed_at, timezone)
            )
            if check
            else gettext("not checked off"),
        )
        document.table(
            [
                gettext("Camera"),
                gettext("Alerts"),
                gettext("Incidents"),
                gettext("Outages (minutes)"),
                gettext("Active hours"),
                gettext("Busiest hour"),
                gettext("Recorded hours"),
            ],
            [
                [
                    camera.camera_name,
                    _alerts_text(camera.alerts) or "0",
                    ", ".join(camera.incidents) or "0",
                    f"{camera.outages} ({camera.outage_minutes:.0f})",
                    str(camera.active_hours),
                    f"{camera.busiest_hour:02d}:00" if camera.busiest_hour is not None else "—",
                    f"{camera.recorded_hours:.2f}",
                ]
                for camera in unit.cameras
            ],
            widths=(34, 40, 22, 20, 16, 16, 17),
        )

    document.heading(gettext("Footage bookmarked and archived"))
    kept = [b for b in view.bookmarks if b.removed_at is None]
    document.table(
        [gettext("Camera"), gettext("From"), gettext("To"), gettext("Note"), gettext("By")],
        [
            [
                bookmark.camera.name,
                _local(bookmark.start_at, timezone, seconds=True),
                _local(bookmark.end_at, timezone, seconds=True),
                bookmark.note,
                person(bookmark.created_by),
            ]
            for bookmark in kept
        ],
        widths=(32, 28, 28, 61, 26),
    )
    document.signatures(
        [
            (gettext("Prepared by"), ""),
            (gettext("For the Board"), person(cycle.signed_off_by)),
        ]
    )
    return document.to_bytes()
