"""The demo's seed: the school's zones, one account per role, and a roster with one gap."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from camwarden.cli._demo_casework import file_sample_casework
from camwarden.cli.demo import COMPLAINED_CAMERA, DEMO_PEOPLE, REQUESTED_CAMERA, seed_demo
from camwarden.governance.tracking import tracking_hash
from camwarden.installation import Installation
from camwarden.storage.models import Complaint, FootageHold, FootageRequest, User


def test_the_demo_seeds_every_role_and_a_roster_whose_only_gaps_are_sunday_nights(
    sqlite_installation: Installation,
) -> None:
    logins, _cameras = seed_demo(sqlite_installation)

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


def test_the_demo_files_a_parents_request_and_complaint_holding_the_footage_they_name(
    sqlite_installation: Installation,
) -> None:
    inst = sqlite_installation
    _logins, cameras = seed_demo(inst)

    said = file_sample_casework(inst, cameras[REQUESTED_CAMERA - 1], cameras[COMPLAINED_CAMERA - 1])

    with inst.database.reading() as session:
        (request,) = session.scalars(select(FootageRequest)).all()
        (complaint,) = session.scalars(select(Complaint)).all()
        holds = {(h.kind, h.camera_id) for h in session.scalars(select(FootageHold))}
    assert request.status == "pending" and request.access == "copy"
    assert complaint.status == "received"
    assert holds == {
        ("request", cameras[REQUESTED_CAMERA - 1]),
        ("complaint", cameras[COMPLAINED_CAMERA - 1]),
    }
    assert request.reference in said and complaint.reference in said
    # The codes printed are the ones that open the parents' pages.
    printed = [word.strip("(),.") for word in said.split()]
    hashes = {tracking_hash(word) for word in printed if word.count("-") == 2}
    assert {request.tracking_hash, complaint.tracking_hash} <= hashes
