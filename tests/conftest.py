"""Fixtures shared by every test: databases (SQLite and a real PostgreSQL), installations.

The PostgreSQL server is started once per session from the Debian binaries and each test
that uses it gets a database of its own, so tests stay independent and can run in any order.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from camwarden.clock import ManualClock
from camwarden.config import DATABASE_URL_ENV, load_settings
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.installation import Installation, open_installation

ADMIN_PASSWORD = "Quan-tri-2026!"


# -- PostgreSQL ------------------------------------------------------------------------------


def _postgres_bin_dir() -> Path | None:
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not candidates:
        return None
    newest = max(candidates, key=lambda path: int(Path(path).parts[-3]))
    return Path(newest).parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    base_url: str
    admin_engine: Engine
    _counter: itertools.count[int]

    def create_database(self) -> str:
        """A new, empty database; its URL."""
        name = f"test_{next(self._counter)}"
        with self.admin_engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return make_url(self.base_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self.admin_engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server on 127.0.0.1, for the whole test session."""
    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        # A missing server must fail the run, not quietly drop half the database tests.
        pytest.fail("PostgreSQL server binaries not found; run `make system-deps`")
    # PostgreSQL refuses to run as root; tests run as root in CI, so the server runs as the
    # `postgres` account that the Debian package creates.
    as_server_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="camwarden-pg-"))
    data_dir, socket_dir, log_file = base / "data", base / "sockets", base / "server.log"
    pg_ctl = [*as_server_user, str(bin_dir / "pg_ctl"), "-D", str(data_dir)]

    def run(*command: str) -> None:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = log_file.read_text(errors="replace") if log_file.exists() else ""
            raise RuntimeError(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}\n{log}"
            )

    admin_engine: Engine | None = None
    try:
        socket_dir.mkdir()
        if as_server_user:
            shutil.chown(base, "postgres", "postgres")
            shutil.chown(socket_dir, "postgres", "postgres")
        run(
            *as_server_user,
            str(bin_dir / "initdb"),
            f"--pgdata={data_dir}",
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        # The probed port may be taken by someone else before the server binds it: retry.
        for attempt in range(3):
            port = _free_port()
            options = (
                f"-k {socket_dir} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                run(*pg_ctl, "-l", str(log_file), "-w", "-o", options, "start")
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        base_url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        admin_engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
        yield PostgresServer(base_url, admin_engine, itertools.count(1))
    finally:
        if admin_engine is not None:
            admin_engine.dispose()
        if (data_dir / "postmaster.pid").exists():
            subprocess.run([*pg_ctl, "stop", "-m", "immediate"], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh database on the session's server, dropped after the test."""
    url = postgres_server.create_database()
    yield url
    postgres_server.drop_database(url)


# -- Databases and installations --------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs twice: on an SQLite file and on a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'camwarden.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'camwarden.db'}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def _open(data_dir: Path, database_url: str, clock: ManualClock) -> Installation:
    settings = load_settings(data_dir, {DATABASE_URL_ENV: database_url})
    return open_installation(settings, clock=clock)


@pytest.fixture
def installation(database_url: str, tmp_path: Path, clock: ManualClock) -> Iterator[Installation]:
    """A migrated installation on SQLite and on PostgreSQL, with a manual clock."""
    opened = _open(tmp_path / "data", database_url, clock)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_installation(
    sqlite_url: str, tmp_path: Path, clock: ManualClock
) -> Iterator[Installation]:
    """For tests whose subject does not depend on the database engine."""
    opened = _open(tmp_path / "data", sqlite_url, clock)
    yield opened
    opened.close()


@pytest.fixture
def postgres_installation(
    postgres_url: str, tmp_path: Path, clock: ManualClock
) -> Iterator[Installation]:
    """For tests of what only PostgreSQL has (TRUNCATE, advisory locks)."""
    opened = _open(tmp_path / "data", postgres_url, clock)
    yield opened
    opened.close()


@pytest.fixture
def admin(installation: Installation) -> Actor:
    """A real administrator account in `installation`, acting from 192.0.2.10."""
    with installation.database.transaction() as session:
        created = installation.accounts.create(
            session,
            SYSTEM_ACTOR,
            username="quantri",
            full_name="Nguyễn Văn Quản",
            role="admin",
            password=ADMIN_PASSWORD,
            must_change_password=False,
        )
        return actor_for(created.user, ip="192.0.2.10")
