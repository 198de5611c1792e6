"""Evidence through the API: a package made, downloaded as a zip, verified offline."""

from __future__ import annotations

import functools
import json
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from camwarden.clock import ManualClock
from camwarden.evidence.downloads import exports_dir
from camwarden.evidence.verify import verify_package
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.recordings import RecordingIndex
from tests.capture.conftest import encode_test_video
from tests.capture.test_segments import START, record_file
from tests.web.conftest import MakeAccount


@functools.cache
def _footage() -> Path:
    return encode_test_video(Path(tempfile.mkdtemp()) / "export.mp4", seconds=6)


def _camera_with_footage(installation: Installation, clock: ManualClock) -> int:
    with installation.database.transaction() as session:
        zone = installation.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        camera_id = installation.cameras.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng chính",
            zone_id=zone.id,
            main_url="rtsp://10.0.0.1/x",
        ).id
    record_file(
        _footage(),
        installation.settings.recordings_dir,
        RecordingIndex(installation.database),
        camera_id,
        segment_seconds=60.0,
    )
    clock.advance((START + timedelta(hours=1) - clock.now()).total_seconds())
    return camera_id


def _seconds_1_to_5(camera_id: int) -> dict[str, object]:
    """The export body's ranges: seconds 1 to 5 of the camera's footage."""
    return {
        "ranges": [
            {
                "camera_id": camera_id,
                "start": (START + timedelta(seconds=1)).isoformat(),
                "end": (START + timedelta(seconds=5)).isoformat(),
            }
        ]
    }


def test_an_export_made_through_the_api_downloads_as_a_zip_that_verifies(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    camera_id = _camera_with_footage(installation, clock)
    principal = make_account("principal")
    body = {
        **_seconds_1_to_5(camera_id),
        "reason": "Biên bản vụ mất xe đạp",
        "approval_reference": "QĐ 12/2026",
    }
    made = client.post("/api/v1/exports", json=body, headers=principal.headers)
    assert made.status_code == 201, made.text
    download = client.get(made.json()["download_url"], headers=principal.headers)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    archive = tmp_path / "package.zip"
    archive.write_bytes(download.content)
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(tmp_path / "out")
    report = verify_package(tmp_path / "out" / made.json()["package_name"])
    assert report.ok, report
    audit = client.get(
        "/api/v1/audit", params={"action": "footage.export"}, headers=make_account("board").headers
    ).json()
    actions = [entry["action"] for entry in audit["items"]]
    assert "footage.export" in actions and "footage.export_download" in actions


def test_an_anonymised_export_through_the_api_says_so_and_verifies(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    clock: ManualClock,
) -> None:
    camera_id = _camera_with_footage(installation, clock)
    principal = make_account("principal")
    body = {**_seconds_1_to_5(camera_id), "reason": "Bản sao cho phụ huynh", "anonymise": True}
    made = client.post("/api/v1/exports", json=body, headers=principal.headers)
    assert made.status_code == 201, made.text
    assert made.json()["anonymised"] is True
    package = exports_dir(installation.settings.data_dir) / made.json()["package_name"]
    assert verify_package(package).ok
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["anonymised"] is True


def test_a_guard_can_neither_export_nor_download(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    clock: ManualClock,
) -> None:
    camera_id = _camera_with_footage(installation, clock)
    guard = make_account("security")
    body = {
        "ranges": [
            {
                "camera_id": camera_id,
                "start": START.isoformat(),
                "end": (START + timedelta(seconds=3)).isoformat(),
            }
        ],
        "reason": "x",
    }
    assert client.post("/api/v1/exports", json=body, headers=guard.headers).status_code == 403
    assert client.get("/api/v1/exports/1/download", headers=guard.headers).status_code == 403
