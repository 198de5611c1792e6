"""`camwarden activity search`: when did something move, on which cameras (issue 4)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from camwarden.cli._context import acting_for, cli_actor, fail, installation
from camwarden.governance.activity import (
    ACTIVITY_LEVEL_LABELS,
    LEVEL_THRESHOLDS,
    MAX_PERIODS,
    ActivityLevel,
    ActivityQuery,
    parse_hours,
    parse_level,
)
from camwarden.governance.authorization import Actor, can
from camwarden.governance.roles import Permission
from camwarden.i18n import format_datetime
from camwarden.i18n import gettext as _
from camwarden.installation import Installation
from camwarden.storage.models import Camera, Zone

app = typer.Typer(help="Motion activity per camera.", no_args_is_help=True)


def _moment(value: str, option: str, school_zone: ZoneInfo, *, end: bool) -> datetime:
    """A day (dd/mm/yyyy or yyyy-mm-dd: its start, or for --to its end) or an ISO time."""
    text = value.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day: date = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day == date.max:
            break
        # "--to 07/03/2026" includes the whole of that day.
        return datetime.combine(day + timedelta(days=1 if end else 0), time(), school_zone)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise fail(
            _("{option}: '{value}' is not a date; write it like 25/12/2026.").format(
                option=option, value=value
            )
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=school_zone)


def _actor(inst: Installation, as_user: str | None) -> Actor:
    operator = cli_actor()
    if as_user is None:
        if not can(operator, Permission.PLAY_BACK):
            # Activity tells what people did: the system administrator, who runs the command
            # line, may not read it (separation of duties). A search is made in a person's name.
            raise fail(
                _(
                    "The command line acts as the system administrator, who may not read "
                    "activity. Name the account the search is made for: --as USERNAME."
                )
            )
        return operator
    return acting_for(inst, as_user)


def _named(items: list[Camera] | list[Zone], name: str) -> int | None:
    """The id of the one named so (any case) among those the actor may search."""
    wanted = name.strip().casefold()
    return next((item.id for item in items if item.name.casefold() == wanted), None)


def _strength(peak: int) -> str:
    reached = [level for level, threshold in LEVEL_THRESHOLDS.items() if peak >= threshold]
    return _(ACTIVITY_LEVEL_LABELS[reached[-1] if reached else ActivityLevel.ANY])


@app.command("search")
def search(
    ctx: typer.Context,
    start: Annotated[
        str, typer.Option("--from", help="First day (dd/mm/yyyy) or an ISO 8601 time.")
    ],
    end: Annotated[
        str, typer.Option("--to", help="Last day, included (dd/mm/yyyy), or an ISO 8601 time.")
    ],
    camera: Annotated[str | None, typer.Option("--camera", help="A camera, by name.")] = None,
    zone: Annotated[str | None, typer.Option("--zone", help="A zone's cameras, by name.")] = None,
    hours: Annotated[
        str | None,
        typer.Option("--hours", help="Only these hours of each day, e.g. 22:00-05:00."),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="Least activity: any, noticeable or strong.")
    ] = "any",
    min_minutes: Annotated[
        int, typer.Option("--min-minutes", min=0, max=24 * 60, help="Shortest period.")
    ] = 0,
    oldest_first: Annotated[
        bool, typer.Option("--oldest-first", help="Oldest periods first.")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_PERIODS, help="At most this many.")
    ] = 100,
    as_user: Annotated[
        str | None, typer.Option("--as", help="The account the search is made for.")
    ] = None,
) -> None:
    """Periods of motion on the cameras the account may play back (the search is audited)."""
    if camera is not None and zone is not None:
        raise fail(_("Give --camera or --zone, not both."))
    with installation(ctx) as inst:
        school_zone = ZoneInfo(inst.settings.timezone)
        actor = _actor(inst, as_user)
        with inst.database.reading() as session:
            # Looked up among what the account may search only: another zone's camera is
            # answered exactly like one that does not exist.
            cameras = inst.activity_access.readable_cameras(session, actor)
            zones = inst.activity_access.readable_zones(session, actor)
        camera_id = zone_id = None
        if camera is not None:
            camera_id = _named(cameras, camera)
            if camera_id is None:
                raise fail(_("There is no camera '{value}'.").format(value=camera))
        if zone is not None:
            zone_id = _named(zones, zone)
            if zone_id is None:
                raise fail(_("There is no zone '{value}'.").format(value=zone))
        query = ActivityQuery(
            start=_moment(start, "--from", school_zone, end=False),
            end=_moment(end, "--to", school_zone, end=True),
            camera_id=camera_id,
            zone_id=zone_id,
            hours=parse_hours(hours),
            level=parse_level(level),
            min_duration=timedelta(minutes=min_minutes),
            newest_first=not oldest_first,
            limit=limit,
        )
        with inst.database.transaction() as session:
            answer = inst.activity_access.search(session, actor, query)
        periods = answer.results.periods
        typer.echo(_("{count} periods of activity.").format(count=len(periods)))
        for period in periods:
            seconds = int(period.duration.total_seconds())
            typer.echo(
                _("{camera}: {start} to {end} ({minutes} min {seconds} s, {strength})").format(
                    camera=answer.cameras[period.camera_id].name,
                    start=format_datetime(period.start, seconds=True),
                    end=format_datetime(period.end, seconds=True),
                    minutes=seconds // 60,
                    seconds=seconds % 60,
                    strength=_strength(period.peak),
                )
            )
        if answer.results.truncated:
            typer.echo(_("More periods matched: narrow the search or raise --limit."))
