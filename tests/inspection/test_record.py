"""The inspection record on SQLite and PostgreSQL: a real camera measured, checked, recorded,
signed off and put in service through its inspection, not the override."""

from __future__ import annotations

import json

from sqlalchemy import select

from camwarden.governance.authorization import Actor
from camwarden.inspection.records import ACCEPTANCE, PASSED
from camwarden.inspection.service import Inspections
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry
from tests.inspection.conftest import CAMERA_PASSWORD, CAMERA_USER, AddCamera, good_corridor_video
from tests.inspection.test_service import put_in_service, sign_off
from tests.support.rtsp import StartCamera


def test_a_camera_with_its_own_login_and_a_good_picture_passes_is_signed_off_and_goes_into_service(
    installation: Installation,
    inspections: Inspections,
    it_actor: Actor,
    add_camera: AddCamera,
    rtsp_cameras: StartCamera,
) -> None:
    real = rtsp_cameras(
        "hanh-lang", good_corridor_video(), user=CAMERA_USER, password=CAMERA_PASSWORD
    )
    camera = add_camera(real.url, "corridor", username=CAMERA_USER, password=CAMERA_PASSWORD)

    inspection = inspections.inspect(installation.database, it_actor, camera.id, check_onvif=False)

    assert inspection.kind == ACCEPTANCE
    assert inspection.verdict == PASSED, inspection.checks
    measured = json.loads(inspection.measurements or "{}")
    assert (measured["width"], measured["height"]) == (1280, 720)
    assert inspection.reference_view is not None
    assert (installation.settings.data_dir / inspection.reference_view).read_bytes()[:2] == (
        b"\xff\xd8"
    )
    sign_off(installation, inspections, it_actor, inspection.id)
    in_service = put_in_service(installation, it_actor, camera.id)

    assert in_service.state == "in_service"
    assert not in_service.in_service_by_override
    with installation.database.reading() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert actions[-3:] == ["inspection.record", "inspection.sign_off", "camera.state_change"]
    assert entry is not None and f'"inspection": {inspection.id}' in entry.details
