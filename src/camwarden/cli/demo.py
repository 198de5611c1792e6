"""`camwarden demo`: a throw-away installation with the school's zones and one account per role."""

from __future__ import annotations

import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlalchemy.orm import Session

from camwarden.cli._context import cli_actor, stop_cleanly_on_sigterm
from camwarden.cli._demo_casework import FILED_AFTER, file_sample_casework_later
from camwarden.config import load_settings
from camwarden.errors import CamwardenError
from camwarden.governance.accounts import actor_for
from camwarden.governance.passwords import generate_password
from camwarden.governance.roles import ROLE_LABELS, Role
from camwarden.governance.school import create_standard_zones
from camwarden.i18n import gettext as _
from camwarden.inspection.records import PASSED
from camwarden.inspection.service import Inspections
from camwarden.installation import Installation, open_installation
from camwarden.simulator.cameras import RtspCamera, make_test_video
from camwarden.storage.models import User

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
# So that the guard room has something to show: this camera's lens is "covered" (a grey
# picture) for a while every few minutes, as a prankster with a bag would.
PRANKED_CAMERA = 4  # "Phía sau nhà C", 1-based in DEMO_CAMERAS
PRANK_FIRST = timedelta(seconds=90)  # after the cameras have learnt their normal view
PRANK_EVERY = timedelta(minutes=6)
PRANK_LASTS = timedelta(seconds=40)
# The cameras a parent's sample request and complaint name, 1-based in DEMO_CAMERAS.
REQUESTED_CAMERA = 1  # "Cổng chính"
COMPLAINED_CAMERA = 3  # "Hành lang tầng 1 nhà B"

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
) -> tuple[dict[Role, tuple[str, str]], list[int]]:
    """Zones, cameras and one account per role; returns role → (username, password) and the
    cameras' ids in the order of DEMO_CAMERAS.

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
    plan_demo_roster(inst)
    if cameras:
        accept_cameras(inst, camera_ids, DEMO_PEOPLE[Role.IT][0])
    return logins, camera_ids


def plan_demo_roster(inst: Installation) -> None:
    """Two weeks of shifts: the guard by day, the head of security by night, except Sunday
    nights, which nobody covers (so the roster's gap warning has something to say)."""
    tz = ZoneInfo(inst.settings.timezone)
    today = inst.clock.now().astimezone(tz).date()
    with inst.database.transaction() as session:
        planner = actor_for(_user(inst, session, DEMO_PEOPLE[Role.SECURITY_LEAD][0]))
        for role, start, end, weekdays in (
            (Role.SECURITY, time(6), time(18), range(7)),
            (Role.SECURITY_LEAD, time(18), time(6), range(6)),
        ):
            inst.roster.add_weekly(
                session,
                planner,
                user_id=_user(inst, session, DEMO_PEOPLE[role][0]).id,
                weekdays=weekdays,
                start=start,
                end=end,
                first_day=today,
                weeks=2,
                post=_("Guard room"),
            )


def _user(inst: Installation, session: Session, username: str) -> User:
    user = inst.accounts.by_username(session, username)
    assert user is not None
    return user


def prank_now_and_then(camera: RtspCamera, normal: Path, stop: threading.Event) -> None:
    """Covers the camera for PRANK_LASTS, first after PRANK_FIRST then every PRANK_EVERY,
    until `stop` (demo only)."""
    cloth = make_test_video(seconds=20, pattern="color=c=gray")
    wait = PRANK_FIRST
    while not stop.wait(wait.total_seconds()):
        wait = PRANK_EVERY
        camera.switch_file(cloth)
        if stop.wait(PRANK_LASTS.total_seconds()):
            return
        camera.switch_file(normal)


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
    from camwarden.governance.escalation import policy_from_settings
    from camwarden.monitoring.service import MonitoringService
    from camwarden.web import create_app

    data_dir = Path(tempfile.mkdtemp(prefix="camwarden-demo-"))
    inst = open_installation(load_settings(data_dir, {}))
    cameras = start_simulated_cameras(sample)
    supervisor = RecordingSupervisor(inst)
    monitoring = MonitoringService(inst, policy=policy_from_settings(inst.settings.escalation))
    stop_pranks = threading.Event()
    try:
        logins, camera_ids = seed_demo(inst, cameras or None)
        monitoring.start()
        supervisor.start()
        if cameras:
            pranked = cameras[PRANKED_CAMERA - 1]
            threading.Thread(
                target=prank_now_and_then,
                args=(pranked, pranked.video, stop_pranks),
                name="demo-prank",
                daemon=True,
            ).start()
            typer.echo(
                _(
                    "Camera '{name}' gets its lens covered for {seconds} s every {minutes} "
                    "minutes, to show tamper alerts in the guard room."
                ).format(
                    name=DEMO_CAMERAS[PRANKED_CAMERA - 1][0],
                    seconds=int(PRANK_LASTS.total_seconds()),
                    minutes=int(PRANK_EVERY.total_seconds() // 60),
                )
            )
            threading.Thread(
                target=file_sample_casework_later,
                args=(
                    inst,
                    camera_ids[REQUESTED_CAMERA - 1],
                    camera_ids[COMPLAINED_CAMERA - 1],
                    stop_pranks,
                ),
                name="demo-casework",
                daemon=True,
            ).start()
            typer.echo(
                _(
                    "In {minutes} minutes a parent's request for footage and a parent's "
                    "complaint are filed, with their tracking codes printed here."
                ).format(minutes=int(FILED_AFTER.total_seconds() // 60))
            )
        typer.echo(_("camwarden demo — data in {path} (deleted on exit)").format(path=data_dir))
        typer.echo(_("Accounts (passwords shown only now):"))
        width = max(len(_(ROLE_LABELS[role])) for role in logins) + 2
        for role, (username, password) in logins.items():
            typer.echo(f"  {_(ROLE_LABELS[role]):<{width}}{username:<16} {password}")
        typer.echo(
            _("Open http://{host}:{port}/ — press Ctrl-C to stop.").format(host=host, port=port)
        )
        live = supervisor.service.live
        stop_cleanly_on_sigterm()
        app = create_app(inst, live=live, recording=supervisor.service)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        stop_pranks.set()
        supervisor.stop()
        monitoring.stop()
        for camera in cameras:
            camera.stop()
        inst.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        typer.echo(_("Demo stopped; its data folder was removed."))
