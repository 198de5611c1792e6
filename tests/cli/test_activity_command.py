"""`camwarden activity search`, run as an operator would, on a real data folder."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import open_installation
from tests.cli.test_commands import run

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NIGHT = datetime(2026, 3, 2, 23, 0, tzinfo=HANOI)
PASSWORD = "Hieu-truong-2026!"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A school with the standard zones, a finance-room camera that saw someone at 23:00 on
    2 March and at noon the next day, a principal and a guard of the gate."""
    folder = tmp_path / "data"
    code, output = run(folder, "init", "--admin-password-file", "-", stdin="Quan-tri-2026!")
    assert code == 0, output
    inst = open_installation(load_settings(folder))
    try:
        with inst.database.transaction() as session:
            zones = {zone.kind: zone.id for zone in inst.zones.all_for_choice(session)}
            camera = inst.cameras.create(
                session,
                SYSTEM_ACTOR,
                name="Két sắt",
                zone_id=zones["finance_room"],
                main_url="rtsp://10.0.0.7/1",
            )
            for username, role, scoped in (
                ("hieutruong", "principal", None),
                ("baove", "security", [zones["gate"]]),
            ):
                inst.accounts.create(
                    session,
                    SYSTEM_ACTOR,
                    username=username,
                    full_name=username,
                    role=role,
                    password=PASSWORD,
                    all_zones=scoped is None,
                    zone_ids=scoped or [],
                    must_change_password=False,
                )
        for moment in (NIGHT, NIGHT + timedelta(hours=13)):
            for offset in range(0, 150, 2):
                inst.activity.record(camera.id, moment + timedelta(seconds=offset), 0.3)
    finally:
        inst.close()  # writes the buffered activity
    return folder


def test_a_night_search_prints_the_period_in_vietnamese(data_dir: Path) -> None:
    code, output = run(
        data_dir,
        "activity",
        "search",
        "--camera",
        "két sắt",
        "--from",
        "01/03/2026",
        "--to",
        "07/03/2026",
        "--hours",
        "22:00-05:00",
        "--as",
        "hieutruong",
    )
    assert code == 0, output
    assert output.splitlines() == [
        "1 khoảng thời gian có hoạt động.",
        "Két sắt: từ 02/03/2026 23:00:00 đến 02/03/2026 23:02:30 "
        "(2 phút 30 giây, Chuyển động mạnh)",
    ]


def test_without_hours_both_periods_are_found_newest_first(data_dir: Path) -> None:
    code, output = run(
        data_dir,
        "activity",
        "search",
        "--zone",
        "Phòng tài chính",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-07",
        "--as",
        "hieutruong",
    )
    assert code == 0, output
    assert output.splitlines()[0] == "2 khoảng thời gian có hoạt động."
    assert "03/03/2026 12:00:00" in output.splitlines()[1]


def test_the_guard_of_the_gate_is_told_the_finance_camera_does_not_exist(data_dir: Path) -> None:
    code, output = run(
        data_dir,
        "activity",
        "search",
        "--camera",
        "Két sắt",
        "--from",
        "01/03/2026",
        "--to",
        "07/03/2026",
        "--as",
        "baove",
    )
    assert code == 1
    assert "Không có camera 'Két sắt'." in output
    code, output = run(
        data_dir,
        "activity",
        "search",
        "--from",
        "01/03/2026",
        "--to",
        "07/03/2026",
        "--as",
        "baove",
    )
    assert code == 0 and output.strip() == "0 khoảng thời gian có hoạt động."


def test_the_administrator_at_the_command_line_must_name_an_account(data_dir: Path) -> None:
    code, output = run(data_dir, "activity", "search", "--from", "01/03/2026", "--to", "07/03/2026")
    assert code == 1
    assert "--as" in output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "hôm qua", "--to", "07/03/2026"], "không phải là ngày"),
        (["--from", "01/01/2026", "--to", "07/03/2026"], "tối đa 31 ngày"),
        (["--from", "07/03/2026", "--to", "01/03/2026"], "phải sau lúc bắt đầu"),
        (["--from", "01/03/2026", "--to", "07/03/2026", "--hours", "đêm"], "khoảng giờ"),
        (["--from", "01/03/2026", "--to", "07/03/2026", "--level", "to"], "phải là một trong"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(data_dir: Path, args: list[str], words: str) -> None:
    code, output = run(data_dir, "activity", "search", *args, "--as", "hieutruong")
    assert code == 1
    assert words in output
