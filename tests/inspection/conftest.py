"""Real simulated cameras, an IT account and a zone per kind, and the inspection service."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.inspection.service import Inspections
from camwarden.installation import Installation
from camwarden.simulator.onvif import OnvifResponder
from camwarden.storage.models import Camera
from tests.support.rtsp import make_test_video, rtsp_cameras  # noqa: F401  (the fixture)

# Shorter than the 12 s in service: three keyframes 2 s apart are enough for the figures.
TEST_MEASURE_SECONDS = 6.0
CAMERA_USER = "camwarden"
CAMERA_PASSWORD = "Rieng-cho-cong-7Q!"


def sample_video() -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "samples" / "corridor-people.mp4"


def good_corridor_video() -> Path:
    """Real corridor footage: a good picture for a corridor camera."""
    return make_test_video(seconds=10, source=sample_video())


@pytest.fixture
def it_actor(installation: Installation) -> Actor:
    """A real IT account (signing off needs a person)."""
    with installation.database.transaction() as session:
        created = installation.accounts.create(
            session,
            SYSTEM_ACTOR,
            username="cntt",
            full_name="Hoàng Thị Tin",
            role="it",
            password="Cong-nghe-2026!",
            must_change_password=False,
        )
        return actor_for(created.user, ip="192.0.2.30")


@pytest.fixture
def inspections(installation: Installation) -> Inspections:
    return Inspections.for_installation(installation, measure_seconds=TEST_MEASURE_SECONDS)


AddCamera = Callable[..., Camera]


@pytest.fixture
def add_camera(installation: Installation) -> AddCamera:
    """`add_camera(url, kind="corridor", username=..., password=...)`: a draft camera."""
    zones: dict[str, int] = {}

    def add(url: str, kind: str = "corridor", **credentials: Any) -> Camera:
        with installation.database.transaction() as session:
            if kind not in zones:
                zones[kind] = installation.zones.create(
                    session,
                    SYSTEM_ACTOR,
                    name=f"Khu {kind}",
                    kind=kind,
                    purposes=["security"],
                    responsible_unit="Tổ bảo vệ",
                ).id
            camera = installation.cameras.create(
                session,
                SYSTEM_ACTOR,
                name=f"Camera {len(zones)}-{url.rsplit('/', 1)[-1]}",
                zone_id=zones[kind],
                main_url=url,
                **credentials,
            )
            session.flush()
            session.expunge(camera)
            return camera

    return add


@pytest.fixture
def onvif_responder() -> Iterator[Callable[..., OnvifResponder]]:
    started: list[OnvifResponder] = []

    def start(**options: object) -> OnvifResponder:
        responder = OnvifResponder(**options)  # type: ignore[arg-type]
        responder.start()
        started.append(responder)
        return responder

    yield start
    for responder in started:
        responder.stop()
