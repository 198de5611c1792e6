"""Fixtures for the web adapter: the app on a temporary SQLite installation, a client, and
accounts of any role with a known password and an API token."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from camwarden.clock import ManualClock
from camwarden.config import load_settings
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation, open_installation
from camwarden.web import create_app
from camwarden.web.security import CSRF_HEADER, SESSION_COOKIE

PASSWORD = "Mat-khau-2026!"


@dataclass(frozen=True)
class Account:
    """A person in the test installation, with the plain secrets tests need."""

    id: int
    username: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Bearer authentication with the account's API token."""
        return {"Authorization": f"Bearer {self.token}"}


MakeAccount = Callable[..., Account]


@pytest.fixture
def installation(tmp_path: Path, clock: ManualClock) -> Iterator[Installation]:
    """SQLite only: the web adapter does not depend on the database engine."""
    opened = open_installation(load_settings(tmp_path / "data", {}), clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def app(installation: Installation) -> FastAPI:
    return create_app(installation)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_account(installation: Installation) -> MakeAccount:
    """`make_account(role, ...)`: a new account with PASSWORD and an API token for it."""
    numbers = itertools.count(1)

    def make(
        role: str,
        *,
        username: str | None = None,
        all_zones: bool = True,
        zone_ids: Iterable[int] = (),
        must_change_password: bool = False,
    ) -> Account:
        name = username or f"{role.replace('_', '-')}{next(numbers)}"
        with installation.database.transaction() as session:
            created = installation.accounts.create(
                session,
                SYSTEM_ACTOR,
                username=name,
                full_name=f"Người dùng {name}",
                role=role,
                all_zones=all_zones,
                zone_ids=zone_ids,
                password=PASSWORD,
                must_change_password=must_change_password,
            )
            _, token = installation.authentication.create_api_token(
                session, actor_for(created.user), "tests"
            )
            return Account(id=created.user.id, username=name, password=PASSWORD, token=token)

    return make


@pytest.fixture
def admin_account(make_account: MakeAccount) -> Account:
    """A system administrator."""
    return make_account("admin", username="quantri")


@pytest.fixture
def log_in(installation: Installation, client: TestClient) -> Callable[[Account], dict[str, str]]:
    """`log_in(account)`: a web session cookie on `client`; returns the CSRF header to send."""

    def log_in_as(account: Account) -> dict[str, str]:
        with installation.database.transaction() as session:
            logged_in = installation.authentication.login(
                session, account.username, account.password, ip="192.0.2.20"
            )
        assert logged_in is not None
        client.cookies.set(SESSION_COOKIE, logged_in.session_token)
        return {CSRF_HEADER: logged_in.csrf_token}

    return log_in_as
