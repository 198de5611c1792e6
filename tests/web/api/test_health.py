"""GET /api/v1/health (R-8.1): each camera's stream, the recordings disk and its forecast, the
health events; on SQLite and PostgreSQL, in the caller's zones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from camwarden.clock import ManualClock
from camwarden.config import DATABASE_URL_ENV, load_settings
from camwarden.installation import Installation, open_installation
from camwarden.storage.models import CameraEvent
from tests.support.footage import Cameras, record_history, school_cameras
from tests.web.conftest import MakeAccount

# 2 Mbit/s is 15 MB a minute.
BYTES_PER_MINUTE = 15_000_000


@pytest.fixture
def installation(database_url: str, tmp_path: Path, clock: ManualClock) -> Iterator[Installation]:
    """The index is read on both engines: this module runs on each."""
    opened = open_installation(
        load_settings(tmp_path / "data", {DATABASE_URL_ENV: database_url}), clock=clock
    )
    yield opened
    opened.close()


@pytest.fixture
def cameras(installation: Installation) -> Cameras:
    school = school_cameras(installation, retention_days=30)
    # An hour of the gate at 15 fps and 2 Mbit/s; the finance room never recorded.
    record_history(installation, school.gate, minutes=60, bytes_per_minute=BYTES_PER_MINUTE)
    return school


def test_a_server_that_does_not_record_reads_the_figures_from_the_index(
    client: TestClient, make_account: MakeAccount, cameras: Cameras, installation: Installation
) -> None:
    answer = client.get("/api/v1/health", headers=make_account("it").headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body["measured"] is False
    by_name = {camera["name"]: camera for camera in body["cameras"]}
    gate, finance = by_name["Cổng chính"], by_name["Két sắt"]
    assert gate["online"] and gate["recording"] and not gate["measured"]
    assert gate["fps"] == pytest.approx(15)
    assert gate["bitrate_bps"] == pytest.approx(2_000_000)
    now = installation.clock.now()
    assert datetime.fromisoformat(gate["last_keyframe_at"]) == now.astimezone(UTC)
    assert not finance["online"] and not finance["recording"]
    assert finance["last_keyframe_at"] is None and finance["fps"] is None

    disk = body["disk"]
    assert disk["footage_bytes"] == 60 * BYTES_PER_MINUTE
    # One hour indexed, scaled to a day: 21.6 GB.
    assert disk["bytes_per_day"] == pytest.approx(24 * 60 * BYTES_PER_MINUTE)
    assert disk["retention_days"] == 30
    assert disk["retention_bytes"] == pytest.approx(30 * 24 * 60 * BYTES_PER_MINUTE)
    assert disk["total_bytes"] >= disk["free_bytes"] > 0
    room = max(disk["free_bytes"] - disk["free_margin_bytes"], 0)
    assert disk["days_until_pressure"] == pytest.approx(room / disk["bytes_per_day"])
    assert disk["retention_fits"] == (disk["capacity_days"] >= 30)


def test_a_stopped_recording_is_not_online_and_its_last_keyframe_stays_known(
    client: TestClient,
    make_account: MakeAccount,
    cameras: Cameras,
    installation: Installation,
    clock: ManualClock,
) -> None:
    clock.advance(120)  # two minutes without a new fragment in the index
    body = client.get("/api/v1/health", headers=make_account("it").headers).json()
    gate = next(c for c in body["cameras"] if c["id"] == cameras.gate)
    assert not gate["online"] and not gate["recording"]
    assert gate["last_keyframe_at"] is not None


def test_open_alerts_and_events_are_counted_for_each_camera(
    client: TestClient, make_account: MakeAccount, cameras: Cameras, installation: Installation
) -> None:
    started = installation.clock.now()
    event = installation.recordings.open_event(cameras.finance, "video_loss", started)
    with installation.database.transaction() as session:
        loaded = session.get(CameraEvent, event)
        assert loaded is not None
        installation.alerts.raise_for_event(session, loaded)
    body = client.get("/api/v1/health", headers=make_account("it").headers).json()
    finance = next(c for c in body["cameras"] if c["id"] == cameras.finance)
    assert finance["open_alerts"] == 1 and finance["condition"] == "video_loss"
    assert [e["kind"] for e in body["events"]] == ["video_loss"]
    assert body["events"][0]["ended_at"] is None


def test_a_guard_sees_only_the_cameras_of_their_zones(
    client: TestClient, make_account: MakeAccount, cameras: Cameras
) -> None:
    guard = make_account("security", all_zones=False, zone_ids=[cameras.gate_zone])
    body = client.get("/api/v1/health", headers=guard.headers).json()
    assert [c["id"] for c in body["cameras"]] == [cameras.gate]
    assert body["disk"]["footage_bytes"] == 60 * BYTES_PER_MINUTE


def test_a_role_that_does_not_see_cameras_is_refused(
    client: TestClient, make_account: MakeAccount, cameras: Cameras
) -> None:
    answer = client.get("/api/v1/health", headers=make_account("staff").headers)
    assert answer.status_code == 403
    assert answer.json()["error"]["kind"] == "Forbidden"
