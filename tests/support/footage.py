"""An indexed history of recording for the health tests: cameras in service and the segments
the recorders would have written (the files themselves are not needed by the index)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.installation import Installation
from camwarden.storage.models import Zone

MINUTE = 60


@dataclass(frozen=True)
class Cameras:
    gate: int
    gate_zone: int
    finance: int
    finance_zone: int


def gate_zone(installation: Installation, session: Session, actor: Actor = SYSTEM_ACTOR) -> Zone:
    """The school gate's zone, the guards responsible for it."""
    return installation.zones.create(
        session,
        actor,
        name="Cổng trường",
        kind="gate",
        purposes=["security"],
        responsible_unit="Tổ bảo vệ",
    )


def gate_camera(installation: Installation) -> int:
    """The gate zone with one camera, not yet in service (as IT first registers it)."""
    with installation.database.transaction() as session:
        zone = gate_zone(installation, session)
        return installation.cameras.create(
            session, SYSTEM_ACTOR, name="Cổng chính", zone_id=zone.id, main_url="rtsp://10.0.0.7/1"
        ).id


def school_cameras(installation: Installation, *, retention_days: int = 30) -> Cameras:
    """The gate and the finance room, a camera in each, both in service."""
    ids: list[int] = []
    with installation.database.transaction() as session:
        for zone_name, kind, camera_name, address in (
            ("Cổng trường", "gate", "Cổng chính", "10.0.0.7"),
            ("Phòng tài vụ", "finance_room", "Két sắt", "10.0.0.8"),
        ):
            zone = installation.zones.create(
                session,
                SYSTEM_ACTOR,
                name=zone_name,
                kind=kind,
                purposes=["security"],
                responsible_unit="Tổ bảo vệ",
            )
            camera = installation.cameras.create(
                session,
                SYSTEM_ACTOR,
                name=camera_name,
                zone_id=zone.id,
                main_url=f"rtsp://{address}/1",
                retention_days=retention_days,
            )
            installation.cameras.set_state(
                session, SYSTEM_ACTOR, camera.id, "in_service", reason="Chưa có kiểm định"
            )
            ids += [camera.id, zone.id]
    return Cameras(*ids)


def record_history(
    installation: Installation,
    camera_id: int,
    *,
    minutes: int,
    bytes_per_minute: int,
    fps: int = 15,
    still_recording: bool = True,
) -> None:
    """`minutes` one-minute segments ending now, complete but the last (open, still growing)."""
    now = installation.clock.now()
    index = installation.recordings
    for number in range(minutes):
        start = now - timedelta(minutes=minutes - number)
        last = number == minutes - 1
        segment = index.begin_segment(camera_id, f"{camera_id}/{start:%Y%m%d%H%M%S}.mp4", start)
        end = now if last else start + timedelta(minutes=1)
        index.extend_segment(
            segment,
            end_at=end,
            size=bytes_per_minute,
            frames=fps * MINUTE,
            final=not (last and still_recording),
        )
