"""Inspections end to end: a real camera measured, checked, recorded, signed off, put in
service; refused for factory logins and poor pictures; re-inspected after it moved."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from camwarden.errors import Conflict, Forbidden, InvalidInput
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.inspection.checks import Result
from camwarden.inspection.records import FAILED, PASSED, REINSPECTION, checks_of, drift_of
from camwarden.inspection.service import Inspections
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry, Camera, Inspection
from tests.inspection.conftest import (
    CAMERA_PASSWORD,
    CAMERA_USER,
    AddCamera,
    good_corridor_video,
    sample_video,
)
from tests.support.rtsp import StartCamera, make_test_video


@pytest.fixture
def installation(sqlite_installation: Installation) -> Installation:
    """SQLite only here: the record on both databases is test_record.py's."""
    return sqlite_installation


def failed_ids(inspection: Inspection) -> set[str]:
    return {check.id for check in checks_of(inspection) if check.result is Result.FAIL}


def put_in_service(installation: Installation, actor: Actor, camera_id: int) -> Camera:
    with installation.database.transaction() as session:
        camera = installation.cameras.set_state(session, actor, camera_id, "in_service")
        session.flush()
        session.expunge(camera)
        return camera


def sign_off(
    installation: Installation, inspections: Inspections, actor: Actor, inspection_id: int
) -> None:
    with installation.database.transaction() as session:
        inspections.sign_off(session, actor, inspection_id, supplier="Công ty An Phát")


