"""The health overview as JSON (R-8.1): the same figures as the /health page.

Cameras are those the caller may see (`view_cameras` in their zones); the recordings disk is
the school's one disk, shown to everyone who sees the page.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request
from pydantic import Field

from camwarden.governance.camera_conditions import CameraCondition
from camwarden.monitoring.health import (
    AnalysisCondition,
    CameraHealth,
    HealthOverview,
    health_overview,
)
from camwarden.retention.forecast import DiskForecast
from camwarden.web.api._routing import resource_router
from camwarden.web.api._types import UtcOutput
from camwarden.web.api.schemas import ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/health", "health")

# Health events of the last days, as the page lists them.
EVENT_DAYS = 7


class CameraHealthOut(ResponseBody):
    id: int
    name: str
    zone_id: int
    zone_name: str
    condition: CameraCondition = Field(description="tampered, video_loss, not_recording, …")
    open_alerts: int = Field(description="Unresolved alerts of the camera the caller may see.")
    measured: bool = Field(
        description="True: measured from the recorder in this server; false: read from the "
        "recording index (the server runs with --no-record)."
    )
    online: bool = Field(description="Connected and packets arriving.")
    recording: bool = Field(description="Packets going into a segment now.")
    last_keyframe_at: UtcOutput | None
    fps: float | None = Field(description="Frames a second over the last 10 s.")
    bitrate_bps: float | None = Field(description="Bits a second over the last 10 s.")
    analysis: AnalysisCondition | None = Field(
        None,
        description="The tamper analysis: learning (its normal view; nothing can be raised "
        "yet), watching, or behind (it skipped pictures in the last minute); null when not "
        "measured here.",
    )
    skipped_packets: int | None = Field(
        None, description="Packets the analysis skipped since it started, being behind."
    )


class DiskOut(ResponseBody):
    total_bytes: int
    used_bytes: int
    free_bytes: int
    free_margin_bytes: int = Field(description="Free space disk pressure keeps (free_margin_gb).")
    footage_bytes: int = Field(description="The recorded footage the index holds.")
    bytes_per_day: float | None = Field(
        description="Written over the last 24 h; null until 15 min of recording are indexed."
    )
    days_until_pressure: float | None = Field(
        description="Days until disk pressure deletes the oldest footage, at this rate."
    )
    capacity_days: float | None = Field(description="Days of footage the disk holds in all.")
    retention_days: int | None = Field(
        description="The longest retention of a camera in service (at least the review period)."
    )
    retention_bytes: float | None = Field(description="What that retention needs at this rate.")
    retention_fits: bool | None = Field(description="null when unknown (no rate or no camera).")


class HealthEventOut(ResponseBody):
    id: int
    camera_id: int
    kind: str = Field(description="video_loss, recording_stopped, covered, …")
    started_at: UtcOutput
    ended_at: UtcOutput | None = Field(description="None while it goes on.")


class HealthOut(ResponseBody):
    at: UtcOutput
    measured: bool = Field(
        description="True when this server records (figures measured from its recorders)."
    )
    cameras: list[CameraHealthOut]
    disk: DiskOut
    events: list[HealthEventOut] = Field(
        description=f"Problems still going on, then those of the last {EVENT_DAYS} days."
    )


def camera_out(row: CameraHealth) -> CameraHealthOut:
    camera = row.camera
    return CameraHealthOut(
        id=camera.id,
        name=camera.name,
        zone_id=camera.zone_id,
        zone_name=camera.zone.name,
        condition=row.condition,
        open_alerts=row.open_alerts,
        measured=row.measured,
        online=row.online,
        recording=row.recording,
        last_keyframe_at=row.last_keyframe_at,
        fps=row.fps,
        bitrate_bps=row.bitrate_bps,
        analysis=row.analysis.condition if row.analysis else None,
        skipped_packets=row.analysis.skipped_packets if row.analysis else None,
    )


def disk_out(disk: DiskForecast) -> DiskOut:
    return DiskOut(
        total_bytes=disk.total,
        used_bytes=disk.used,
        free_bytes=disk.free,
        free_margin_bytes=disk.margin,
        footage_bytes=disk.footage,
        bytes_per_day=disk.bytes_per_day,
        days_until_pressure=disk.days_until_pressure,
        capacity_days=disk.capacity_days,
        retention_days=disk.retention_days,
        retention_bytes=disk.retention_bytes,
        retention_fits=disk.retention_fits,
    )


@router.get("", response_model=HealthOut, name="get_health")
def get_health(request: Request, caller: ApiCaller, inst: Inst) -> HealthOut:
    """Each camera's stream now, the recordings disk with its forecast, and health events."""
    since = inst.clock.now() - timedelta(days=EVENT_DAYS)
    with inst.database.reading() as session:
        overview: HealthOverview = health_overview(
            inst, session, caller.actor, live=getattr(request.app.state, "recording", None)
        )
        events = inst.footage.health_events(session, caller.actor, since=since)
        return HealthOut(
            at=overview.at,
            measured=overview.measured,
            cameras=[camera_out(row) for row in overview.cameras],
            disk=disk_out(overview.disk),
            events=[
                HealthEventOut(
                    id=e.id,
                    camera_id=e.camera_id,
                    kind=e.kind,
                    started_at=e.started_at,
                    ended_at=e.ended_at,
                )
                for e in events
            ],
        )
