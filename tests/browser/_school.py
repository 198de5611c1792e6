"""The school the browser journeys run in: its data folder, places, cameras and people, a real
server over it (its own process, or uvicorn in the test's process when the test moves the
clock or reads the installation), and a few seconds of really recorded footage."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import TypedDict

import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.i18n import SCHOOL_TIMEZONE
from camwarden.installation import Installation, open_installation
from camwarden.storage.models import Segment
from camwarden.web import create_app
from tests.support.rtsp import RtspCamera, make_test_video
from tests.support.server import ServerProcess, free_port

Login = tuple[str, str]  # (username, password)

# Who the journeys log in as; each journey makes the accounts it needs (`Member`).
PRINCIPAL: Login = ("hieutruong", "Hieu-truong-2026!")
BOARD: Login = ("phohieutruong", "Ban-giam-hieu-2026!")
GUARD: Login = ("baove", "Bao-ve-2026!")
IT: Login = ("cntt", "Cong-nghe-2026!")

# Short segments: a journey needs two finished ones within seconds.
SHORT_SEGMENTS = "segment_seconds = 4\n"


@dataclass(frozen=True)
class Member:
    """A person of the school with an account whose password needs no first change."""

    login: Login
    role: str
    full_name: str
    email: str | None = None


def open_school(data_dir: Path, settings: str = "") -> Installation:
    """A new installation in `data_dir`, its camwarden.toml holding `settings` (TOML text)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if settings:
        (data_dir / "camwarden.toml").write_text(settings, encoding="utf-8")
    return open_installation(load_settings(data_dir, {}))


def add_zone(inst: Installation, session: Session, name: str, kind: str) -> int:
    unit = "Tổ bảo vệ"
    created = inst.zones.create(
        session, SYSTEM_ACTOR, name=name, kind=kind, purposes=["security"], responsible_unit=unit
    )
    return created.id


def add_camera(
    inst: Installation,
    session: Session,
    zone_id: int,
    url: str,
    name: str = "Cổng chính",
    *,
    in_service: bool = True,
) -> int:
    """A camera; only one in service is recorded and analysed (and can be asked for)."""
    camera = inst.cameras.create(session, SYSTEM_ACTOR, name=name, zone_id=zone_id, main_url=url)
    if in_service:
        inst.cameras.set_state(session, SYSTEM_ACTOR, camera.id, "in_service", reason="test")
    return camera.id


def add_members(inst: Installation, session: Session, members: Sequence[Member]) -> None:
    for member in members:
        inst.accounts.create(
            session,
            SYSTEM_ACTOR,
            username=member.login[0],
            full_name=member.full_name,
            role=member.role,
            email=member.email,
            password=member.login[1],
            must_change_password=False,
        )


def create_school(
    data_dir: Path,
    members: Sequence[Member],
    camera_url: str,
    *,
    settings: str = SHORT_SEGMENTS,
    zone: tuple[str, str] = ("Cổng trường", "gate"),
    camera_name: str = "Cổng chính",
    in_service: bool = True,
) -> int:
    """The usual school of a journey: one zone, its one camera, the members; the camera's id.
    The installation is closed again, for a server to open."""
    inst = open_school(data_dir, settings)
    try:
        with inst.database.transaction() as session:
            zone_id = add_zone(inst, session, *zone)
            camera_id = add_camera(
                inst, session, zone_id, camera_url, camera_name, in_service=in_service
            )
            add_members(inst, session, members)
    finally:
        inst.close()
    return camera_id


class FormFields(TypedDict):
    """Footage as a parent names it on a form: one day and whole minutes, school time."""

    day: str
    from_time: str
    to_time: str


def whole_minute(moment: datetime) -> datetime:
    return moment.astimezone(SCHOOL_TIMEZONE).replace(second=0, microsecond=0)


def form_fields(first: datetime, last: datetime) -> FormFields:
    return FormFields(
        day=first.date().isoformat(),
        from_time=first.strftime("%H:%M"),
        to_time=last.strftime("%H:%M"),
    )


