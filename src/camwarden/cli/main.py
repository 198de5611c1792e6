"""Entry point: `camwarden [--data-dir DIR] [--lang vi|en] COMMAND …`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from camwarden import __version__, i18n
from camwarden.cli import activity as activity_commands
from camwarden.cli import analyze as analyze_commands
from camwarden.cli import audit as audit_commands
from camwarden.cli import cameras as camera_commands
from camwarden.cli import demo as demo_commands
from camwarden.cli import evidence as evidence_commands
from camwarden.cli import incidents as incident_commands
from camwarden.cli import inspect as inspect_commands
from camwarden.cli import retention as retention_commands
from camwarden.cli import users as user_commands
from camwarden.cli import zones as zone_commands
from camwarden.cli._context import (
    CliState,
    cli_actor,
    data_dir_from,
    fail,
    installation,
    stop_cleanly_on_sigterm,
)
from camwarden.config import load_settings
from camwarden.governance.school import create_standard_zones
from camwarden.i18n import gettext as _
from camwarden.installation import open_installation

app = typer.Typer(
    name="camwarden",
    help="CCTV management for schools, run by the school's own regulation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(user_commands.app, name="user")
app.add_typer(zone_commands.app, name="zone")
app.add_typer(camera_commands.app, name="camera")
app.add_typer(audit_commands.app, name="audit")
app.add_typer(activity_commands.app, name="activity")
app.add_typer(incident_commands.app, name="incident")
app.command("demo")(demo_commands.demo)
app.command("export")(evidence_commands.export)
app.command("verify")(evidence_commands.verify)
app.command("retention")(retention_commands.retention)
app.command("analyze")(analyze_commands.analyze)
app.command("inspect")(inspect_commands.inspect)


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="The installation's data folder (default: $CAMWARDEN_DATA_DIR or "
            "/var/lib/camwarden).",
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of messages: vi or en.")] = "vi",
) -> None:
    i18n.set_current_locale(lang)
    ctx.obj = CliState(data_dir=data_dir_from(data_dir))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def _read_password(password_file: Path | None) -> str:
    if password_file is not None:
        source = sys.stdin.read() if str(password_file) == "-" else password_file.read_text()
        return source.strip("\r\n")
    if sys.stdin.isatty():
        first = typer.prompt(_("Password of the first administrator"), hide_input=True)
        if first != typer.prompt(_("The same password again"), hide_input=True):
            raise fail(_("The two passwords are not the same."))
        return str(first)
    raise fail(
        _("Give the administrator's password with --admin-password-file FILE (or - for stdin).")
    )


@app.command()
def init(
    ctx: typer.Context,
    admin_username: Annotated[
        str, typer.Option(help="Username of the first administrator.")
    ] = "admin",
    admin_name: Annotated[
        str, typer.Option(help="Full name of the first administrator.")
    ] = "Quản trị hệ thống",
    admin_password_file: Annotated[
        Path | None,
        typer.Option(help="File holding the password, or - to read it from standard input."),
    ] = None,
    school_zones: Annotated[
        bool, typer.Option(help="Create the standard zones of the regulation (Art. 1).")
    ] = True,
) -> None:
    """Create the data folder, the database and the first administrator."""
    state: CliState = ctx.obj
    password = _read_password(admin_password_file)
    with installation(ctx) as inst, inst.database.transaction() as session:
        if inst.accounts.count(session) > 0:
            raise fail(
                _("This installation is already initialised ({path}).").format(path=state.data_dir)
            )
        actor = cli_actor()
        inst.accounts.create(
            session,
            actor,
            username=admin_username,
            full_name=admin_name,
            role="admin",
            password=password,
            must_change_password=False,
        )
        if school_zones:
            create_standard_zones(session, inst.zones, actor)
    typer.echo(
        _("Initialised {path}. Log in as '{user}'.").format(
            path=state.data_dir, user=admin_username
        )
    )


@app.command()
def migrate(ctx: typer.Context) -> None:
    """Bring the database schema up to date (also done at every start)."""
    with installation(ctx):
        pass
    typer.echo(_("The database schema is up to date."))


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    record: Annotated[
        bool, typer.Option(help="Record every camera in service (default), or only serve.")
    ] = True,
) -> None:
    """Serve the web UI and the REST API, and record the cameras in service."""
    import uvicorn

    from camwarden.capture.supervisor import RecordingSupervisor
    from camwarden.governance.escalation import policy_from_settings
    from camwarden.monitoring.service import MonitoringService
    from camwarden.web import create_app

    state: CliState = ctx.obj
    inst = open_installation(load_settings(state.data_dir))
    supervisor = RecordingSupervisor(inst) if record else None
    # Alerts and their escalation run even when this process does not record: a guard's
    # report must still climb the chain.
    monitoring = MonitoringService(inst, policy=policy_from_settings(inst.settings.escalation))
    try:
        monitoring.start()
        if supervisor is not None:
            supervisor.start()
        live = supervisor.service.live if supervisor is not None else None
        recording = supervisor.service if supervisor is not None else None
        stop_cleanly_on_sigterm()
        app = create_app(inst, live=live, recording=recording)
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        if supervisor is not None:
            supervisor.stop()
        monitoring.stop()
        inst.close()


@app.command()
def fsck(ctx: typer.Context) -> None:
    """Make the recording index match the files on disk (also done at every start)."""
    from camwarden.capture.fsck import repair_index

    with installation(ctx) as inst:
        inst.settings.recordings_dir.mkdir(parents=True, exist_ok=True)
        report = repair_index(inst.database, inst.settings.recordings_dir)
    typer.echo(
        _(
            "Recordings checked: {recovered} recovered after a crash, {indexed} added to the "
            "index, {missing} missing from the disk, {damaged} unreadable (moved to damaged/)."
        ).format(
            recovered=len(report.recovered),
            indexed=len(report.indexed),
            missing=len(report.missing),
            damaged=len(report.damaged),
        )
    )
    for kind in ("recovered", "indexed", "missing", "damaged", "deleted"):
        for relative in getattr(report, kind):
            typer.echo(f"  {kind}: {relative}")
