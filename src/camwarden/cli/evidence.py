"""`camwarden export` and `camwarden verify`: evidence packages from the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from camwarden import i18n
from camwarden.cli._context import acting_for, cli_actor, fail, installation
from camwarden.evidence.export import export_package
from camwarden.evidence.signing import shown_key_id
from camwarden.evidence.verify import verify_package
from camwarden.governance.authorization import Actor, can
from camwarden.governance.roles import Permission
from camwarden.i18n import format_datetime
from camwarden.i18n import gettext as _
from camwarden.installation import Installation


def _time(value: str, option: str, school_zone: ZoneInfo) -> datetime:
    """ISO 8601; without an offset it is the school's local time, as people say it."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise fail(
            _("{option}: '{value}' is not a time; write it like 2026-11-26T08:00:00+07:00.").format(
                option=option, value=value
            )
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=school_zone)


def _ranges(
    inst: Installation,
    cameras: list[int],
    start: str | None,
    end: str | None,
    ranges: list[str],
) -> list[tuple[int, datetime, datetime]]:
    zone = ZoneInfo(inst.settings.timezone)
    wanted = []
    if cameras:
        if start is None or end is None:
            raise fail(_("--camera needs --from and --to."))
        wanted += [(c, _time(start, "--from", zone), _time(end, "--to", zone)) for c in cameras]
    for item in ranges:
        parts = item.split(",")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            raise fail(_("--range '{value}' is not CAMERA_ID,START,END.").format(value=item))
        wanted.append(
            (int(parts[0]), _time(parts[1], "--range", zone), _time(parts[2], "--range", zone))
        )
    return wanted


def _actor(inst: Installation, as_user: str | None) -> Actor:
    operator = cli_actor()
    if as_user is None:
        if not can(operator, Permission.EXPORT_FOOTAGE):
            # The command line acts as the system administrator, who holds no right to footage
            # (separation of duties): an export is always made in a named person's name.
            raise fail(
                _(
                    "The command line acts as the system administrator, who may not export "
                    "footage. Name the account the export is made for: --as USERNAME."
                )
            )
        return operator
    return acting_for(inst, as_user)


def export(
    ctx: typer.Context,
    reason: Annotated[str, typer.Option("--reason", help="Why the footage is exported.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the package into.")],
    camera: Annotated[
        list[int] | None, typer.Option("--camera", help="Camera id (repeat for several).")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="Start, ISO 8601, e.g. 2026-11-26T08:00:00+07:00."),
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="End, ISO 8601.")] = None,
    range_: Annotated[
        list[str] | None,
        typer.Option("--range", help="CAMERA_ID,START,END (repeat for several ranges)."),
    ] = None,
    approval: Annotated[
        str, typer.Option("--approval", help="Reference of the approval (decision, letter).")
    ] = "",
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Account the export is made for (it needs the "
            "right to export in each camera's zone).",
        ),
    ] = None,
    anonymise: Annotated[
        bool,
        typer.Option(
            "--anonymise",
            help="Hide the people in the clips (a copy for someone outside the school, R-4.2).",
        ),
    ] = False,
) -> None:
    """Export footage as a signed evidence package, and lock it against deletion."""
    with installation(ctx) as inst:
        wanted = _ranges(inst, camera or [], start, end, range_ or [])
        result = export_package(
            inst,
            _actor(inst, as_user),
            wanted,
            reason=reason,
            approval_reference=approval,
            out_dir=out,
            anonymise=anonymise,
        )
    typer.echo(_("Evidence package written: {path}").format(path=result.package_path))
    if anonymise:
        typer.echo(_("The clips are anonymised: the people in them are hidden under a mosaic."))
    typer.echo(
        _("Export {id}, signed with key {key}.").format(
            id=result.export_id, key=shown_key_id(result.key_id)
        )
    )
    for entry in result.manifest["ranges"]:
        typer.echo(f"  {entry['camera']['name']}:")
        for clip in entry["clips"]:
            typer.echo(
                "    "
                + _("{file}: {start} to {end}, {frames} frames").format(
                    file=clip["file"],
                    start=_shown(clip["actual"]["start"]),
                    end=_shown(clip["actual"]["end"]),
                    frames=clip["frames"],
                )
            )
        for gap in entry["gaps"]:
            typer.echo(
                "    "
                + _("no footage from {start} to {end}").format(
                    start=_shown(gap["start"]), end=_shown(gap["end"])
                )
            )
    typer.echo(
        _("The footage is locked against deletion (export:{id}).").format(id=result.export_id)
    )


def _shown(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")), seconds=True)


def verify(
    package: Annotated[Path, typer.Argument(help="The package folder.")],
    public_key: Annotated[
        Path | None,
        typer.Option(
            "--public-key", help="The school's public key (PEM), obtained from the school itself."
        ),
    ] = None,
) -> None:
    """Check an evidence package offline: signature, key, every file's SHA-256."""
    report = verify_package(package, trusted_key=public_key)
    if not report.ok:
        typer.secho(
            _("The package is NOT intact: {count} problem(s).").format(count=len(report.problems)),
            err=True,
            fg=typer.colors.RED,
        )
        for problem in report.problems:
            typer.echo("  " + problem.render(i18n.gettext), err=True)
        raise typer.Exit(1)
    typer.echo(
        _(
            "The package is intact: manifest.json and {count} clip(s) are exactly as signed "
            "with key {key}."
        ).format(count=report.clips_checked, key=report.key_id)
    )
    if report.documents_checked:
        typer.echo(
            _("The {count} document(s) in documents/ are exactly as signed too.").format(
                count=report.documents_checked
            )
        )
    if public_key is not None:
        typer.echo(_("The key is the trusted key you gave."))
    else:
        typer.echo(
            _(
                "Compare this key id with the one the school publishes: only that proves the "
                "package comes from the school."
            )
        )
