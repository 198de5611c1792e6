"""`camwarden inspect`, run as IT would, on a real data folder and real cameras."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from camwarden.cli.main import app
from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import open_installation
from tests.inspection.conftest import CAMERA_PASSWORD, CAMERA_USER, good_corridor_video
from tests.support.rtsp import StartCamera


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.output


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    inst = open_installation(load_settings(folder, {}))
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Hành lang nhà B",
            kind="corridor",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        inst.accounts.create(
            session,
            SYSTEM_ACTOR,
            username="cntt",
            full_name="Hoàng Thị Tin",
            role="it",
            password="Cong-nghe-2026!",
            must_change_password=False,
        )
        session.flush()
        (folder / "zone").write_text(str(zone.id))
    inst.close()
    return folder


def add_camera(data_dir: Path, name: str, url: str, username: str, password: str) -> None:
    password_file = data_dir.parent / f"{name}.secret"
    password_file.write_text(password)
    zone = (data_dir / "zone").read_text()
    code, output = run(
        data_dir, "camera", "add", name, "--zone", zone, "--main-url", url,
        "--username", username, "--password-file", str(password_file),
    )  # fmt: skip
    assert code == 0, output


def test_inspect_refuses_a_camera_with_the_default_login_and_says_why_in_vietnamese(
    data_dir: Path, rtsp_cameras: StartCamera
) -> None:
    real = rtsp_cameras("mac-dinh", good_corridor_video(), user="admin", password="12345")
    add_camera(data_dir, "Hành lang 1", real.url, "admin", "12345")

    code, output = run(data_dir, "inspect", "Hành lang 1", "--no-onvif")

    assert code == 2, output
    assert "Mật khẩu" in output or "đăng nhập" in output
    assert "Kết luận: Không đạt" in output


def test_inspect_signs_off_a_good_camera_which_then_goes_into_service(
    data_dir: Path, rtsp_cameras: StartCamera
) -> None:
    real = rtsp_cameras("tot", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD)
    add_camera(data_dir, "Hành lang 2", real.url, CAMERA_USER, CAMERA_PASSWORD)

    code, output = run(
        data_dir, "inspect", "Hành lang 2", "--no-onvif", "--json",
        "--supplier", "Công ty An Phát", "--sign-off", "--as", "cntt",
    )  # fmt: skip

    assert code == 0, output
    record = json.loads(output)
    assert record["verdict"] == "passed"
    assert record["signed_off_by"] == "cntt"
    assert record["measurements"]["width"] == 1280
    code, output = run(data_dir, "camera", "state", "1", "in_service")
    assert code == 0, output


def test_signing_off_without_naming_the_person_is_refused_before_measuring(
    data_dir: Path,
) -> None:
    code, output = run(data_dir, "inspect", "1", "--sign-off", "--supplier", "An Phát")

    assert code == 1
    assert "--as" in output
