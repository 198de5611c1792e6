import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from camwarden.clock import ManualClock
from camwarden.governance.audit import GENESIS_HASH, ChainReport, entry_hash_of, verify_chain
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry


def append(installation: Installation, count: int, action: str = "test.action") -> None:
    for number in range(1, count + 1):
        with installation.database.transaction() as session:
            installation.audit.record(
                session,
                SYSTEM_ACTOR,
                action,
                target_type="test",
                target_id=number,
                details={"number": number, "note": "Ghi chú số " + str(number)},
            )


def entries(installation: Installation) -> list[AuditEntry]:
    with installation.database.reading() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def verify(installation: Installation) -> ChainReport:
    with installation.database.reading() as session:
        return verify_chain(session)


@pytest.fixture
def unprotected(installation: Installation) -> Iterator[Installation]:
    """The installation after someone with database access dropped the append-only triggers."""
    if installation.database.is_sqlite:
        statements = [
            "DROP TRIGGER audit_log_refuse_update",
            "DROP TRIGGER audit_log_refuse_delete",
        ]
    else:
        statements = [
            "DROP TRIGGER audit_log_refuse_change ON audit_log",
            "DROP TRIGGER audit_log_refuse_truncate ON audit_log",
        ]
    with installation.database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    yield installation


def test_each_entry_is_chained_to_the_one_before(installation: Installation) -> None:
    append(installation, 3)
    log = entries(installation)
    assert [entry.seq for entry in log] == [1, 2, 3]
    assert log[0].prev_hash == GENESIS_HASH
    assert log[1].prev_hash == log[0].entry_hash
    assert log[2].prev_hash == log[1].entry_hash
    assert all(entry_hash_of(entry) == entry.entry_hash for entry in log)


def test_a_clean_log_verifies_and_reports_its_head(installation: Installation) -> None:
    append(installation, 5)
    report = verify(installation)
    assert report.ok
    assert report.entries == 5
    assert report.head_hash == entries(installation)[-1].entry_hash
    assert report.bad_seq is None


def test_an_empty_log_verifies(installation: Installation) -> None:
    report = verify(installation)
    assert report.ok
    assert report.entries == 0
    assert report.head_hash == GENESIS_HASH


def test_entries_keep_time_actor_and_details_exactly(
    installation: Installation, clock: ManualClock
) -> None:
    clock.advance(0.123456)
    actor = Actor(
        user_id=7, username="baove1", role=Role.SECURITY, all_zones=True, zone_ids=frozenset()
    )
    with installation.database.transaction() as session:
        installation.audit.record(
            session, actor, "test.action", details={"ý kiến": "Đồng ý"}, ip="192.0.2.7"
        )
    (entry,) = entries(installation)
    assert entry.at == clock.now()
    assert (entry.actor_user_id, entry.actor, entry.ip) == (7, "baove1", "192.0.2.7")
    assert "Đồng ý" in entry.details
    assert verify(installation).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET details = '{}' WHERE seq = 2",
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log WHERE seq = 2",
        "DELETE FROM audit_log",
    ],
)
def test_the_database_itself_refuses_to_change_or_remove_entries(
    installation: Installation, statement: str
) -> None:
    append(installation, 3)
    before = [(e.seq, e.details, e.actor) for e in entries(installation)]
    with pytest.raises(DBAPIError, match="append-only"), installation.database.engine.begin() as c:
        c.execute(text(statement))
    assert [(e.seq, e.details, e.actor) for e in entries(installation)] == before
    assert verify(installation).ok


@pytest.mark.postgres
def test_postgresql_refuses_to_truncate_the_log(postgres_installation: Installation) -> None:
    append(postgres_installation, 2)
    with (
        pytest.raises(DBAPIError, match="append-only"),
        postgres_installation.database.engine.begin() as connection,
    ):
        connection.execute(text("TRUNCATE audit_log"))
    assert len(entries(postgres_installation)) == 2


def test_a_changed_entry_is_found_by_its_sequence_number(unprotected: Installation) -> None:
    append(unprotected, 5)
    with unprotected.database.engine.begin() as connection:
        connection.execute(
            text("""UPDATE audit_log SET details = '{"number": 99}' WHERE seq = 3""")
        )
    report = verify(unprotected)
    assert not report.ok
    assert report.bad_seq == 3
    assert report.entries == 2
    assert "changed" in report.problem


