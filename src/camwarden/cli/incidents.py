"""`camwarden incident record`: an incident's biên bản as a PDF file, e.g. to print it on the
server or hand it over with a package (R-4.3). Producing it is a link in the chain of custody."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from camwarden.cli._context import acting_for, cli_actor, installation
from camwarden.governance._incident_export import written_record
from camwarden.i18n import gettext as _

app = typer.Typer(help="Incidents and their evidence.", no_args_is_help=True)


@app.command("record")
def record(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(min=1, help="The incident's id.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")],
    as_user: Annotated[
        str | None, typer.Option("--as", help="Act for this account (its rights, its name).")
    ] = None,
) -> None:
    """Write the incident's biên bản (Vietnamese PDF) to --out."""
    with installation(ctx) as inst:
        actor = acting_for(inst, as_user) if as_user else cli_actor()
        content, _name = written_record(inst, actor, incident_id)
    out.write_bytes(content)
    typer.echo(
        _("The written record is in {path} ({size} bytes).").format(path=out, size=len(content))
    )
