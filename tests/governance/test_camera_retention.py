"""A camera's retention: never shorter than the review period (R-5.2), audited when changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.config import CONFIG_FILE_NAME, DATABASE_URL_ENV, load_settings
from camwarden.errors import Forbidden, InvalidInput
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.cameras import MAX_RETENTION_DAYS
from camwarden.governance.roles import Role
from camwarden.i18n import gettext, reset_locale, set_current_locale
from camwarden.installation import Installation, open_installation
from camwarden.storage.models import AuditEntry, Camera
from tests.support.footage import gate_zone


def make_camera(inst: Installation, actor: Actor = SYSTEM_ACTOR, **fields: Any) -> Camera:
    with inst.database.transaction() as session:
        zone = gate_zone(inst, session)
        return inst.cameras.create(
            session,
            actor,
            name="Cổng 1",
            zone_id=zone.id,
            main_url="rtsp://10.0.0.5/101",
            **fields,
        )


def set_retention(
    inst: Installation, camera_id: int, days: Any, actor: Actor = SYSTEM_ACTOR
) -> Camera:
    with inst.database.transaction() as session:
        return inst.cameras.update(session, actor, camera_id, retention_days=days)


def audit_count(inst: Installation) -> int:
    with inst.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def stored_retention(inst: Installation, camera_id: int) -> int:
    with inst.database.reading() as session:
        return int(session.scalar(select(Camera.retention_days).where(Camera.id == camera_id)) or 0)


def test_a_new_camera_keeps_its_footage_30_days(installation: Installation) -> None:
    camera = make_camera(installation)
    assert stored_retention(installation, camera.id) == 30
    with installation.database.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry is not None and json.loads(entry.details)["retention_days"] == 30


def test_retention_shorter_than_the_review_period_is_refused_with_the_reason(
    installation: Installation,
) -> None:
    camera = make_camera(installation)
    before = audit_count(installation)
    with pytest.raises(InvalidInput) as refused:
        set_retention(installation, camera.id, 14)
    assert refused.value.field == "retention_days"
    assert str(refused.value) == (
        "Retention of 14 days is too short: footage must be kept at least 15 days, so that "
        "the review every 15 days (Art. 5) can see it."
    )
    token = set_current_locale("vi")
    try:
        assert "Điều 5" in refused.value.render(gettext)
    finally:
        reset_locale(token)
    assert stored_retention(installation, camera.id) == 30
    assert audit_count(installation) == before
    set_retention(installation, camera.id, 15)
    assert stored_retention(installation, camera.id) == 15


@pytest.mark.parametrize(
    ("days", "says"),
    [
        (MAX_RETENTION_DAYS + 1, "too long: at most 3650 days"),
        (0, "too short"),
        (-30, "too short"),
        (True, "whole number of days"),
        ("30", "whole number of days"),
        (30.5, "whole number of days"),
    ],
)
def test_an_impossible_retention_is_refused_by_name(
    sqlite_installation: Installation, days: Any, says: str
) -> None:
    installation = sqlite_installation
    camera = make_camera(installation)
    with pytest.raises(InvalidInput, match=says):
        set_retention(installation, camera.id, days)
    with (
        pytest.raises(InvalidInput, match=says),
        installation.database.transaction() as session,
    ):
        installation.cameras.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng 2",
            zone_id=camera.zone_id,
            main_url="rtsp://10.0.0.6/101",
            retention_days=days,
        )


def test_a_change_of_retention_is_audited_with_the_old_and_new_values(
    installation: Installation,
) -> None:
    camera = make_camera(installation)
    set_retention(installation, camera.id, 90)
    with installation.database.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry is not None and entry.action == "camera.update"
    assert json.loads(entry.details)["changes"] == {"retention_days": [30, 90]}
    before = audit_count(installation)
    set_retention(installation, camera.id, 90)
    assert audit_count(installation) == before, "no change, no entry"


def test_only_those_who_manage_the_camera_may_change_its_retention(
    installation: Installation,
) -> None:
    camera = make_camera(installation)
    guard = Actor(None, "baove", Role.SECURITY, all_zones=True, zone_ids=frozenset())
    with pytest.raises(Forbidden):
        set_retention(installation, camera.id, 60, guard)
    it_staff = Actor(None, "cntt", Role.IT, all_zones=True, zone_ids=frozenset())
    assert set_retention(installation, camera.id, 60, it_staff).retention_days == 60


@pytest.mark.parametrize(("review_days", "default_days"), [(20, 30), (45, 45)])
def test_the_review_period_comes_from_the_settings(
    tmp_path: Path, sqlite_url: str, review_days: int, default_days: int
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / CONFIG_FILE_NAME).write_text(f"review_period_days = {review_days}\n")
    inst = open_installation(
        load_settings(data_dir, {DATABASE_URL_ENV: sqlite_url}), clock=ManualClock()
    )
    try:
        camera = make_camera(inst)
        assert camera.retention_days == default_days, "the default never undercuts the review"
        with pytest.raises(InvalidInput, match=f"at least {review_days} days"):
            set_retention(inst, camera.id, review_days - 1)
        assert set_retention(inst, camera.id, review_days).retention_days == review_days
    finally:
        inst.close()
