"""Who may read motion activity, and the search over it (issue 4; R-4.1, R-4.4).

Activity says what happened in a zone and when, so reading it needs what reading the camera's
timeline needs: `play_back` in the camera's zone. A search covers only the cameras the actor
may play back; a camera or zone outside them is reported as absent, never as forbidden, so the
answer does not reveal that it exists. Every search is written to the audit log: it is a look
at what people did, like a playback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import InvalidInput, NotFound
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.fields import field_label
from camwarden.governance.footage import FootageAccess
from camwarden.governance.roles import Permission
from camwarden.i18n import N_
from camwarden.storage.activity import (
    SLICE,
    ActivityLog,
    ActivityStrip,
    PeriodResults,
    PeriodSearch,
    TimeOfDayWindow,
    level_to_byte,
)
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import Camera, Zone

# A month is what a review looks at (R-5.1: every 15 days) with room to spare; longer ranges
# are a different question (a report), and would make one search read too much.
MAX_RANGE = timedelta(days=31)
MAX_RANGE_DAYS = 31
MAX_PERIODS = 500
DEFAULT_PERIODS = 200
# A strip is drawn a few hundred pixels wide: more points than this carry nothing.
MAX_STRIP_POINTS = 2000
MAX_MIN_DURATION_MINUTES = 24 * 60
# Activity exists only from when the school installs the system; the bounds keep day and hour
# arithmetic far from the ends of the calendar.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class ActivityLevel(StrEnum):
    """Minimum activity, in words: the level is the share of the picture that moved."""

    ANY = "any"
    NOTICEABLE = "noticeable"
    STRONG = "strong"


# Any: a person far down a corridor (the detector's own minimum). Noticeable: someone walking
# through the middle of the view (2 % of the picture). Strong: people close by or many (10 %).
LEVEL_THRESHOLDS: dict[ActivityLevel, int] = {
    ActivityLevel.ANY: 1,
    ActivityLevel.NOTICEABLE: level_to_byte(0.02),
    ActivityLevel.STRONG: level_to_byte(0.10),
}

ACTIVITY_LEVEL_LABELS: dict[ActivityLevel, str] = {
    ActivityLevel.ANY: N_("Any movement"),
    ActivityLevel.NOTICEABLE: N_("Noticeable movement"),
    ActivityLevel.STRONG: N_("Strong movement"),
}

_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$")


def parse_level(value: str | None) -> ActivityLevel:
    if not value:
        return ActivityLevel.ANY
    try:
        return ActivityLevel(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            "The field '{label}' must be one of: {expected}.",
            field="level",
            label=field_label("level"),
            expected=", ".join(level.value for level in ActivityLevel),
        ) from None


def parse_hours(value: str | None) -> TimeOfDayWindow | None:
    """'22:00-05:00' (or '22-5') as a window of the day; empty means the whole day."""
    if value is None or not value.strip():
        return None
    match = _HOURS.match(value)
    if match is not None:
        start_hour, start_minute, end_hour, end_minute = (int(part or 0) for part in match.groups())
        try:
            window = TimeOfDayWindow(
                _time_of_day(start_hour, start_minute), _time_of_day(end_hour, end_minute)
            )
        except ValueError:
            window = None
        if window is not None and window.start != window.end:
            return window
    raise InvalidInput(
        "'{value}' is not a span of hours like 22:00-05:00.", field="hours", value=value[:40]
    )


def _time_of_day(hour: int, minute: int) -> time:
    # "24:00" is the midnight that ends a day: the same moment of the day as 00:00.
    return time(0, 0) if (hour, minute) == (24, 0) else time(hour, minute)


def check_range(start: datetime, end: datetime) -> None:
    for moment, field in ((start, "since"), (end, "until")):
        if not EARLIEST <= moment <= LATEST:
            raise InvalidInput(
                "'{value}' is outside the years {first} to {last}.",
                field=field,
                value=moment.isoformat(),
                first=EARLIEST.year,
                last=LATEST.year - 1,
            )
    if end <= start:
        raise InvalidInput("The end of the range must come after its start.", field="until")
    if end - start > MAX_RANGE:
        raise InvalidInput(
            "The range is too long: at most {days} days at a time.",
            field="until",
            days=MAX_RANGE_DAYS,
        )


@dataclass(frozen=True)
class ActivityQuery:
    """What a person asks: one camera, one zone, or (neither) every camera they may read."""

    start: datetime
    end: datetime
    camera_id: int | None = None
    zone_id: int | None = None
    hours: TimeOfDayWindow | None = None
    level: ActivityLevel = ActivityLevel.ANY
    min_duration: timedelta = timedelta(0)
    newest_first: bool = True
    limit: int = DEFAULT_PERIODS


@dataclass(frozen=True)
class ActivityAnswer:
    results: PeriodResults
    cameras: dict[int, Camera]  # the cameras searched, by id (names for the periods)


class ActivityAccess:
    def __init__(
        self, log: ActivityLog, footage: FootageAccess, audit: AuditLog, timezone: tzinfo
    ) -> None:
        self._log = log
        self._footage = footage
        self._audit = audit
        self._timezone = timezone

    @property
    def timezone(self) -> tzinfo:
        return self._timezone

    def readable_cameras(self, session: Session, actor: Actor) -> list[Camera]:
        """The cameras whose activity the actor may read (play back), by name."""
        require(actor, Permission.PLAY_BACK)
        cameras = session.scalars(select(Camera).order_by(Camera.name)).all()
        return [c for c in cameras if can(actor, Permission.PLAY_BACK, c.zone_id)]

    def readable_zones(self, session: Session, actor: Actor) -> list[Zone]:
        """The zones with at least one camera the actor may read, by name."""
        zone_ids = {camera.zone_id for camera in self.readable_cameras(session, actor)}
        zones = session.scalars(select(Zone).order_by(Zone.name)).all()
        return [zone for zone in zones if zone.id in zone_ids]

    def strip(
        self,
        session: Session,
        actor: Actor,
        camera_id: int,
        start: datetime,
        end: datetime,
        *,
        points: int = 1440,
    ) -> tuple[Camera, ActivityStrip]:
        """The activity of one camera over [start, end) in at most `points` steps."""
        camera = self._readable_camera(session, actor, camera_id)
        check_range(start, end)
        points = max(1, min(points, MAX_STRIP_POINTS))
        slices = -(-(end - start) // SLICE)
        step = SLICE * max(1, -(-slices // points))
        return camera, self._log.strip(camera.id, start, end, step)

    def search(self, session: Session, actor: Actor, query: ActivityQuery) -> ActivityAnswer:
        """Periods of activity on the cameras asked about that the actor may read."""
        check_range(query.start, query.end)
        if query.camera_id is not None and query.zone_id is not None:
            raise InvalidInput("Choose a camera or a zone, not both.", field="camera_id")
        if query.camera_id is not None:
            cameras = [self._readable_camera(session, actor, query.camera_id)]
        else:
            cameras = self.readable_cameras(session, actor)
            if query.zone_id is not None:
                zone = get_by_id(session, Zone, query.zone_id)
                if zone is None or not can(actor, Permission.PLAY_BACK, zone.id):
                    # Not "forbidden": that would tell that the zone exists.
                    raise NotFound("Zone {value} does not exist.", value=query.zone_id)
                cameras = [c for c in cameras if c.zone_id == zone.id]
        limit = max(1, min(query.limit, MAX_PERIODS))
        results = self._log.periods(
            PeriodSearch(
                camera_ids=[camera.id for camera in cameras],
                start=query.start,
                end=query.end,
                min_level=LEVEL_THRESHOLDS[query.level],
                min_duration=query.min_duration,
                window=query.hours,
                timezone=self._timezone,
                newest_first=query.newest_first,
                limit=limit,
            )
        )
        target_type = "camera"
        target_id: str | int = ""
        if query.camera_id is not None:
            target_id = query.camera_id
        elif query.zone_id is not None:
            target_type, target_id = "zone", query.zone_id
        self._audit.record(
            session,
            actor,
            "activity.search",
            target_type=target_type,
            target_id=target_id,
            details={
                "cameras": [camera.id for camera in cameras],
                "from": query.start.isoformat(),
                "to": query.end.isoformat(),
                "hours": hours_text(query.hours),
                "level": query.level.value,
                "min_seconds": int(query.min_duration.total_seconds()),
                "found": len(results.periods),
            },
        )
        return ActivityAnswer(results=results, cameras={camera.id: camera for camera in cameras})

    def _readable_camera(self, session: Session, actor: Actor, camera_id: int) -> Camera:
        # The timeline's rule: absent outside the actor's zones, forbidden without play_back.
        return self._footage.may_read_timeline(session, actor, camera_id)


def hours_text(window: TimeOfDayWindow | None) -> str:
    """'22:00-05:00', or '' for the whole day."""
    if window is None:
        return ""
    return f"{window.start:%H:%M}-{window.end:%H:%M}"