def test_a_removed_entry_is_found_by_its_sequence_number(unprotected: Installation) -> None:
    append(unprotected, 5)
    with unprotected.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    report = verify(unprotected)
    assert not report.ok
    assert report.bad_seq == 3
    assert "missing" in report.problem


def test_a_removed_last_entry_leaves_a_head_that_differs_from_the_noted_one(
    unprotected: Installation,
) -> None:
    append(unprotected, 5)
    noted_head = verify(unprotected).head_hash
    with unprotected.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    report = verify(unprotected)
    # A cut tail is still a valid chain: only the head hash written down elsewhere shows it.
    assert report.ok
    assert report.entries == 4
    assert report.head_hash != noted_head


def test_a_forged_entry_with_a_made_up_hash_is_found(unprotected: Installation) -> None:
    append(unprotected, 5)
    head = entries(unprotected)[-1]
    with unprotected.database.transaction() as session:
        session.add(
            AuditEntry(
                seq=6,
                at=unprotected.clock.now(),
                actor_user_id=None,
                actor="system",
                action="user.create",
                target_type="user",
                target_id="42",
                details="{}",
                ip="local",
                prev_hash=head.entry_hash,
                entry_hash="f" * 64,
            )
        )
    report = verify(unprotected)
    assert not report.ok
    assert report.bad_seq == 6
    assert report.entries == 5


def test_an_entry_replaced_by_a_self_consistent_forgery_breaks_the_next_link(
    unprotected: Installation,
) -> None:
    append(unprotected, 5)
    original = entries(unprotected)[2]
    forged = AuditEntry(
        seq=3,
        at=original.at,
        actor_user_id=None,
        actor="system",
        action="test.action",
        target_type="test",
        target_id="3",
        details='{"number": 3, "note": "đã sửa"}',
        ip="local",
        prev_hash=original.prev_hash,
        entry_hash="",
    )
    forged.entry_hash = entry_hash_of(forged)
    with unprotected.database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 3"))
    with unprotected.database.transaction() as session:
        session.add(forged)
    report = verify(unprotected)
    assert not report.ok
    assert report.bad_seq == 4
    assert "does not link" in report.problem


def test_a_forged_entry_that_does_not_link_to_the_head_is_found(
    unprotected: Installation,
) -> None:
    append(unprotected, 5)
    forged = AuditEntry(
        seq=6,
        at=unprotected.clock.now(),
        actor_user_id=None,
        actor="system",
        action="camera.delete",
        target_type="camera",
        target_id="1",
        details="{}",
        ip="local",
        prev_hash=GENESIS_HASH,
        entry_hash="",
    )
    forged.entry_hash = entry_hash_of(forged)
    with unprotected.database.transaction() as session:
        session.add(forged)
    report = verify(unprotected)
    assert not report.ok
    assert report.bad_seq == 6


def test_verification_walks_the_log_in_batches(installation: Installation) -> None:
    append(installation, 7)
    with installation.database.reading() as session:
        report = verify_chain(session, batch_size=2)
    assert report.ok
    assert report.entries == 7


def test_concurrent_appends_from_two_threads_keep_one_valid_chain(
    installation: Installation,
) -> None:
    per_thread = 15
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait()
            for number in range(per_thread):
                with installation.database.transaction() as session:
                    installation.audit.record(
                        session, SYSTEM_ACTOR, "test.concurrent", details={name: number}
                    )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    log = entries(installation)
    assert [entry.seq for entry in log] == list(range(1, 2 * per_thread + 1))
    assert len({entry.details for entry in log}) == 2 * per_thread
    assert verify(installation).ok


def test_the_log_can_be_searched_by_actor_and_action_prefix(installation: Installation) -> None:
    append(installation, 3, action="camera.create")
    append(installation, 2, action="zone.create")
    with installation.database.reading() as session:
        cameras, total = installation.audit.query(session, action="camera.")
        assert total == 3
        assert [entry.seq for entry in cameras] == [3, 2, 1]
        page, total = installation.audit.query(session, limit=2, offset=1)
        assert total == 5
        assert [entry.seq for entry in page] == [4, 3]
        nobody, total = installation.audit.query(session, actor="baove1")
        assert (list(nobody), total) == ([], 0)
        # "%" and "_" in the prefix are taken literally, not as wildcards.
        _, total = installation.audit.query(session, action="%")
        assert total == 0
