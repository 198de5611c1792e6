"""Engine, sessions and migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from camwarden.errors import Conflict

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web UI read while another process writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and its session factory; the unit of work is `with db.transaction() as s`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        connect_args: dict[str, Any] = {}
        if self.is_sqlite:
            connect_args["check_same_thread"] = False
            if url.startswith("sqlite:///") and not url.endswith(":memory:"):
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        self._write_engine = self.engine
        if self.is_sqlite:
            event.listen(self.engine, "connect", _configure_sqlite)
            # Writers take SQLite's write lock at BEGIN: a deferred transaction that read first
            # could not upgrade later under WAL and would fail instead of waiting its turn.
            self._write_engine = create_engine(
                url, connect_args={**connect_args, "isolation_level": None}
            )
            event.listen(self._write_engine, "connect", _configure_sqlite)
            event.listen(self._write_engine, "begin", _begin_immediate)
        self._sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only; never takes SQLite's write lock."""
        session = self._read_sessions()
        try:
            yield session
        finally:
            # close() ends the transaction but keeps loaded objects usable, unlike rollback().
            session.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except IntegrityError as clash:
            # The services check uniqueness first; what still reaches the database's own
            # constraints is a race with a change made at the same moment.
            session.rollback()
            raise Conflict(
                "The change clashes with another one made at the same moment; try again."
            ) from clash
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def alembic_config(self) -> AlembicConfig:
        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        config = self.alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def schema_is_current(self) -> bool:
        head = ScriptDirectory.from_config(self.alembic_config()).get_current_head()
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        return bool(current == head)

    def dispose(self) -> None:
        self.engine.dispose()
        self._write_engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    database = Database(url)
    if migrate:
        database.migrate()
    return database
