"""A server killed with SIGKILL mid-segment loses at most the fragment being written."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from camwarden.capture.fsck import probe
from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation, open_installation
from camwarden.storage.models import Segment
from tests.capture.test_recording import wait_for
from tests.support.rtsp import StartCamera, rtsp_cameras  # noqa: F401  (the fixture)
from tests.support.server import ServerProcess


@pytest.fixture
def installation_with_camera(
    tmp_path: Path,
    rtsp_cameras: StartCamera,  # noqa: F811
) -> Iterator[tuple[Installation, int]]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "camwarden.toml").write_text("segment_seconds = 4\n", encoding="utf-8")
    inst = open_installation(load_settings(data_dir, {}))
    gate = rtsp_cameras("gate")
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        )
        camera = inst.cameras.create(
            session, SYSTEM_ACTOR, name="Cổng 1", zone_id=zone.id, main_url=gate.url
        )
        inst.cameras.set_state(session, SYSTEM_ACTOR, camera.id, "in_service", reason="test")
        camera_id = camera.id
    yield inst, camera_id
    inst.close()


def test_a_server_killed_mid_segment_recovers_the_segment_and_loses_nothing_else(
    installation_with_camera: tuple[Installation, int],
) -> None:
    inst, camera_id = installation_with_camera
    server = ServerProcess(inst.settings.data_dir)
    server.start()
    try:

        def segments() -> list[Segment]:
            return list(inst.recordings.segments(camera_id))

        def growing() -> bool:
            found = segments()
            return (
                len(found) >= 2
                and found[-1].status == "recording"
                and found[-1].frames >= 30  # at least one fragment on disk
            )

        wait_for(growing, 30, "a second segment half written")
        time.sleep(1.0)
        server.kill()
        before = segments()
        assert before[-1].status == "recording"
        complete_before = {s.path: (s.bytes, s.frames) for s in before if s.status == "complete"}
        partial = inst.settings.recordings_dir / before[-1].path
        on_disk = probe(partial)
        assert on_disk is not None and on_disk.frames >= 30, "the partial file plays"

        server.start()
        wait_for(lambda: segments()[len(before) - 1].status == "recovered", 20, "recovery")
        after = segments()
        recovered = after[len(before) - 1]
        assert recovered.frames == probe(partial).frames  # type: ignore[union-attr]
        assert recovered.bytes == partial.stat().st_size
        # What was complete before the crash is untouched, and recording goes on.
        assert {
            s.path: (s.bytes, s.frames) for s in after if s.path in complete_before
        } == complete_before
        wait_for(lambda: len(segments()) > len(before), 30, "recording to go on")
        # The index matches the disk: every row has its file, every file its row.
        files = {
            p.relative_to(inst.settings.recordings_dir).as_posix()
            for p in inst.settings.recordings_dir.glob("*/*/*.mp4")
        }
        assert files == {s.path for s in segments()}
    finally:
        server.stop()


def test_a_server_stopped_by_systemd_closes_its_segments_cleanly(
    installation_with_camera: tuple[Installation, int],
) -> None:
    inst, camera_id = installation_with_camera
    server = ServerProcess(inst.settings.data_dir)
    server.start()
    try:
        wait_for(
            lambda: any(s.frames >= 30 for s in inst.recordings.segments(camera_id)),
            30,
            "a segment with a fragment on disk",
        )
    finally:
        server.stop()  # SIGTERM, as `systemctl stop` sends
    assert server.process is not None and server.process.returncode == 0
    statuses = {s.status for s in inst.recordings.segments(camera_id)}
    assert statuses == {"complete"}, "no segment left for fsck to recover"
