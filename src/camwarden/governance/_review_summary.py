"""What happened on each camera during a review period: the figures a reviewer starts from.

Read only; computed when asked (a period is 15 days, so a page view reads at most 15 days of
each camera's alerts, events, activity hours and segment times).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.storage.models import (
    Alert,
    Camera,
    CameraEvent,
    Incident,
    IncidentClip,
    MotionActivity,
    Segment,
    Zone,
)

# The outages a review looks at: the camera showed nothing, or nothing was kept.
OUTAGE_KINDS = ("video_loss", "recording_stopped")
# A slice counts as activity from this level (0-255): a few per cent of the picture moving,
# not sensor noise.
ACTIVE_LEVEL = 8


@dataclass
class CameraSummary:
    camera_id: int
    camera_name: str
    zone_id: int
    zone_name: str
    unit: str
    alerts: dict[str, int] = field(default_factory=dict)
    incidents: list[str] = field(default_factory=list)
    outages: int = 0
    outage_minutes: float = 0.0
    active_hours: int = 0
    # The hour of the day (school time, 0-23) with the most activity over the period.
    busiest_hour: int | None = None
    recorded_hours: float = 0.0

    @property
    def alert_count(self) -> int:
        return sum(self.alerts.values())


@dataclass
class UnitSummary:
    unit: str
    cameras: list[CameraSummary] = field(default_factory=list)


def _overlap_minutes(start: datetime, end: datetime, since: datetime, until: datetime) -> float:
    seconds = (min(end, until) - max(start, since)).total_seconds()
    return max(0.0, seconds / 60)


def summarise(
    session: Session,
    cameras: Iterable[Camera],
    since: datetime,
    until: datetime,
    now: datetime,
    timezone: ZoneInfo,
) -> list[UnitSummary]:
    """Each camera's period, grouped by the unit responsible for its zone (R-6.1)."""
    units: dict[str, UnitSummary] = {}
    for camera in sorted(cameras, key=lambda c: (c.zone.responsible_unit, c.name)):
        summary = _camera_summary(session, camera, since, until, now, timezone)
        units.setdefault(summary.unit, UnitSummary(summary.unit)).cameras.append(summary)
    return list(units.values())


def _camera_summary(
    session: Session,
    camera: Camera,
    since: datetime,
    until: datetime,
    now: datetime,
    timezone: ZoneInfo,
) -> CameraSummary:
    zone: Zone = camera.zone
    summary = CameraSummary(
        camera_id=camera.id,
        camera_name=camera.name,
        zone_id=zone.id,
        zone_name=zone.name,
        unit=zone.responsible_unit,
    )
    kinds = session.scalars(
        select(Alert.kind).where(
            Alert.camera_id == camera.id, Alert.raised_at >= since, Alert.raised_at < until
        )
    )
    summary.alerts = dict(sorted(Counter(kinds).items()))
    summary.incidents = sorted(
        set(
            session.scalars(
                select(Incident.reference)
                .join(IncidentClip, IncidentClip.incident_id == Incident.id)
                .where(
                    IncidentClip.camera_id == camera.id,
                    IncidentClip.removed_at.is_(None),
                    IncidentClip.start_at < until,
                    IncidentClip.end_at > since,
                )
            )
        )
    )
    outages = session.execute(
        select(CameraEvent.started_at, CameraEvent.ended_at).where(
            CameraEvent.camera_id == camera.id,
            CameraEvent.kind.in_(OUTAGE_KINDS),
            CameraEvent.started_at < until,
            (CameraEvent.ended_at.is_(None)) | (CameraEvent.ended_at > since),
        )
    ).all()
    summary.outages = len(outages)
    summary.outage_minutes = round(
        sum(_overlap_minutes(start, end or now, since, until) for start, end in outages), 1
    )
    busy_by_hour: Counter[int] = Counter()
    for hour_start, levels in session.execute(
        select(MotionActivity.hour_start, MotionActivity.levels).where(
            MotionActivity.camera_id == camera.id,
            MotionActivity.hour_start >= since,
            MotionActivity.hour_start < until,
        )
    ):
        active = sum(1 for level in levels if level >= ACTIVE_LEVEL)
        if active:
            summary.active_hours += 1
            busy_by_hour[hour_start.astimezone(timezone).hour] += active
    if busy_by_hour:
        summary.busiest_hour = max(sorted(busy_by_hour), key=lambda hour: busy_by_hour[hour])
    recorded = timedelta()
    for start, end in session.execute(
        select(Segment.start_at, Segment.end_at).where(
            Segment.camera_id == camera.id, Segment.start_at < until, Segment.end_at > since
        )
    ):
        recorded += max(timedelta(), min(end, until) - max(start, since))
    summary.recorded_hours = recorded.total_seconds() / 3600
    return summary