@contextmanager
def reading(data_dir: Path) -> Iterator[Session]:
    """A look into the database a server in another process writes to."""
    inst = open_installation(load_settings(data_dir, {}), migrate=False)
    try:
        with inst.database.reading() as session:
            yield session
    finally:
        inst.close()


@contextmanager
def simulated_camera(path: str, seconds: float | None = None) -> Iterator[RtspCamera]:
    """A real RTSP camera for a module's school (`rtsp_cameras` lasts one test only)."""
    video = make_test_video() if seconds is None else make_test_video(seconds=seconds)
    camera = RtspCamera(video, path=path, port=0)
    camera.start()
    try:
        yield camera
    finally:
        camera.stop()


@contextmanager
def running_server(data_dir: Path, *, record: bool = True) -> Iterator[str]:
    """`camwarden serve` in its own process; its base URL."""
    server = ServerProcess(data_dir, record=record)
    base = server.start()
    try:
        yield base
    finally:
        server.stop()


@contextmanager
def serving_in_process(
    data_dir: Path, clock: Clock | None = None
) -> Iterator[tuple[Installation, str]]:
    """The web app over `data_dir` in this process, so that the test shares its clock and its
    database; the installation and the base URL."""
    installation = open_installation(load_settings(data_dir, {}), clock=clock)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(installation), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        yield installation, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        installation.close()


def wait_for_segments(data_dir: Path, count: int = 2, patience_s: float = 120.0) -> None:
    """Until the recorder has written `count` segments (a loaded machine connects slowly)."""
    deadline = time.monotonic() + patience_s
    while True:
        with reading(data_dir) as session:
            if (session.scalar(select(func.count(Segment.id))) or 0) >= count:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"the recorder wrote fewer than {count} segments")
        time.sleep(0.5)


def record_footage(data_dir: Path) -> tuple[datetime, datetime]:
    """Two finished segments recorded by a real server, all on one school day (a parent asks
    for footage of one day); when the recording started and ended (UTC)."""
    now = datetime.now(SCHOOL_TIMEZONE)
    midnight = datetime.combine(now.date() + timedelta(days=1), dt_time(), SCHOOL_TIMEZONE)
    to_midnight = (midnight - now).total_seconds()
    if to_midnight < 240:
        time.sleep(to_midnight + 1)
    recorder = ServerProcess(data_dir)
    recorder.start()
    started = datetime.now(UTC)
    try:
        wait_for_segments(data_dir)
    finally:
        recorder.stop()
    return started, datetime.now(UTC)


LEARN_S = 20.0  # the live analysis learns the normal view this long (DetectorSettings)


@dataclass(frozen=True)
class AnalysedCamera:
    """A real camera recorded and analysed by a real server, whose lens a test can cover."""

    base: str
    data_dir: Path
    camera_id: int
    camera: RtspCamera
    cloth: Path  # a grey video: what the camera sends with a cloth over its lens
    started: float  # time.monotonic() when the server answered

    def cover_once_learned(self) -> None:
        """Covers the lens once the analysis has learned the normal view (else: no alert)."""
        time.sleep(max(0.0, self.started + LEARN_S + 3 - time.monotonic()))
        self.camera.switch_file(self.cloth)


@contextmanager
def analysed_camera(
    data_dir: Path,
    camera: RtspCamera,
    members: Sequence[Member],
    *,
    settings: str = SHORT_SEGMENTS,
    zone: tuple[str, str] = ("Cổng trường", "gate"),
    camera_name: str = "Cổng chính",
) -> Iterator[AnalysedCamera]:
    """`camera` (keyframes 2 s apart) in a school of its own, served by a recording server."""
    camera_id = create_school(
        data_dir, members, camera.url, settings=settings, zone=zone, camera_name=camera_name
    )
    with running_server(data_dir) as base:
        cloth = make_test_video(seconds=20, pattern="color=c=gray")
        yield AnalysedCamera(base, data_dir, camera_id, camera, cloth, time.monotonic())
