"""`camwarden camera analysis` shows and changes a camera's mask and sensitivities; `camwarden
camera learn-view` has it learn its normal view again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from camwarden.config import load_settings
from camwarden.installation import open_installation
from tests.cli.test_commands import data_dir, run  # noqa: F401  (the fixture)

ROWS = ["0000000000000011", "0000000000000011"] + ["0" * 16] * 7


def add_camera(folder: Path) -> None:
    code, output = run(
        folder, "camera", "add", "Sân trước", "--zone", "1", "--main-url", "rtsp://10.0.0.5/1"
    )
    assert code == 0, output


def test_it_sets_the_flag_mask_and_sensitivities_and_sees_them_as_a_grid(
    data_dir: Path,  # noqa: F811
) -> None:
    add_camera(data_dir)
    code, output = run(
        data_dir,
        "camera",
        "analysis",
        "1",
        "--mask",
        "/".join(ROWS),
        "--tamper-sensitivity",
        "high",
    )
    assert code == 0, output
    assert "Đã lưu cài đặt phân tích của camera 1." in output
    code, output = run(data_dir, "camera", "analysis", "1")
    assert code == 0, output
    assert "phá hoại: high; độ nhạy phát hiện chuyển động: normal" in output
    grid = [line for line in output.splitlines() if set(line) <= {".", "#"} and line]
    assert grid[:3] == ["..............##", "..............##", "................"]
    code, output = run(data_dir, "audit", "list")
    assert "camera.analysis_settings" in output


def test_a_bad_mask_is_refused_in_vietnamese_and_nothing_changes(
    data_dir: Path,  # noqa: F811
) -> None:
    add_camera(data_dir)
    code, output = run(
        data_dir, "camera", "analysis", "1", "--mask", "0101", "--tamper-sensitivity", "low"
    )
    assert code == 1
    assert "Vùng che phân tích '0101' không hợp lệ" in output
    assert "Không có vùng che" in run(data_dir, "camera", "analysis", "1")[1]
    assert "phá hoại: normal" in run(data_dir, "camera", "analysis", "1")[1]


def test_learn_view_is_refused_for_a_draft_and_audited_for_a_camera_in_service(
    data_dir: Path,  # noqa: F811
) -> None:
    add_camera(data_dir)
    code, output = run(data_dir, "camera", "learn-view", "1", "--reason", "quay lại")
    assert code == 1
    assert "Camera 'Sân trước' chưa đưa vào sử dụng" in output
    code, output = run(data_dir, "camera", "state", "1", "in_service", "--reason", "đã kiểm tra")
    assert code == 0, output
    inst = open_installation(load_settings(data_dir, {}))
    try:
        inst.recordings.open_event(1, "moved", datetime(2026, 11, 27, 1, tzinfo=UTC))
    finally:
        inst.close()
    code, output = run(data_dir, "camera", "learn-view", "1", "--reason", "quay lại cổng phụ")
    assert code == 0, output
    assert "Camera 1 sẽ học lại khung cảnh bình thường trong vòng nửa phút." in output
    assert "Các phát hiện phá hoại đã kết thúc: Camera bị xoay hoặc dịch chuyển." in output
    assert "camera.view_learnt_again" in run(data_dir, "audit", "list")[1]
