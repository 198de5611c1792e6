"""The health overview (R-8.1): each camera's stream now, the recordings disk and its forecast.

Figures of a camera come from its recorder when this process records (capture/status.py):
connected, writing, last keyframe, fps and bitrate measured over the last seconds, and its
tamper analysis (learning its view, watching, or behind and skipping pictures). A server
run with `serve --no-record` has no recorder: it reads the recording index instead, which
the recording process updates at every keyframe (the open segment's end is the last
keyframe; the last complete segments give fps and bitrate).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.analysis.live import AnalysisState
from camwarden.capture.status import StreamStatus
from camwarden.governance.authorization import Actor
from camwarden.governance.camera_conditions import CameraCondition, camera_statuses
from camwarden.governance.cameras import CameraState
from camwarden.i18n import N_
from camwarden.installation import Installation
from camwarden.retention.forecast import RATE_WINDOW, DiskForecast, bytes_per_day, forecast_disk
from camwarden.retention.report import DiskUsage
from camwarden.storage.models import Camera, Segment
from camwarden.storage.recordings import SegmentStatus

GB = 1_000_000_000
# The index's open segment ended this recently: another process is recording the camera
# (it extends the segment at every keyframe, every 1-4 s).
INDEX_FRESH = timedelta(seconds=30)
# Complete segments read for a camera's fps and bitrate when no recorder runs here.
INDEX_SEGMENTS = 3


class StatusSource(Protocol):
    """What the recording service offers the health page (RecordingService.status)."""

    def status(self) -> Mapping[int, StreamStatus]: ...

    def status_of(self, camera_id: int) -> StreamStatus | None: ...


class AnalysisCondition(StrEnum):
    """A recorded camera's tamper analysis now (`LiveAnalyzer.state`)."""

    LEARNING = "learning"
    WATCHING = "watching"
    BEHIND = "behind"


ANALYSIS_CONDITION_LABELS: dict[AnalysisCondition, str] = {
    AnalysisCondition.LEARNING: N_("Learning its normal view"),
    AnalysisCondition.WATCHING: N_("Watching for tampering"),
    AnalysisCondition.BEHIND: N_("Behind: pictures skipped"),
}


@dataclass(frozen=True)
class AnalysisHealth:
    """A recorded camera's tamper analysis, as the health and camera pages show it."""

    condition: AnalysisCondition
    # Packets it skipped since it started, being behind.
    skipped_packets: int


def analysis_condition(state: AnalysisState) -> AnalysisCondition:
    """Behind first (it may miss a tampering), then learning (it cannot raise one yet)."""
    if state.behind:
        return AnalysisCondition.BEHIND
    return AnalysisCondition.LEARNING if state.learning else AnalysisCondition.WATCHING


def analysis_health(stream: StreamStatus | None) -> AnalysisHealth | None:
    """None when this process does not record the camera, or records it without analysis."""
    if stream is None or stream.analysis is None:
        return None
    return AnalysisHealth(analysis_condition(stream.analysis), stream.analysis.skipped_packets)


@dataclass(frozen=True)
class CameraHealth:
    camera: Camera
    condition: CameraCondition
    open_alerts: int
    # True: figures measured from the recorder in this process; False: read from the index.
    measured: bool
    online: bool
    recording: bool
    last_keyframe_at: datetime | None
    fps: float | None
    bitrate_bps: float | None
    # The tamper analysis beside the recorder; None when not measured here.
    analysis: AnalysisHealth | None = None


@dataclass(frozen=True)
class HealthOverview:
    at: datetime
    # True when this process records (figures measured), False when read from the index.
    measured: bool
    cameras: Sequence[CameraHealth]
    disk: DiskForecast


DiskUsageOf = Callable[[Path], DiskUsage]


def disk_usage_of(path: Path) -> DiskUsage:
    """The filesystem holding `path`: total, used and free bytes."""
    usage = shutil.disk_usage(path)
    return DiskUsage(usage.total, usage.used, usage.free)


