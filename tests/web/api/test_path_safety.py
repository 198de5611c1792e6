"""No request reads a file outside the recordings folder, whatever it sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.models import Segment
from tests.web.conftest import MakeAccount

START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "stored_path", ["../../../../etc/passwd", "/etc/passwd", "1/../../secrets/credentials.key"]
)
def test_a_segment_row_pointing_outside_the_recordings_folder_is_never_served(
    installation: Installation, client: TestClient, make_account: MakeAccount, stored_path: str
) -> None:
    with installation.database.transaction() as session:
        zone = installation.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        camera = installation.cameras.create(
            session, SYSTEM_ACTOR, name="Cổng 1", zone_id=zone.id, main_url="rtsp://10.0.0.1/x"
        )
        session.add(
            Segment(
                camera_id=camera.id,
                path=stored_path,
                start_at=START,
                end_at=START + timedelta(seconds=60),
                bytes=100,
                frames=900,
                status="complete",
            )
        )
    principal = make_account("principal")
    answer = client.get(
        f"/api/v1/cameras/{camera.id}/playback",
        params={"at": (START + timedelta(seconds=5)).isoformat(), "reason": "kiểm tra"},
        headers=principal.headers,
    )
    assert answer.status_code == 404
    assert b"root:" not in answer.content and b"BEGIN" not in answer.content


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
    ],
)
def test_static_files_cannot_be_used_to_climb_out(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert b"root:" not in answer.content
