"""`camwarden zone …`: the school's zones from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from camwarden.cli._context import cli_actor, installation
from camwarden.governance.zones import purposes_of
from camwarden.i18n import gettext as _

app = typer.Typer(help="Zones: add, list, edit, remove.", no_args_is_help=True)

KIND_HELP = "gate, yard, corridor, building_rear, classroom, it_room, finance_room or other."
PURPOSE_HELP = "Comma-separated: security, teaching, equipment."


@app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    kind: Annotated[str, typer.Option(help=KIND_HELP)],
    responsible_unit: Annotated[str, typer.Option(help="The unit that answers for the zone.")],
    purposes: Annotated[str, typer.Option(help=PURPOSE_HELP)] = "security",
    description: Annotated[str, typer.Option(help="Free text.")] = "",
) -> None:
    """Add a zone."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            cli_actor(),
            name=name,
            kind=kind,
            purposes=purposes.split(","),
            responsible_unit=responsible_unit,
            description=description,
        )
    typer.echo(_("Zone '{name}' created with id {id}.").format(name=zone.name, id=zone.id))


@app.command("list")
def list_zones(ctx: typer.Context) -> None:
    """List zones."""
    with installation(ctx) as inst, inst.database.reading() as session:
        for zone in inst.zones.list(session, cli_actor()):
            purposes = ",".join(purposes_of(zone))
            typer.echo(f"{zone.id}\t{zone.name}\t{zone.kind}\t{purposes}\t{zone.responsible_unit}")


@app.command("edit")
def edit(
    ctx: typer.Context,
    zone_id: int,
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    kind: Annotated[str | None, typer.Option(help=KIND_HELP)] = None,
    responsible_unit: Annotated[str | None, typer.Option(help="Responsible unit.")] = None,
    purposes: Annotated[str | None, typer.Option(help=PURPOSE_HELP)] = None,
    description: Annotated[str | None, typer.Option(help="Free text.")] = None,
) -> None:
    """Change a zone."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        inst.zones.update(
            session,
            cli_actor(),
            zone_id,
            name=name,
            kind=kind,
            purposes=purposes.split(",") if purposes is not None else None,
            responsible_unit=responsible_unit,
            description=description,
        )
    typer.echo(_("Zone {id} saved.").format(id=zone_id))


@app.command("remove")
def remove(ctx: typer.Context, zone_id: int) -> None:
    """Remove a zone that has no cameras."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        inst.zones.delete(session, cli_actor(), zone_id)
    typer.echo(_("Zone {id} removed.").format(id=zone_id))
