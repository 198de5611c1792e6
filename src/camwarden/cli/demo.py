"""`camwarden demo`: a throw-away installation with the school's zones and one account per role."""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated

import typer

from camwarden.cli._context import cli_actor, stop_cleanly_on_sigterm
from camwarden.config import load_settings
from camwarden.errors import CamwardenError
from camwarden.governance.accounts import actor_for
from camwarden.governance.passwords import generate_password
from camwarden.governance.roles import ROLE_LABELS, Role
from camwarden.governance.school import create_standard_zones
from camwarden.i18n import gettext as _
from camwarden.inspection.service import PASSED, Inspections
from camwarden.installation import Installation, open_installation
from camwarden.simulator.cameras import RtspCamera, make_test_video

# (camera name, index of its zone in STANDARD_ZONES, position notes, picture, size): "sample" is
# the real corridor footage when it is given, the others are ffmpeg's test patterns. Each
# passes its zone's inspection profile: the gate camera is 1080p, as a gate needs.
DEMO_CAMERAS = (
    ("Cổng chính", 0, "Trên cột cổng, nhìn ra đường", "testsrc2", (1920, 1080)),
    ("Sân trường – góc cột cờ", 1, "Tầng 2 nhà A, nhìn xuống sân", "smptehdbars", (1280, 720)),
    ("Hành lang tầng 1 nhà B", 2, "Đầu hành lang, phía cầu thang", "sample", (1280, 720)),
    ("Phía sau nhà C", 5, "Góc tường rào", "smptebars", (1280, 720)),
    ("Phòng tài chính", 8, "Góc trần, nhìn về két", "testsrc2", (1280, 720)),
)
# The simulated cameras' own login: one per camera, never a factory one (QCVN 135).
DEMO_CAMERA_USER = "camwarden"
DEMO_SUPPLIER = "Nhà cung cấp mô phỏng (demo)"

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


def seed_demo(
    inst: Installation, cameras: list[RtspCamera] | None = None
) -> dict[Role, tuple[str, str]]:
    """Zones, cameras and one account per role; returns role → (username, password).

    `cameras` are the simulated cameras, in the order of DEMO_CAMERAS: each is inspected by
    the IT account, signed off and put in service, as a real one would be (R-2.1). Without
    them the cameras are registered at addresses where nothing answers, and stay drafts.
    """
    actor = cli_actor()
    logins: dict[Role, tuple[str, str]] = {}
    camera_ids: list[int] = []
    with inst.database.transaction() as session:
        zones = create_standard_zones(session, inst.zones, actor)
        for index, (name, zone_index, notes, _picture, _size) in enumerate(DEMO_CAMERAS, start=1):
            simulated = cameras[index - 1] if cameras else None
            camera = inst.cameras.create(
                session,
                actor,
                name=name,
                zone_id=zones[zone_index].id,
                main_url=simulated.url if simulated else f"rtsp://127.0.0.1:8554/cam{index}",
                username=simulated.user if simulated else None,
                password=simulated.password if simulated else None,
                position_notes=notes,
            )
            camera_ids.append(camera.id)
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
    if cameras:
        accept_cameras(inst, camera_ids, DEMO_PEOPLE[Role.IT][0])
    return logins


def accept_cameras(inst: Installation, camera_ids: list[int], it_username: str) -> None:
    """Each camera inspected (all at once), signed off by IT and put in service if it passed."""
    with inst.database.reading() as session:
        user = inst.accounts.by_username(session, it_username)
        assert user is not None
        it_staff = actor_for(user)
    inspections = Inspections.for_installation(inst)
    typer.echo(_("Inspecting the simulated cameras (about 20 seconds)…"))

    def accept(camera_id: int) -> str | None:
        try:
            inspection = inspections.inspect(
                inst.database, it_staff, camera_id, check_onvif=False, supplier=DEMO_SUPPLIER
            )
            if inspection.verdict != PASSED:
                return None
            with inst.database.transaction() as session:
                inspections.sign_off(session, it_staff, inspection.id)
                inst.cameras.set_state(session, it_staff, camera_id, "in_service")
            return inspection.verdict
        except CamwardenError:
            return None

    with ThreadPoolExecutor(max_workers=len(camera_ids)) as pool:
        verdicts = list(pool.map(accept, camera_ids))
    for camera_id, verdict in zip(camera_ids, verdicts, strict=True):
        if verdict is None:
            typer.secho(
                _("Camera {id} did not pass its inspection; it stays a draft.").format(
                    id=camera_id
                ),
                err=True,
                fg=typer.colors.YELLOW,
            )


def start_simulated_cameras(sample: Path | None) -> list[RtspCamera]:
    """One simulated RTSP camera per demo camera, each with a login of its own; none (and a
    notice) without the tools."""
    cameras: list[RtspCamera] = []
    try:
        for index, (_name, _zone, _notes, picture, (width, height)) in enumerate(
            DEMO_CAMERAS, start=1
        ):
            if picture == "sample" and sample is not None and sample.exists():
                video = make_test_video(seconds=30, source=sample, width=width, height=height)
            else:
                video = make_test_video(
                    seconds=10,
                    width=width,
                    height=height,
                    pattern="testsrc2" if picture == "sample" else picture,
                )
            camera = RtspCamera(
                video,
                path=f"/cam{index}",
                port=0,
                user=DEMO_CAMERA_USER,
                password=generate_password(),
            )
            camera.start()
            cameras.append(camera)
        return cameras
    except (OSError, RuntimeError) as exc:
        typer.secho(
            _(
                "No simulated video ({error}). Run `make system-deps` to install ffmpeg and "
                "GStreamer's RTSP server."
            ).format(error=str(exc).splitlines()[0]),
            err=True,
            fg=typer.colors.YELLOW,
        )
        for camera in cameras:
            camera.stop()
        return []


def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    sample: Annotated[
        Path | None, typer.Option(help="Real footage for one simulated camera (any video file).")
    ] = None,
) -> None:
    """Run a throw-away demo: the school's zones, simulated cameras recorded and watchable,
    one account per role."""
    import uvicorn

    from camwarden.capture.supervisor import RecordingSupervisor
    from camwarden.web import create_app

    data_dir = Path(tempfile.mkdtemp(prefix="camwarden-demo-"))
    inst = open_installation(load_settings(data_dir, {}))
    cameras = start_simulated_cameras(sample)
    supervisor = RecordingSupervisor(inst)
    try:
        logins = seed_demo(inst, cameras or None)
        supervisor.start()
        typer.echo(_("camwarden demo — data in {path} (deleted on exit)").format(path=data_dir))
        typer.echo(_("Accounts (passwords shown only now):"))
        for role, (username, password) in logins.items():
            typer.echo(f"  {_(ROLE_LABELS[role]):<28} {username:<16} {password}")
        typer.echo(
            _("Open http://{host}:{port}/ — press Ctrl-C to stop.").format(host=host, port=port)
        )
        live = supervisor.service.live
        stop_cleanly_on_sigterm()
        uvicorn.run(create_app(inst, live=live), host=host, port=port, log_level="warning")
    finally:
        supervisor.stop()
        for camera in cameras:
            camera.stop()
        inst.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        typer.echo(_("Demo stopped; its data folder was removed."))
