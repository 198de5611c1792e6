"""`camwarden audit …`: check and read the tamper-evident audit log."""

from __future__ import annotations

from typing import Annotated

import typer

from camwarden.cli._context import installation
from camwarden.governance.audit import verify_chain
from camwarden.i18n import gettext as _

app = typer.Typer(help="The audit log: verify the chain, list entries.", no_args_is_help=True)


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check every entry's hash and link; exit 1 and name the first bad entry if any."""
    with installation(ctx) as inst, inst.database.reading() as session:
        report = verify_chain(session)
    if not report.ok:
        typer.secho(
            _("The audit log is BROKEN at entry {seq}: {problem}").format(
                seq=report.bad_seq, problem=report.problem
            ),
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(1)
    typer.echo(
        _("The audit log is intact: {count} entries. Newest entry's fingerprint: {hash}").format(
            count=report.entries, hash=report.head_hash
        )
    )


@app.command("list")
def list_entries(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="How many of the newest entries.")] = 20,
    action: Annotated[str, typer.Option(help="Only actions starting with this.")] = "",
) -> None:
    """Print the newest entries."""
    with installation(ctx) as inst, inst.database.reading() as session:
        rows, _total = inst.audit.query(session, action=action or None, limit=limit)
        for entry in rows:
            typer.echo(
                f"{entry.seq}\t{entry.at.isoformat()}\t{entry.actor}\t{entry.action}\t"
                f"{entry.target_type}:{entry.target_id}\t{entry.details}"
            )
