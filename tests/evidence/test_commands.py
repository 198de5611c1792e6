"""`camwarden export` and `camwarden verify`, run as an operator would."""

from __future__ import annotations

from pathlib import Path

from tests.evidence.conftest import Footage
from typer.testing import CliRunner

from camwarden.cli.main import app
from camwarden.governance.authorization import SYSTEM_ACTOR


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def with_principal(footage: Footage) -> None:
    with footage.inst.database.transaction() as session:
        footage.inst.accounts.create(
            session,
            SYSTEM_ACTOR,
            username="hieutruong",
            full_name="Trần Thị Hiệu",
            role="principal",
            password="Hieu-truong-2026!",
        )


def export_args(footage: Footage, *extra: str) -> list[str]:
    return [
        "--data-dir",
        str(footage.inst.settings.data_dir),
        "export",
        "--camera",
        str(footage.gate_camera),
        "--from",
        "2026-11-26T08:00:03+07:00",
        "--to",
        "2026-11-26T08:00:15+07:00",
        "--reason",
        "Vụ va chạm ở cổng",
        "--approval",
        "Công văn 45/CAP",
        "--out",
        str(footage.out),
        *extra,
    ]


def test_export_then_verify_on_the_command_line(footage: Footage) -> None:
    with_principal(footage)
    code, output = run(*export_args(footage, "--as", "hieutruong"))
    assert code == 0, output
    assert "Đã ghi gói bằng chứng" in output
    assert "26/11/2026 08:00:02" in output  # shown in the school's time, from the keyframe
    (package,) = footage.out.iterdir()
    code, output = run("verify", str(package))
    assert code == 0, output
    assert "Gói bằng chứng nguyên vẹn" in output
    trusted = footage.inst.settings.data_dir / "trusted.pem"
    trusted.write_bytes((package / "public-key.pem").read_bytes())
    code, output = run("--lang", "en", "verify", str(package), "--public-key", str(trusted))
    assert code == 0, output
    assert "The key is the trusted key you gave." in output


def test_verify_on_the_command_line_lists_each_problem_and_fails(package: Path) -> None:
    (clip,) = (package / "clips").iterdir()
    clip.write_bytes(clip.read_bytes()[:-1] + b"\x00")
    (package / "clips" / "them.mp4").write_bytes(b"")
    code, output = run("--lang", "en", "verify", str(package))
    assert code == 1
    assert "The package is NOT intact: 2 problem(s)." in output
    assert f"clips/{clip.name}: the file has" not in output  # same size, different bytes
    assert f"clips/{clip.name}: SHA-256 is " in output
    assert "clips/them.mp4: this file is not listed in the manifest." in output
    code, output = run("verify", str(package))
    assert code == 1 and "KHÔNG nguyên vẹn" in output


def test_export_on_the_command_line_needs_a_named_account(footage: Footage) -> None:
    code, output = run(*export_args(footage))
    assert code == 1
    assert "--as" in output and "quản trị hệ thống" in output
    code, output = run(*export_args(footage, "--as", "nobody"))
    assert code == 1 and "nobody" in output
    assert not footage.out.exists()


def test_export_on_the_command_line_explains_a_refusal_in_vietnamese(footage: Footage) -> None:
    with_principal(footage)
    args = export_args(footage, "--as", "hieutruong")
    args[args.index("--reason") + 1] = " "
    code, output = run(*args)
    assert code == 1 and "Lý do" in output
    args = export_args(footage, "--as", "hieutruong")
    args[args.index("--from") + 1] = "hôm qua"
    code, output = run(*args)
    assert code == 1 and "hôm qua" in output
    assert not footage.out.exists()
