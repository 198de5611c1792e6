"""`camwarden demo`: a throw-away installation with the school's zones and one account per role."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from camwarden.cli._context import cli_actor
from camwarden.config import load_settings
from camwarden.governance.passwords import generate_password
from camwarden.governance.roles import ROLE_LABELS, Role
from camwarden.governance.school import create_standard_zones
from camwarden.i18n import gettext as _
from camwarden.installation import Installation, open_installation

# (camera name, index of its zone in STANDARD_ZONES, position notes)
DEMO_CAMERAS = (
    ("Cổng chính", 0, "Trên cột cổng, nhìn ra đường"),
    ("Sân trường – góc cột cờ", 1, "Tầng 2 nhà A, nhìn xuống sân"),
    ("Hành lang tầng 1 nhà B", 2, "Đầu hành lang, phía cầu thang"),
    ("Phía sau nhà C", 5, "Góc tường rào"),
    ("Phòng tài chính", 8, "Góc trần, nhìn về két"),
)

DEMO_PEOPLE = {
    Role.ADMIN: ("quantri", "Nguyễn Văn Quản"),
    Role.PRINCIPAL: ("hieutruong", "Trần Thị Hiền"),
    Role.BOARD: ("phohieutruong", "Lê Văn Phó"),
    Role.SECURITY_LEAD: ("totruongbaove", "Phạm Văn Tổ"),
    Role.SECURITY: ("baove", "Đỗ Văn Bảo"),
    Role.IT: ("cntt", "Hoàng Thị Tin"),
    Role.FINANCE: ("ketoan", "Vũ Thị Kế"),
    Role.STAFF: ("giaovien", "Bùi Thị Giáo"),
    Role.EXTERNAL: ("khach", "Ngô Văn Khách"),
}


def seed_demo(inst: Installation) -> dict[Role, tuple[str, str]]:
    """Zones, simulated cameras and one account per role; returns role → (username, password)."""
    actor = cli_actor()
    logins: dict[Role, tuple[str, str]] = {}
    with inst.database.transaction() as session:
        zones = create_standard_zones(session, inst.zones, actor)
        for index, (name, zone_index, notes) in enumerate(DEMO_CAMERAS, start=1):
            camera = inst.cameras.create(
                session,
                actor,
                name=name,
                zone_id=zones[zone_index].id,
                main_url=f"rtsp://127.0.0.1:8554/cam{index}",
                sub_url=f"rtsp://127.0.0.1:8554/cam{index}-sub",
                position_notes=notes,
            )
            inst.cameras.set_state(
                session, actor, camera.id, "in_service", reason="Demo: simulated camera"
            )
        for role, (username, full_name) in DEMO_PEOPLE.items():
            password = generate_password()
            inst.accounts.create(
                session,
                actor,
                username=username,
                full_name=full_name,
                role=role.value,
                password=password,
                must_change_password=False,
            )
            logins[role] = (username, password)
    return logins


def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
) -> None:
    """Run a throw-away demo: the school's zones, a few cameras, one account per role."""
    import uvicorn

    from camwarden.web import create_app

    data_dir = Path(tempfile.mkdtemp(prefix="camwarden-demo-"))
    inst = open_installation(load_settings(data_dir, {}))
    try:
        logins = seed_demo(inst)
        typer.echo(_("camwarden demo — data in {path} (deleted on exit)").format(path=data_dir))
        typer.echo(_("Accounts (passwords shown only now):"))
        for role, (username, password) in logins.items():
            typer.echo(f"  {_(ROLE_LABELS[role]):<28} {username:<16} {password}")
        typer.echo(
            _("Open http://{host}:{port}/ — press Ctrl-C to stop.").format(host=host, port=port)
        )
        uvicorn.run(create_app(inst), host=host, port=port, log_level="warning")
    finally:
        inst.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        typer.echo(_("Demo stopped; its data folder was removed."))
