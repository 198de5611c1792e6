import pytest

from camwarden.governance.authorization import Actor
from camwarden.installation import Installation


@pytest.fixture
def cameras(installation: Installation, admin: Actor) -> dict[str, int]:
    """A gate camera and a finance-room camera, each in its own zone."""
    made: dict[str, int] = {}
    with installation.database.transaction() as session:
        for name, kind in (("Cổng trường", "gate"), ("Phòng tài chính", "finance_room")):
            zone = installation.zones.create(
                session,
                admin,
                name=name,
                kind=kind,
                purposes=["security"],
                responsible_unit="Tổ bảo vệ",
            )
            camera = installation.cameras.create(
                session,
                admin,
                zone_id=zone.id,
                name=f"Camera {name}",
                main_url=f"rtsp://10.0.0.{len(made) + 5}:554/stream",
            )
            made[kind] = camera.id
            made[f"{kind}_zone"] = zone.id
    return made
