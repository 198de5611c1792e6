"""Property tests over the whole OpenAPI document: whatever the input, never a server error.

Schemathesis generates valid and invalid requests for every operation from the document that
the app serves, and each answer is checked against it. The cases are drawn with Hypothesis
directly (`APIOperation.as_strategy`) rather than through `schemathesis.pytest.from_fixture`,
whose lazy loader writes `request.node._nodeid`, an attribute pytest 9.2 no longer has.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import Installation
from camwarden.storage.models import User
from tests.support.footage import gate_zone
from tests.web.conftest import MakeAccount

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Bounded and reproducible: the same cases on every run, well under two minutes in all.
FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Fuzzer:
    """The account the generated requests act as; kept usable whatever a request did to it."""

    installation: Installation
    user_id: int
    token: str = ""

    def headers(self) -> dict[str, str]:
        # A generated request may have revoked this token or reset this account's password;
        # repair both so that every case is judged as the intended role.
        with self.installation.database.transaction() as session:
            user = session.get(User, self.user_id)
            assert user is not None
            user.must_change_password = False
            auth = self.installation.authentication
            if not self.token or auth.resolve_api_token(session, self.token) is None:
                name = f"fuzz-{len(auth.list_api_tokens(session, actor_for(user)))}-{user.id}"
                _, self.token = auth.create_api_token(session, actor_for(user), name)
        return {"Authorization": f"Bearer {self.token}"}


def _seed(installation: Installation) -> None:
    """A zone and a camera with credentials, so that generated ids meet real rows."""
    with installation.database.transaction() as session:
        zone = gate_zone(installation, session)
        camera = installation.cameras.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng chính",
            zone_id=zone.id,
            main_url="rtsp://192.168.1.64:554/Streaming/Channels/101",
            username="admin",
            password="Camera-Secret-1",
        )
        # In service, so that a generated DELETE cannot take the one camera away.
        installation.cameras.set_state(
            session, SYSTEM_ACTOR, camera.id, "in_service", reason="Kiểm thử"
        )


Operation = schemathesis.APIOperation[Any, Any, Any, Any]

# Never-ending answers cannot be judged whole: the console's server-sent event stream
# (tests/web/api/test_alerts.py reads its events from a real server instead).
ENDLESS = {"GET /api/v1/alerts/stream"}


def _operations(app: FastAPI) -> Iterator[Operation]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        yield result.ok()


def _fuzz(operation: Operation, fuzzer: Fuzzer) -> None:
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @FUZZ_SETTINGS
    @given(case=cases)
    def run(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers=fuzzer.headers(), checks=CHECKS)

    run()


@pytest.mark.parametrize("role", ["admin", "principal"])
def test_no_request_makes_the_api_fail_or_break_its_document(
    role: str,
    app: FastAPI,
    installation: Installation,
    make_account: MakeAccount,
    subtests: pytest.Subtests,
) -> None:
    _seed(installation)
    make_account("security", username="baove")
    fuzzer = Fuzzer(installation, make_account(role, username=f"fuzz-{role}").id)
    for operation in _operations(app):
        if operation.label in ENDLESS:
            continue
        with subtests.test(operation=operation.label):
            _fuzz(operation, fuzzer)
