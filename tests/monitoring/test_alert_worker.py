from sqlalchemy import func, select

from camwarden.clock import ManualClock
from camwarden.governance.authorization import Actor
from camwarden.governance.escalation import EscalationLevel
from camwarden.installation import Installation
from camwarden.monitoring import AlertWorker, Tick
from camwarden.storage.models import Alert
from tests.support.footage import gate_zone


def zone_and_camera(installation: Installation, admin: Actor) -> int:
    with installation.database.transaction() as session:
        zone = gate_zone(installation, session, admin)
        camera = installation.cameras.create(
            session, admin, zone_id=zone.id, name="Cổng 1", main_url="rtsp://10.0.0.5/stream"
        )
        return camera.id


def alert_count(installation: Installation) -> int:
    with installation.database.reading() as session:
        return int(session.scalar(select(func.count()).select_from(Alert)) or 0)


def test_camera_events_become_alerts_once_even_across_a_restart(
    installation: Installation, admin: Actor, clock: ManualClock
) -> None:
    camera_id = zone_and_camera(installation, admin)
    AlertWorker(installation).run_once()  # the first start, with no history
    lost = installation.recordings.open_event(camera_id, "video_loss", clock.now())
    covered = installation.recordings.open_event(camera_id, "covered", clock.now())
    tick = AlertWorker(installation).run_once()
    assert len(tick.raised) == 2
    # A new worker (a restarted server) goes on from the cursor: nothing raised twice.
    assert AlertWorker(installation).run_once().raised == []
    assert alert_count(installation) == 2
    installation.recordings.close_event(lost, clock.now())
    installation.recordings.close_event(covered, clock.now())
    assert AlertWorker(installation).run_once().conditions_ended == 2


def test_on_the_first_start_only_conditions_still_open_raise_alerts(
    installation: Installation, admin: Actor, clock: ManualClock
) -> None:
    camera_id = zone_and_camera(installation, admin)
    for _ in range(5):  # last month's outages, long over
        ended = installation.recordings.open_event(camera_id, "video_loss", clock.now())
        clock.advance(60)
        installation.recordings.close_event(ended, clock.now())
    installation.recordings.open_event(camera_id, "covered", clock.now())
    tick = AlertWorker(installation).run_once()
    assert len(tick.raised) == 1
    with installation.database.reading() as session:
        assert session.scalars(select(Alert.kind)).all() == ["covered"]


def test_a_burst_of_a_thousand_events_in_a_minute_makes_one_alert(
    installation: Installation, admin: Actor, clock: ManualClock
) -> None:
    camera_id = zone_and_camera(installation, admin)
    worker = AlertWorker(installation)
    worker.run_once()
    for _ in range(1000):
        clock.advance(0.06)
        installation.recordings.open_event(camera_id, "frozen", clock.now())
    tick = worker.run_once()
    assert len(tick.raised) == 1
    assert tick.folded == 999
    assert alert_count(installation) == 1


def test_the_worker_escalates_waiting_alerts_and_reports_what_it_did(
    installation: Installation, admin: Actor, clock: ManualClock
) -> None:
    camera_id = zone_and_camera(installation, admin)
    seen: list[Tick] = []
    worker = AlertWorker(installation, on_tick=seen.append)
    worker.run_once()
    installation.recordings.open_event(camera_id, "covered", clock.now())
    worker.run_once()
    clock.advance(5 * 60)
    worker.run_once()
    assert [len(t.raised) for t in seen] == [1, 0]
    assert [e.level for e in seen[1].escalated] == [EscalationLevel.SECURITY_LEAD]
