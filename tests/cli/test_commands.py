"""The `camwarden` command, run as an operator would, on a real data folder."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from camwarden.cli.main import app

ADMIN_PASSWORD = "Quan-tri-2026!"


def run(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--data-dir", str(data_dir), *args], input=stdin)
    return result.exit_code, result.output


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    code, output = run(folder, "init", "--admin-password-file", "-", stdin=ADMIN_PASSWORD)
    assert code == 0, output
    return folder


def test_init_reads_the_password_from_stdin_and_creates_the_standard_zones(
    data_dir: Path,
) -> None:
    code, output = run(data_dir, "zone", "list")
    assert code == 0
    assert "Cổng trường" in output and "Phòng tài chính" in output
    assert len(output.strip().splitlines()) == 9


def test_init_refuses_to_run_twice_and_changes_nothing(data_dir: Path) -> None:
    code, output = run(data_dir, "init", "--admin-password-file", "-", stdin="Khac-2026!")
    assert code == 1
    assert "đã được khởi tạo" in output
    code, output = run(data_dir, "user", "list")
    assert len(output.strip().splitlines()) == 1


def test_init_refuses_a_weak_password_in_vietnamese(tmp_path: Path) -> None:
    code, output = run(tmp_path / "d", "init", "--admin-password-file", "-", stdin="abc")
    assert code == 1
    assert "Mật khẩu phải có ít nhất 8 ký tự." in output


def test_init_without_a_password_and_without_a_terminal_says_how_to_give_one(
    tmp_path: Path,
) -> None:
    code, output = run(tmp_path / "d", "init")
    assert code == 1
    assert "--admin-password-file" in output


def test_a_camera_with_a_bad_address_is_refused_and_nothing_is_written(data_dir: Path) -> None:
    code, output = run(
        data_dir, "camera", "add", "Cổng 1", "--zone", "1", "--main-url", "http://10.0.0.5/x"
    )
    assert code == 1
    assert "không phải địa chỉ RTSP" in output
    assert run(data_dir, "camera", "list")[1].strip() == ""
    code, output = run(
        data_dir, "--lang", "en", "camera", "add", "X", "--zone", "1", "--main-url", "rtsp://"
    )
    assert code == 1 and "is not an RTSP address" in output


def test_camera_credentials_given_in_the_address_are_never_printed(data_dir: Path) -> None:
    code, _ = run(
        data_dir,
        "camera",
        "add",
        "Cổng 1",
        "--zone",
        "1",
        "--main-url",
        "rtsp://admin:Bi-mat-9@10.0.0.5:554/ch1",
    )
    assert code == 0
    listing = run(data_dir, "camera", "list")[1]
    audit = run(data_dir, "audit", "list", "--limit", "100")[1]
    assert "rtsp://10.0.0.5:554/ch1" in listing
    assert "Bi-mat-9" not in listing + audit
    database = (data_dir / "camwarden.db").read_bytes()
    assert b"Bi-mat-9" not in database


def test_user_add_prints_a_one_time_password_that_must_be_changed(data_dir: Path) -> None:
    code, output = run(
        data_dir, "user", "add", "nguyen.van.a", "--name", "Nguyễn Văn A", "--role", "security"
    )
    assert code == 0
    assert "Mật khẩu dùng một lần" in output
    code, output = run(data_dir, "user", "add", "tran.b", "--name", "B", "--role", "janitor")
    assert code == 1 and "Vai trò 'janitor' không tồn tại" in output


def test_audit_verify_passes_on_an_untouched_log(data_dir: Path) -> None:
    code, output = run(data_dir, "audit", "verify")
    assert code == 0
    assert "nguyên vẹn" in output


def _tamper(data_dir: Path, *statements: str) -> None:
    with sqlite3.connect(data_dir / "camwarden.db") as connection:
        connection.execute("DROP TRIGGER audit_log_refuse_update")
        connection.execute("DROP TRIGGER audit_log_refuse_delete")
        for statement in statements:
            connection.execute(statement)


def test_audit_verify_fails_and_names_the_entry_changed_directly_in_the_sqlite_file(
    data_dir: Path,
) -> None:
    with (
        sqlite3.connect(data_dir / "camwarden.db") as connection,
        pytest.raises(sqlite3.DatabaseError, match="append-only"),
    ):
        connection.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 3")
    _tamper(data_dir, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 3")
    code, output = run(data_dir, "audit", "verify")
    assert code == 1
    assert "mục 3" in output


def test_audit_verify_fails_when_an_entry_was_deleted(data_dir: Path) -> None:
    _tamper(data_dir, "DELETE FROM audit_log WHERE seq = 4")
    code, output = run(data_dir, "--lang", "en", "audit", "verify")
    assert code == 1
    assert "entry 4 is missing" in output


def test_the_installed_command_runs_as_a_program(data_dir: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "camwarden.cli",
            "--data-dir",
            str(data_dir),
            "--lang",
            "en",
            "audit",
            "verify",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "intact" in completed.stdout


def test_an_id_no_row_can_have_is_reported_as_not_found(data_dir: Path) -> None:
    code, output = run(data_dir, "camera", "edit", str(2**70), "--name", "X")
    assert code == 1
    assert "không tồn tại" in output
    code, output = run(data_dir, "zone", "remove", "0")
    assert code == 1 and "không tồn tại" in output
