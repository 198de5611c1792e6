"""The home page tells the principal what waits for her; a guard's home page stays a guard's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from camwarden.installation import Installation
from tests.retention.test_service import clip  # noqa: F401 (a fixture)
from tests.web.api.test_reviews import camera  # noqa: F401 (a fixture)
from tests.web.conftest import Account, MakeAccount

LogIn = Callable[[Account], dict[str, str]]


def test_the_principal_sees_a_pending_request_on_her_home_page_and_a_guard_does_not(
    client: TestClient,
    log_in: LogIn,
    make_account: MakeAccount,
    installation: Installation,
    camera: int,  # noqa: F811
) -> None:
    now = installation.clock.now()
    with installation.database.transaction() as session:
        installation.requests.file(
            session,
            actor=None,
            name="Phụ huynh",
            contact="ph@example.com",
            organisation="",
            purpose="Xem lại việc con bị ngã",
            access="watch",
            camera_ids=[camera],
            footage_start=now - timedelta(hours=2),
            footage_end=now - timedelta(hours=1),
        )

    log_in(make_account("principal", username="hieu.truong"))
    home = client.get("/").text
    assert 'aria-label="Việc đang chờ bạn"' in home
    assert "yêu cầu khai thác hình ảnh chờ quyết định" in home
    assert "khiếu nại đang giải quyết" in home and "kỳ rà soát chờ ký duyệt" in home

    client.cookies.clear()
    log_in(make_account("security", username="bao.ve"))
    assert "Việc đang chờ bạn" not in client.get("/").text
