"""`camwarden user …`: accounts from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.orm import Session

from camwarden.cli._context import cli_actor, installation
from camwarden.errors import NotFound
from camwarden.governance.accounts import actor_for
from camwarden.i18n import gettext as _
from camwarden.installation import Installation
from camwarden.storage.models import User

app = typer.Typer(
    help="Accounts: add, list, edit, reset passwords, API tokens.", no_args_is_help=True
)


def _zone_ids(zones: str) -> list[int]:
    return [int(z) for z in zones.split(",") if z.strip()] if zones else []


@app.command("add")
def add(
    ctx: typer.Context,
    username: str,
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[
        str,
        typer.Option(
            help="admin, principal, board, security_lead, security, it, finance, staff or external."
        ),
    ],
    email: Annotated[str, typer.Option(help="E-mail address.")] = "",
    zones: Annotated[
        str, typer.Option(help="Comma-separated zone ids; empty means all zones.")
    ] = "",
) -> None:
    """Add an account; prints its one-time password, to be changed at first login."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        created = inst.accounts.create(
            session,
            cli_actor(),
            username=username,
            full_name=name,
            role=role,
            email=email,
            all_zones=not zones,
            zone_ids=_zone_ids(zones),
        )
    typer.echo(
        _("Account '{user}' created. One-time password: {password}").format(
            user=created.user.username, password=created.initial_password
        )
    )


@app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List accounts."""
    with installation(ctx) as inst, inst.database.reading() as session:
        for user in inst.accounts.list(session, cli_actor()):
            zones = "*" if user.all_zones else ",".join(str(z.id) for z in user.zones)
            status = "active" if user.is_active else "disabled"
            typer.echo(
                f"{user.id}\t{user.username}\t{user.role}\t{zones}\t{status}\t{user.full_name}"
            )


@app.command("edit")
def edit(
    ctx: typer.Context,
    username: str,
    name: Annotated[str | None, typer.Option("--name", help="Full name.")] = None,
    role: Annotated[str | None, typer.Option(help="New role.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    zones: Annotated[
        str | None, typer.Option(help="Comma-separated zone ids; '*' for all zones.")
    ] = None,
    active: Annotated[
        bool | None, typer.Option("--active/--disabled", help="Enable or disable.")
    ] = None,
) -> None:
    """Change an account's name, role, zones or status."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        user = _existing(inst, session, username)
        all_zones = None if zones is None else zones.strip() == "*"
        zone_ids = None if zones is None or all_zones else _zone_ids(zones)
        inst.accounts.update(
            session,
            cli_actor(),
            user.id,
            full_name=name,
            role=role,
            email=email,
            all_zones=all_zones,
            zone_ids=zone_ids,
            is_active=active,
        )
    typer.echo(_("Account '{user}' saved.").format(user=username))


@app.command("reset-password")
def reset_password(ctx: typer.Context, username: str) -> None:
    """Give an account a new one-time password."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        user = _existing(inst, session, username)
        password = inst.accounts.reset_password(session, cli_actor(), user.id)
    typer.echo(
        _("New one-time password for '{user}': {password}").format(user=username, password=password)
    )


@app.command("token")
def token(ctx: typer.Context, username: str, name: str) -> None:
    """Create an API token acting as USERNAME (printed once)."""
    with installation(ctx) as inst, inst.database.transaction() as session:
        user = _existing(inst, session, username)
        _token, plain = inst.authentication.create_api_token(
            session, actor_for(user, "local"), name
        )
    typer.echo(plain)


def _existing(inst: Installation, session: Session, username: str) -> User:
    user = inst.accounts.by_username(session, username)
    if user is None:
        raise NotFound("Account {value} does not exist.", value=username)
    return user