def recordings_disk(
    installation: Installation, session: Session, disk_usage: DiskUsageOf = disk_usage_of
) -> DiskForecast:
    """The recordings filesystem, the footage on it and how long it lasts (retention/forecast)."""
    settings = installation.settings
    now = installation.clock.now()
    folder = settings.recordings_dir
    # Before the first recording the folder may not exist yet: it will be made in the data dir.
    usage = disk_usage(folder if folder.exists() else settings.data_dir)
    footage = session.scalar(select(func.coalesce(func.sum(Segment.bytes), 0))) or 0
    since = now - RATE_WINDOW
    written = (
        session.scalar(
            select(func.coalesce(func.sum(Segment.bytes), 0)).where(Segment.start_at >= since)
        )
        or 0
    )
    first = session.scalar(select(func.min(Segment.start_at)))
    covered = min(now - first, RATE_WINDOW) if first is not None else timedelta(0)
    longest = session.scalar(
        select(func.max(Camera.retention_days)).where(Camera.state == CameraState.IN_SERVICE.value)
    )
    retention = max(longest, settings.review_period_days) if longest is not None else None
    return forecast_disk(
        total=usage.total,
        used=usage.used,
        free=usage.free,
        margin=round(settings.free_margin_gb * GB),
        footage=int(footage),
        rate=bytes_per_day(int(written), covered),
        retention_days=retention,
    )


def health_overview(
    installation: Installation,
    session: Session,
    actor: Actor,
    *,
    live: StatusSource | None = None,
    disk_usage: DiskUsageOf = disk_usage_of,
) -> HealthOverview:
    """The cameras the actor may see, with their figures, and the recordings disk."""
    now = installation.clock.now()
    cameras = installation.cameras.list(session, actor)
    statuses = camera_statuses(session, installation.alerts, actor, cameras)
    measured = dict(live.status()) if live is not None else {}
    rows = []
    for camera in cameras:
        status = statuses[camera.id]
        stream = measured.get(camera.id)
        if live is not None:
            # This process records: a camera without a recorder is not recorded at all.
            rows.append(_from_stream(camera, status.condition, status.open_alerts, stream))
        else:
            rows.append(_from_index(session, camera, status.condition, status.open_alerts, now))
    return HealthOverview(
        at=now,
        measured=live is not None,
        cameras=rows,
        disk=recordings_disk(installation, session, disk_usage),
    )


def _from_stream(
    camera: Camera, condition: CameraCondition, alerts: int, stream: StreamStatus | None
) -> CameraHealth:
    if stream is None:
        return CameraHealth(camera, condition, alerts, True, False, False, None, None, None)
    return CameraHealth(
        camera,
        condition,
        alerts,
        measured=True,
        online=stream.online,
        recording=stream.recording,
        last_keyframe_at=stream.last_keyframe_at,
        fps=stream.fps,
        bitrate_bps=stream.bitrate_bps,
        analysis=analysis_health(stream),
    )


def _from_index(
    session: Session, camera: Camera, condition: CameraCondition, alerts: int, now: datetime
) -> CameraHealth:
    latest = session.scalars(
        select(Segment)
        .where(Segment.camera_id == camera.id)
        .order_by(Segment.start_at.desc())
        .limit(INDEX_SEGMENTS + 1)
    ).all()
    last_end = max((s.end_at for s in latest), default=None)
    growing = any(
        s.status == SegmentStatus.RECORDING and now - s.end_at < INDEX_FRESH for s in latest
    )
    done = [s for s in latest if s.status != SegmentStatus.RECORDING][:INDEX_SEGMENTS]
    seconds = sum((s.end_at - s.start_at).total_seconds() for s in done)
    fps = sum(s.frames for s in done) / seconds if seconds > 0 else None
    bitrate = sum(s.bytes for s in done) * 8 / seconds if seconds > 0 else None
    return CameraHealth(
        camera,
        condition,
        alerts,
        measured=False,
        online=growing,
        recording=growing,
        last_keyframe_at=last_end,
        fps=fps,
        bitrate_bps=bitrate,
    )
