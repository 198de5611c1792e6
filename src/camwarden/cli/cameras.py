"""`camwarden camera …`: the camera register from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from camwarden.analysis.mask import mask_cells
from camwarden.cli._context import cli_actor, installation
from camwarden.governance.alerts import ALERT_KIND_LABELS
from camwarden.i18n import gettext as _

app = typer.Typer(help="Cameras: add, list, edit, change state, remove.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    zone: Annotated[int, typer.Option(help="Zone id (see `camwarden zone list`).")],
    main_url: Annotated[str, typer.Option(help="Main stream, rtsp://host:554/path.")],
    sub_url: Annotated[str, typer.Option(help="Low-resolution sub stream (optional).")] = "",
    username: Annotated[str, typer.Option(help="Camera login (stored encrypted).")] = "",
    password_file: Annotated[
        typer.FileText | None, typer.Option(help="File holding the camera password, - for stdin.")
    ] = None,
    position_notes: Annotated[str, typer.Option(help="Where exactly it hangs, what it sees.")] = "",
) -> None:
    """Register a camera (it starts as a draft)."""
    password = password_file.read().strip("\r\n") if password_file else None
    with installation(ctx) as inst, inst.database.transaction() as session:
        camera = inst.cameras.create(
            session,
            cli_actor(),
            name=name,
            zone_id=zone,
            main_url=main_url,
            sub_url=sub_url,
            username=username or None,
            password=password,
            position_notes=position_notes,
        )
    typer.echo(_("Camera '{name}' registered with id {id}.").format(name=camera.name, id=camera.id))


@app.command("list")
def list_cameras(ctx: typer.Context) -> None:
    """List cameras (credentials are never printed)."""
    with installation(ctx) as inst, inst.database.reading() as session:
        for camera in inst.cameras.list(session, cli_actor()):
            typer.echo(
                f"{camera.id}\t{camera.name}\t{camera.zone.name}\t{camera.state}\t{camera.main_url}"
            )


@app.command("edit")
def edit(
    ctx: typer.Context,
    camera_id: int,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    zone: Annotated[int | None, typer.Option(help="New zone id.")] = None,
    main_url: Annotated[str | None, typer.Option(help="Main stream address.")] = None,
    sub_url: Annotated[str | None, typer.Option(help="Sub stream address ('' removes it).")] = None,
    username: Annotated[str | None, typer.Option(help="Camera login.")] = None,
    password_file: Annotated[
        typer.FileText | None, typer.Option(help="File holding the camera password, - for stdin.")
    ] = None,
    position_notes: Annotated[str | None, typer.Option(help="Position notes.")] = None,
    retention_days: Annotated[
        int | None, typer.Option(help="Days of footage kept (at least the review period, 15).")
    ] = None,
) -> None:
    """Change a camera."""
    password = password_file.read().strip("\r\n") if password_file else None
    with installation(ctx) as inst, inst.database.transaction() as session:
        inst.cameras.update(
            session,
            cli_actor(),
            camera_id,
            name=name,
            zone_id=zone,
            main_url=main_url,
            sub_url=sub_url,
            username=username,
            password=password,
            position_notes=position_notes,
            retention_days=retention_days,
        )
    typer.echo(_("Camera {id} saved.").format(id=camera_id))


@app.command("state")
def state(
    ctx: typer.Context,
    camera_id: int,
    new_state: Annotated[str, typer.Argument(help="in_service or out_of_service.")],
    reason: Annotated[
        str, typer.Option(help="Why; required to go into service without inspection.")
    ] = "",
) -> None:
    """Change a camera's service state (audited)."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        inst.cameras.set_state(session, cli_actor(), camera_id, new_state, reason=reason)
    typer.echo(_("Camera {id} is now '{state}'.").format(id=camera_id, state=new_state))


@app.command("remove")
def remove(ctx: typer.Context, camera_id: int) -> None:
    """Remove a camera that is not in service."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        inst.cameras.delete(session, cli_actor(), camera_id)
    typer.echo(_("Camera {id} removed.").format(id=camera_id))


@app.command("analysis")
def analysis(
    ctx: typer.Context,
    camera_id: int,
    mask: Annotated[
        str | None,
        typer.Option(
            help="Cells the detectors ignore: 144 '0'/'1', 16 columns x 9 rows from the top "
            "left, rows may be separated by '/'; '1' = ignored; '' clears the mask."
        ),
    ] = None,
    tamper_sensitivity: Annotated[
        str | None, typer.Option(help="Tamper detection: low, normal or high.")
    ] = None,
    motion_sensitivity: Annotated[
        str | None, typer.Option(help="Motion detection: low, normal or high.")
    ] = None,
) -> None:
    """Show or change a camera's analysis mask and sensitivities (audited)."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        if mask is None and tamper_sensitivity is None and motion_sensitivity is None:
            camera = inst.cameras.get(session, cli_actor(), camera_id)
        else:
            camera = inst.cameras.set_analysis(
                session,
                cli_actor(),
                camera_id,
                analysis_mask=mask,
                tamper_sensitivity=tamper_sensitivity,
                motion_sensitivity=motion_sensitivity,
            )
            typer.echo(_("Analysis settings of camera {id} saved.").format(id=camera_id))
        typer.echo(
            _("Tamper sensitivity: {tamper}; motion sensitivity: {motion}.").format(
                tamper=camera.tamper_sensitivity, motion=camera.motion_sensitivity
            )
        )
        if not camera.analysis_mask:
            typer.echo(_("No mask: the whole picture is analysed."))
        else:
            typer.echo(_("Mask ('#' = ignored):"))
            for row in mask_cells(camera.analysis_mask):
                typer.echo("".join("#" if ignored else "." for ignored in row))


@app.command("learn-view")
def learn_view(
    ctx: typer.Context,
    camera_id: int,
    reason: Annotated[
        str, typer.Option(help="Why the view the camera shows now is its normal view.")
    ],
) -> None:
    """Learn a camera's normal view again from what it shows now, and end its open tamper
    detections (audited). For a camera re-aimed on purpose, or whose view was learnt while
    someone stood in front of it."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        ended = inst.cameras.learn_view_again(session, cli_actor(), camera_id, reason=reason)
        ended_kinds = [_(ALERT_KIND_LABELS.get(event.kind, event.kind)) for event in ended]
    typer.echo(
        _("Camera {id} learns its normal view again within half a minute.").format(id=camera_id)
    )
    if ended_kinds:
        typer.echo(_("Tamper events ended: {kinds}.").format(kinds=", ".join(ended_kinds)))
