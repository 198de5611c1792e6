"""The world of the casework API tests (requests, complaints): an installation on each
database engine, a gate camera, and the people who file and decide. Imported by the test
modules that want it, so the rest of tests/web/api keeps running on SQLite only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from camwarden.clock import ManualClock
from camwarden.config import DATABASE_URL_ENV, load_settings
from camwarden.installation import Installation, open_installation
from tests.support.footage import gate_camera as a_gate_camera
from tests.web.conftest import Account, MakeAccount


@pytest.fixture
def installation(database_url: str, tmp_path: Path, clock: ManualClock) -> Iterator[Installation]:
    """Casework is written on both engines: a module importing this runs on each."""
    opened = open_installation(
        load_settings(tmp_path / "data", {DATABASE_URL_ENV: database_url}), clock=clock
    )
    yield opened
    opened.close()


@pytest.fixture
def gate_camera(installation: Installation) -> int:
    return a_gate_camera(installation)


@pytest.fixture
def teacher(make_account: MakeAccount) -> Account:
    return make_account("staff", username="gv.hoa")


@pytest.fixture
def board(make_account: MakeAccount) -> Account:
    return make_account("board", username="hd.lan")


@pytest.fixture
def principal(make_account: MakeAccount) -> Account:
    return make_account("principal", username="ht.minh")
