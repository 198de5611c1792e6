from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from camwarden.storage.database import Database, open_database
from camwarden.storage.models import Base

EXPECTED_TABLES = {
    "alembic_version",
    "alerts",
    "api_tokens",
    "audit_log",
    "camera_events",
    "duty_shifts",
    "cameras",
    "evidence_exports",
    "footage_holds",
    "inspections",
    "login_failures",
    "login_lockouts",
    "monitor_cursors",
    "notification_preferences",
    "notifications_sent",
    "motion_activity",
    "segments",
    "shift_handovers",
    "user_zone_scope",
    "users",
    "web_sessions",
    "zone_assignees",
    "zones",
    "footage_requests",
    "footage_request_cameras",
    "footage_grants",
    "incidents",
    "incident_clips",
    "incident_entries",
    "custody_events",
    "review_cycles",
    "review_unit_checks",
    "review_bookmarks",
    "complaints",
    "complaint_footage",
    "complaint_messages",
    "complaint_attachments",
}


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    opened = open_database(database_url)
    yield opened
    opened.dispose()


def differences_from_models(database: Database) -> list[object]:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_migrations_create_every_table(database: Database) -> None:
    assert set(inspect(database.engine).get_table_names()) == EXPECTED_TABLES


def test_migrations_leave_the_schema_matching_the_models(database: Database) -> None:
    assert differences_from_models(database) == []


def test_migrating_twice_is_harmless(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO zones (name, kind, purposes, responsible_unit, description, "
                "created_at) VALUES ('Cổng trường', 'gate', 'security', 'Tổ bảo vệ', '', "
                "'2026-01-05 01:00:00')"
            )
        )
    database.migrate()
    database.migrate()
    assert database.schema_is_current()
    assert differences_from_models(database) == []
    with database.engine.connect() as connection:
        assert connection.scalar(text("SELECT name FROM zones")) == "Cổng trường"


def test_a_database_is_not_current_until_migrated(database_url: str) -> None:
    database = Database(database_url)
    try:
        assert not database.schema_is_current()
        database.migrate()
        assert database.schema_is_current()
    finally:
        database.dispose()


def test_migrations_can_be_undone_and_redone(database: Database) -> None:
    command.downgrade(database.alembic_config(), "base")
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    database.migrate()
    assert differences_from_models(database) == []


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(IntegrityError), database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO cameras (name, zone_id, main_url, state, in_service_by_override, "
                "position_notes, created_at, updated_at) VALUES ('Cổng 1', 999, "
                "'rtsp://10.0.0.5/ch1', 'draft', false, '', '2026-01-05 01:00:00', "
                "'2026-01-05 01:00:00')"
            )
        )


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(sqlite_url: str) -> None:
    database = open_database(sqlite_url)
    try:
        with database.reading() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with database.transaction() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        database.dispose()


def test_a_clash_with_the_databases_own_constraints_becomes_a_conflict(
    database_url: str,
) -> None:
    from camwarden.errors import Conflict
    from camwarden.storage.database import open_database
    from camwarden.storage.models import Zone

    database = open_database(database_url)
    try:
        now = datetime.now(UTC)
        with database.transaction() as session:
            session.add(
                Zone(
                    name="Cổng",
                    kind="gate",
                    purposes="security",
                    responsible_unit="Tổ bảo vệ",
                    description="",
                    created_at=now,
                )
            )
        with pytest.raises(Conflict), database.transaction() as session:
            session.add(
                Zone(
                    name="Cổng",
                    kind="gate",
                    purposes="security",
                    responsible_unit="Tổ bảo vệ",
                    description="",
                    created_at=now,
                )
            )
        with database.reading() as session:
            assert len(session.scalars(select(Zone)).all()) == 1
    finally:
        database.dispose()
