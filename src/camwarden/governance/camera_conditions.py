"""What the guard room shows of each camera at a glance: its condition, from its open events,
and how many open alerts the viewer may see of it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.analysis.events import TAMPER_KINDS
from camwarden.governance.alerts import AlertDesk
from camwarden.governance.authorization import Actor
from camwarden.i18n import N_
from camwarden.storage.models import Camera, CameraEvent


class CameraCondition(StrEnum):
    """What the guard room shows of a camera at a glance, worst first."""

    TAMPERED = "tampered"
    VIDEO_LOSS = "video_loss"
    NOT_RECORDING = "not_recording"
    RECORDING = "recording"


CAMERA_CONDITION_LABELS: dict[CameraCondition, str] = {
    CameraCondition.TAMPERED: N_("Tampered"),
    CameraCondition.VIDEO_LOSS: N_("Video loss"),
    CameraCondition.NOT_RECORDING: N_("Not recording"),
    CameraCondition.RECORDING: N_("Recording"),
}

_NOT_RECORDING_KINDS = frozenset({"recording_stopped", "storage_error", "disk_full"})


@dataclass(frozen=True)
class CameraStatus:
    condition: CameraCondition
    open_alerts: int


def camera_statuses(
    session: Session, alerts: AlertDesk, actor: Actor, cameras: Iterable[Camera]
) -> dict[int, CameraStatus]:
    """Each camera's condition from its open events and its count of open alerts the
    actor may see."""
    by_id = {camera.id: camera for camera in cameras}
    if not by_id:
        return {}
    open_kinds: dict[int, set[str]] = {camera_id: set() for camera_id in by_id}
    for camera_id, kind in session.execute(
        select(CameraEvent.camera_id, CameraEvent.kind).where(
            CameraEvent.camera_id.in_(by_id), CameraEvent.ended_at.is_(None)
        )
    ):
        open_kinds[camera_id].add(kind)
    counts = dict.fromkeys(by_id, 0)
    for alert in alerts.open_alerts(session, actor, limit=10_000):
        if alert.camera_id in counts:
            counts[alert.camera_id] += 1
    statuses = {}
    for camera_id, camera in by_id.items():
        kinds = open_kinds[camera_id]
        if kinds & TAMPER_KINDS:
            condition = CameraCondition.TAMPERED
        elif "video_loss" in kinds:
            condition = CameraCondition.VIDEO_LOSS
        elif kinds & _NOT_RECORDING_KINDS or camera.state != "in_service":
            condition = CameraCondition.NOT_RECORDING
        else:
            condition = CameraCondition.RECORDING
        statuses[camera_id] = CameraStatus(condition, counts[camera_id])
    return statuses