def test_the_inspection_refuses_a_camera_with_the_default_login_admin_12345(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("mac-dinh", good_corridor_video(), user="admin", password="12345")
    camera = add_camera(real.url, "corridor", username="admin", password="12345")

    inspection = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert inspection.verdict == FAILED
    assert "security.configured_login" in failed_ids(inspection)
    sign_off(installation, inspections, it_actor, inspection.id)  # a signed-off refusal
    with pytest.raises(Forbidden):
        put_in_service(installation, it_actor, camera.id)


def test_a_camera_answering_anyone_without_a_login_is_refused(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("mo-cua", good_corridor_video())
    camera = add_camera(real.url, "corridor")

    inspection = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert inspection.verdict == FAILED
    assert failed_ids(inspection) == {"security.anonymous_stream"}


@pytest.mark.parametrize(
    ("picture_filter", "reason"),
    [("gblur=sigma=4", "profile.sharpness"), ("eq=brightness=-0.45", "profile.shadows")],
    ids=["blurred", "dark"],
)
def test_a_poor_picture_fails_the_profile_with_the_reason_that_applies(
    picture_filter: str,
    reason: str,
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    video = make_test_video(seconds=10, source=sample_video(), picture_filter=picture_filter)
    real = rtsp_cameras("kem", video, user=CAMERA_USER, password=CAMERA_PASSWORD)
    camera = add_camera(real.url, "corridor", username=CAMERA_USER, password=CAMERA_PASSWORD)

    inspection = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert inspection.verdict == FAILED
    assert failed_ids(inspection) == {reason}


def test_a_gate_needs_more_pixels_than_a_corridor(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras(
        "cong-720p", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD
    )
    camera = add_camera(real.url, "gate", username=CAMERA_USER, password=CAMERA_PASSWORD)

    inspection = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert failed_ids(inspection) == {"profile.resolution"}
    assert json.loads(inspection.profile)["min_width"] == 1920


def test_signing_off_needs_the_supplier_a_person_and_happens_once(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("ky", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD)
    camera = add_camera(real.url, "corridor", username=CAMERA_USER, password=CAMERA_PASSWORD)
    inspection = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    with pytest.raises(InvalidInput), installation.database.transaction() as session:
        inspections.sign_off(session, it_actor, inspection.id, supplier="  ")
    with pytest.raises(InvalidInput), installation.database.transaction() as session:
        inspections.sign_off(session, SYSTEM_ACTOR, inspection.id, supplier="An Phát")
    with pytest.raises(Forbidden):
        put_in_service(installation, it_actor, camera.id)  # not signed off yet
    sign_off(installation, inspections, it_actor, inspection.id)
    with pytest.raises(Conflict):
        sign_off(installation, inspections, it_actor, inspection.id)


def test_an_inspection_no_longer_counts_once_the_stream_address_changed(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("doi", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD)
    camera = add_camera(real.url, "corridor", username=CAMERA_USER, password=CAMERA_PASSWORD)
    inspection = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)
    sign_off(installation, inspections, it_actor, inspection.id)
    with installation.database.transaction() as session:
        installation.cameras.update(
            session, it_actor, camera.id, main_url="rtsp://10.0.0.99:554/camera-khac"
        )

    with pytest.raises(Forbidden):
        put_in_service(installation, it_actor, camera.id)


def test_a_reinspection_after_the_view_moved_shows_the_drift(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("xoay", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD)
    camera = add_camera(real.url, "corridor", username=CAMERA_USER, password=CAMERA_PASSWORD)
    accepted = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)
    sign_off(installation, inspections, it_actor, accepted.id)
    put_in_service(installation, it_actor, camera.id)
    # Knocked: the scene slides 160 px (an eighth of the picture) to the left.
    real.switch_file(
        make_test_video(
            seconds=10,
            source=sample_video(),
            picture_filter="crop=iw-160:ih:160:0,pad=iw+160:ih:0:0",
        )
    )

    again = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert again.kind == REINSPECTION
    assert "drift.view" in failed_ids(again)
    found = drift_of(again)
    assert found is not None
    assert found["view"]["shift_x"] == pytest.approx(-0.125, abs=0.03)
    assert found["figures"]["width"] == {"accepted": 1280, "now": 1280}


def test_a_camera_re_aimed_on_purpose_is_accepted_again_with_a_reason_and_a_new_reference(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("quay", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD)
    camera = add_camera(real.url, "corridor", username=CAMERA_USER, password=CAMERA_PASSWORD)
    with pytest.raises(Conflict), installation.database.reading() as session:
        inspections.prepare(session, it_actor, camera.id, new_acceptance_reason="Quay lại")
    first = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)
    sign_off(installation, inspections, it_actor, first.id)
    # Turned on purpose to see the new bicycle shed: the scene slides by an eighth.
    real.switch_file(
        make_test_video(
            seconds=10,
            source=sample_video(),
            picture_filter="crop=iw-160:ih:160:0,pad=iw+160:ih:0:0",
        )
    )
    reason = "Quay camera sang nhà xe mới theo quyết định của BGH ngày 12/03"

    second = inspections.inspect(
        installation.database,
        it_actor,
        camera.id,
        check_onvif=False,
        new_acceptance_reason=reason,
    )
    sign_off(installation, inspections, it_actor, second.id)
    third = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert (second.kind, second.verdict, second.notes) == ("acceptance", PASSED, reason)
    # The new view is the reference now: nothing drifted against it.
    assert third.kind == REINSPECTION
    assert "drift.view" not in failed_ids(third)
    with installation.database.reading() as session:
        details = session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "inspection.record")
        ).all()
    assert sum(reason in entry for entry in details) == 1


def test_an_unchanged_view_reinspected_shows_no_drift(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("yen", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD)
    camera = add_camera(real.url, "corridor", username=CAMERA_USER, password=CAMERA_PASSWORD)
    accepted = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)
    sign_off(installation, inspections, it_actor, accepted.id)

    again = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert again.kind == REINSPECTION
    assert again.verdict == PASSED, failed_ids(again)


def test_a_camera_that_does_not_answer_is_an_error_and_nothing_is_recorded(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras("tat", good_corridor_video())
    camera = add_camera(real.url, "corridor")
    real.stop()

    with pytest.raises(Conflict):
        inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)
    with installation.database.reading() as session:
        assert session.scalars(select(Inspection)).all() == []
