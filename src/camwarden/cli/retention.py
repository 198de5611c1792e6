"""`camwarden retention`: run retention and the disk-pressure guard once, and say what went."""

from __future__ import annotations

import typer
from sqlalchemy import select

from camwarden.cli._context import cli_actor, installation
from camwarden.i18n import format_datetime
from camwarden.i18n import gettext as _
from camwarden.retention import RetentionReport, RetentionService
from camwarden.retention.report import Reason
from camwarden.storage.models import Camera

# Exit status when the disk stays under its margin with only protected footage left, so that
# a cron job or a monitoring check can tell it apart from success (0) and failure (1).
DISK_FULL_EXIT = 2


def retention(ctx: typer.Context) -> None:
    """Delete footage past its retention, and the oldest when the disk is short of space."""
    with installation(ctx) as inst:
        service = RetentionService.for_installation(inst)
        with inst.database.reading() as session:
            names = {row.id: row.name for row in session.execute(select(Camera.id, Camera.name))}
        reports = service.run_once(actor_name=cli_actor().username)
    for report in reports:
        _print(report, names)
    if any(report.error for report in reports):
        raise typer.Exit(1)
    if any(report.disk_full for report in reports):
        raise typer.Exit(DISK_FULL_EXIT)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


def _print(report: RetentionReport, names: dict[int, str]) -> None:
    if report.reason is Reason.AGE:
        typer.echo(
            _("By age: {segments} segments deleted, {size} freed.").format(
                segments=report.segments, size=_size(report.bytes_freed)
            )
        )
    else:
        typer.echo(
            _(
                "Disk space: {free} free, at least {margin} wanted; {segments} segments "
                "deleted, {size} freed."
            ).format(
                free=_size(report.free_bytes_before or 0),
                margin=_size(report.margin_bytes or 0),
                segments=report.segments,
                size=_size(report.bytes_freed),
            )
        )
    for camera_id, deleted in sorted(report.deleted.items()):
        typer.echo(
            "  "
            + _("{camera}: {segments} segments, {size}, from {start} to {end}").format(
                camera=names.get(camera_id, str(camera_id)),
                segments=deleted.segments,
                size=_size(deleted.bytes),
                start=format_datetime(deleted.first_start),
                end=format_datetime(deleted.last_end),
            )
        )
    for path in report.failed:
        typer.secho(
            "  " + _("Could not delete {path}; it is kept.").format(path=path),
            err=True,
            fg=typer.colors.YELLOW,
        )
    if report.disk_full:
        typer.secho(
            _(
                "The disk is still short of space and everything left is protected (evidence, "
                "open requests or complaints, or the last review period). Nothing more was "
                "deleted. Free space by hand or add a disk: see docs/operations.md."
            ),
            err=True,
            fg=typer.colors.RED,
        )
    if report.error:
        typer.secho(
            _("Retention stopped on an error: {error}").format(error=report.error),
            err=True,
            fg=typer.colors.RED,
        )
