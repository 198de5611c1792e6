"""`camwarden retention`, run as an operator would, on a real data folder."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from camwarden.cli.main import app
from camwarden.config import CONFIG_FILE_NAME, load_settings
from camwarden.installation import open_installation
from camwarden.retention._deletion import AUDIT_ACTION
from camwarden.storage.models import AuditEntry
from tests.capture.conftest import encode_test_video
from tests.retention.test_service import add_cameras, close_review, hold, record_at, segments


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.output


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder with a camera whose footage is 40 and 1 days old (by the real clock),
    reviewed up to 15 days ago."""
    folder = tmp_path / "data"
    folder.mkdir()
    # No margin: the real disk's free space must not decide what this test sees.
    (folder / CONFIG_FILE_NAME).write_text("free_margin_gb = 0\n", encoding="utf-8")
    clip = encode_test_video(tmp_path / "clip.mp4", seconds=2.0, size=(160, 96))
    inst = open_installation(load_settings(folder))
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        (camera,) = add_cameras(inst, "Cổng 1")
        for days in (40, 1):
            record_at(inst, camera, now - timedelta(days=days), clip)
        close_review(inst, now - timedelta(days=15))
    finally:
        inst.close()
    return folder


def test_retention_deletes_old_footage_and_says_so_in_vietnamese(data_dir: Path) -> None:
    code, output = run(data_dir, "retention")
    assert code == 0, output
    assert "Theo thời hạn lưu: đã xóa 1 đoạn ghi hình" in output
    assert "Cổng 1: 1 đoạn" in output
    inst = open_installation(load_settings(data_dir))
    try:
        assert len(segments(inst)) == 1
        with inst.database.reading() as session:
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION)
            ).one()
        assert entry.actor.startswith("cli:")
        assert json.loads(entry.details)["reason"] == "age"
    finally:
        inst.close()
    code, output = run(data_dir, "--lang", "en", "retention")
    assert code == 0
    assert "By age: 0 segments deleted" in output


def test_retention_exits_2_when_the_disk_is_full_of_protected_footage(data_dir: Path) -> None:
    # A margin no disk has: everything unprotected goes, then the rest is protected.
    (data_dir / CONFIG_FILE_NAME).write_text("free_margin_gb = 1000000\n", encoding="utf-8")
    inst = open_installation(load_settings(data_dir))
    try:
        old, _recent = segments(inst)
        hold(inst, old.camera_id, old.start_at, old.end_at)
    finally:
        inst.close()
    code, output = run(data_dir, "--lang", "en", "retention")
    assert code == 2, output
    assert "everything left is protected" in output
    assert "By age: 0 segments deleted" in output
