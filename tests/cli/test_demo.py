"""The demo's seed: the school's zones, one account per role, and a roster with one gap."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from camwarden.cli.demo import DEMO_PEOPLE, seed_demo
from camwarden.installation import Installation
from camwarden.storage.models import User


def test_the_demo_seeds_every_role_and_a_roster_whose_only_gaps_are_sunday_nights(
    sqlite_installation: Installation,
) -> None:
    logins = seed_demo(sqlite_installation)

    assert set(logins) == set(DEMO_PEOPLE)
    with sqlite_installation.database.reading() as session:
        roles = set(session.scalars(select(User.role)))
        gaps = sqlite_installation.roster.gaps(session)
    assert roles == {role.value for role in DEMO_PEOPLE}
    tz = ZoneInfo(sqlite_installation.settings.timezone)
    assert gaps, "the demo roster leaves Sunday nights open on purpose"
    for gap in gaps[:-1]:  # the last one is the end of the two planned weeks
        start = gap.start.astimezone(tz)
        assert (start.weekday(), start.hour) == (6, 18)
        assert gap.end - gap.start == timedelta(hours=12)
