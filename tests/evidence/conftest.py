"""Real recorded footage for the evidence tests: two cameras in two zones, 20 s each.

The video has a keyframe every 2 s and is recorded into 6 s segments starting at START, so
the segments hold [0, 6), [6, 12), [12, 18) and [18, 20) seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.capture.conftest import encode_test_video
from tests.capture.test_segments import START, record_file

from camwarden.clock import ManualClock
from camwarden.config import load_settings
from camwarden.evidence.export import ExportResult, export_package
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.roles import Role
from camwarden.installation import Installation, open_installation

VIDEO_SECONDS = 20
SEGMENT_SECONDS = 6

PRINCIPAL = Actor(
    user_id=None, username="hieutruong", role=Role.PRINCIPAL, all_zones=True, zone_ids=frozenset()
)


def at(seconds: float) -> datetime:
    """The wall-clock instant `seconds` into the recording."""
    return START + timedelta(seconds=seconds)


@dataclass
class Footage:
    inst: Installation
    gate_zone: int
    yard_zone: int
    gate_camera: int  # "Cổng chính", in the gate zone
    yard_camera: int  # "Sân trường 1", in the yard zone
    out: Path  # where packages go

    def export(
        self,
        actor: Actor = PRINCIPAL,
        ranges: list[tuple[int, datetime, datetime]] | None = None,
        reason: str = "Học sinh bị ngã ở cổng, phụ huynh đề nghị xem lại",
        approval_reference: str = "QĐ 12/2026",
    ) -> ExportResult:
        return export_package(
            self.inst,
            actor,
            ranges if ranges is not None else [(self.gate_camera, at(3), at(15))],
            reason=reason,
            approval_reference=approval_reference,
            out_dir=self.out,
        )


@pytest.fixture(scope="session")
def short_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return encode_test_video(
        tmp_path_factory.mktemp("evidence-video") / "bar.mp4",
        seconds=VIDEO_SECONDS,
        size=(320, 180),
    )


@pytest.fixture
def footage(tmp_path: Path, short_video: Path) -> Iterator[Footage]:
    inst = open_installation(load_settings(tmp_path / "data", {}), clock=ManualClock(at(3600)))
    with inst.database.transaction() as session:
        gate = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng trường",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        yard = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Sân trường",
            kind="yard",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        cameras = [
            inst.cameras.create(
                session, SYSTEM_ACTOR, name=name, zone_id=zone.id, main_url="rtsp://127.0.0.1/x"
            ).id
            for name, zone in (("Cổng chính", gate), ("Sân trường 1", yard))
        ]
        gate_id, yard_id = gate.id, yard.id
    for camera_id in cameras:
        record_file(
            short_video, inst.settings.recordings_dir, inst.recordings, camera_id, SEGMENT_SECONDS
        )
    yield Footage(inst, gate_id, yard_id, cameras[0], cameras[1], tmp_path / "out")
    inst.close()


@pytest.fixture
def package(footage: Footage) -> Path:
    """A good package: the gate camera from 3 s to 15 s."""
    return footage.export().package_path
