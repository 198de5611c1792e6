"""The QCVN 135:2024/BTTTT checks, against real RTSP cameras and a real ONVIF service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from camwarden.inspection.checks import Check, Result
from camwarden.inspection.security import SecurityTarget, check_security, is_factory_pair
from camwarden.simulator.onvif import OnvifResponder
from tests.support.rtsp import StartCamera


def by_id(checks: list[Check]) -> dict[str, Check]:
    return {check.id: check for check in checks}


def test_a_camera_answering_without_a_login_fails(rtsp_cameras: StartCamera) -> None:
    camera = rtsp_cameras("mo-cua")

    checks = by_id(check_security(SecurityTarget(camera.url, None, None, None)))

    assert checks["security.anonymous_stream"].result is Result.FAIL


def test_a_camera_taking_the_factory_login_admin_12345_fails(rtsp_cameras: StartCamera) -> None:
    camera = rtsp_cameras("mac-dinh", user="admin", password="12345")

    # Registered with a login of another account: the factory one is still found.
    checks = by_id(check_security(SecurityTarget(camera.url, "camwarden", "X-9q", None)))

    assert checks["security.anonymous_stream"].result is Result.PASS
    factory = checks["security.factory_logins"]
    assert factory.result is Result.FAIL
    assert factory.seen.params == {"username": "admin", "password": "12345"}


def test_a_camera_with_a_login_of_its_own_passes_the_login_checks(
    rtsp_cameras: StartCamera,
) -> None:
    camera = rtsp_cameras("rieng", user="admin", password="Rieng-7Q!x", auth="basic")

    checks = by_id(check_security(SecurityTarget(camera.url, "admin", "Rieng-7Q!x", None)))

    assert checks["security.anonymous_stream"].result is Result.PASS
    assert checks["security.configured_login"].result is Result.PASS
    assert checks["security.factory_logins"].result is Result.PASS
    assert checks["security.encryption"].result is Result.WARN  # plain RTSP


def test_factory_and_trivial_logins_are_recognised_as_such() -> None:
    assert is_factory_pair("admin", "12345")
    assert is_factory_pair("admin", "")
    assert is_factory_pair("baove", "baove")
    assert not is_factory_pair("admin", "Rieng-7Q!x")
    assert not is_factory_pair(None, None)


def test_a_camera_clock_five_minutes_ahead_fails_and_its_model_is_read_over_onvif(
    rtsp_cameras: StartCamera, onvif_responder: Callable[..., OnvifResponder]
) -> None:
    camera = rtsp_cameras("dong-ho", user="admin", password="Rieng-7Q!x")
    onvif = onvif_responder(user="admin", password="Rieng-7Q!x", clock_offset_s=300)

    checks = by_id(
        check_security(
            SecurityTarget(camera.url, "admin", "Rieng-7Q!x", onvif.address),
            now=lambda: datetime.now(UTC),
        )
    )

    clock = checks["security.clock"]
    assert clock.result is Result.FAIL
    assert 298 <= float(clock.seen.params["offset"]) <= 302
    device = checks["security.onvif_device"]
    assert device.result is Result.PASS
    assert device.seen.params["model"] == "SIM-IPC-2MP"
    assert "security.onvif_anonymous" not in checks  # it asked for the login


def test_a_camera_clock_in_time_passes_and_an_open_onvif_service_is_a_warning(
    rtsp_cameras: StartCamera, onvif_responder: Callable[..., OnvifResponder]
) -> None:
    camera = rtsp_cameras("dung-gio", user="admin", password="Rieng-7Q!x")
    onvif = onvif_responder(user="admin", password="Rieng-7Q!x", open_device_information=True)

    checks = by_id(check_security(SecurityTarget(camera.url, "admin", "Rieng-7Q!x", onvif.address)))

    assert checks["security.clock"].result is Result.PASS
    assert checks["security.onvif_anonymous"].result is Result.WARN


def test_without_an_onvif_service_model_and_clock_are_not_checkable(
    rtsp_cameras: StartCamera,
) -> None:
    camera = rtsp_cameras("khong-onvif", user="admin", password="Rieng-7Q!x")
    closed = "http://127.0.0.1:9/onvif/device_service"  # discard port: nothing listens

    checks = by_id(check_security(SecurityTarget(camera.url, "admin", "Rieng-7Q!x", closed)))

    assert checks["security.clock"].result is Result.NOT_CHECKABLE
    assert checks["security.onvif_device"].result is Result.NOT_CHECKABLE
