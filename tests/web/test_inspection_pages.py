"""The inspection through the API and the guided page, with a real camera: who may start,
sign off and see the reference view, and the camera going into service through it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from tests.inspection.conftest import CAMERA_PASSWORD, CAMERA_USER, good_corridor_video
from tests.support.rtsp import StartCamera, rtsp_cameras  # noqa: F401  (the fixture)
from tests.web.conftest import Account, MakeAccount

WAIT_FOR_THE_INSPECTION_S = 90.0


def add_camera(installation: Installation, url: str) -> int:
    with installation.database.transaction() as session:
        zone = installation.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Hành lang nhà B",
            kind="corridor",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        camera = installation.cameras.create(
            session,
            SYSTEM_ACTOR,
            name="Hành lang tầng 1",
            zone_id=zone.id,
            main_url=url,
            username=CAMERA_USER,
            password=CAMERA_PASSWORD,
        )
        return camera.id


def finished(client: TestClient, account: Account, camera_id: int) -> dict[str, Any]:
    """Follows the running inspection until it ends (no time is asserted: a deadline only
    keeps a broken run from hanging)."""
    deadline = time.monotonic() + WAIT_FOR_THE_INSPECTION_S
    while True:
        state = client.get(
            f"/api/v1/cameras/{camera_id}/inspections/current", headers=account.headers
        ).json()
        if state["state"] != "running" or time.monotonic() > deadline:
            return dict(state)
        time.sleep(0.5)


def test_it_inspects_signs_off_and_puts_a_camera_in_service_through_the_api(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    rtsp_cameras: StartCamera,  # noqa: F811
) -> None:
    real = rtsp_cameras("api", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD)
    camera_id = add_camera(installation, real.url)
    it, security, admin = make_account("it"), make_account("security"), make_account("admin")

    assert (
        client.post(f"/api/v1/cameras/{camera_id}/inspections", json={}, headers=security.headers)
    ).status_code == 403
    started = client.post(
        f"/api/v1/cameras/{camera_id}/inspections",
        json={"supplier": "Công ty An Phát"},
        headers=it.headers,
    )
    assert started.status_code == 202, started.text
    state = finished(client, it, camera_id)
    assert state["state"] == "done", state
    inspection_id = state["inspection_id"]
    record = client.get(
        f"/api/v1/cameras/{camera_id}/inspections/{inspection_id}", headers=security.headers
    ).json()
    assert record["verdict"] == "passed", record["checks"]
    assert record["measurements"]["width"] == 1280
    assert any(c["label"] == "Độ phân giải" for c in record["checks"])

    refused = client.post(
        f"/api/v1/cameras/{camera_id}/inspections/{inspection_id}/sign-off",
        json={},
        headers=security.headers,
    )
    assert refused.status_code == 403
    signed = client.post(
        f"/api/v1/cameras/{camera_id}/inspections/{inspection_id}/sign-off",
        json={},
        headers=it.headers,
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["supplier"] == "Công ty An Phát"
    reference = f"/api/v1/cameras/{camera_id}/inspections/{inspection_id}/reference"
    assert client.get(reference, headers=admin.headers).status_code == 403  # sees no footage
    picture = client.get(reference, headers=it.headers)
    assert picture.headers["content-type"] == "image/jpeg"
    in_service = client.post(
        f"/api/v1/cameras/{camera_id}/state", json={"state": "in_service"}, headers=it.headers
    )
    assert in_service.status_code == 200, in_service.text
    assert in_service.json()["in_service_by_override"] is False


def test_the_guided_page_shows_the_result_and_offers_the_sign_off(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    log_in: Callable[[Account], dict[str, str]],
    rtsp_cameras: StartCamera,  # noqa: F811
) -> None:
    real = rtsp_cameras("trang", good_corridor_video(), user="admin", password="12345")
    camera_id = add_camera(installation, real.url)
    it = make_account("it")
    csrf = log_in(it)["X-CSRF-Token"]

    started = client.post(
        f"/cameras/{camera_id}/inspection",
        data={"csrf_token": csrf, "supplier": "An Phát"},
        follow_redirects=False,
    )
    assert started.status_code == 303
    assert finished(client, it, camera_id)["state"] == "done"
    shown = client.get(f"/cameras/{camera_id}/inspection").text

    assert "Kết luận: không đạt" in shown
    assert "Camera chấp nhận tài khoản mặc định admin / 12345." in shown
    assert 'id="sign-off"' in shown
    assert 'id="put-in-service"' not in shown
