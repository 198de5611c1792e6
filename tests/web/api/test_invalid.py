"""Malformed requests: answered as JSON errors naming the field, in Vietnamese unless the
caller asks for English, and never repeating the value sent."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from camwarden import i18n
from camwarden.web.api import _invalid
from tests.web.conftest import Account

ZONE = {"name": "Cổng trường", "kind": "gate", "purposes": ["security"], "responsible_unit": "Tổ"}


def test_a_missing_field_is_named_in_vietnamese_by_default(
    client: TestClient, admin_account: Account
) -> None:
    body = {key: value for key, value in ZONE.items() if key != "name"}
    answer = client.post("/api/v1/zones", json=body, headers=admin_account.headers)
    assert answer.status_code == 422
    assert answer.json() == {
        "error": {
            "kind": "InvalidInput",
            "message": "Trường 'Tên' là bắt buộc.",
            "field": "name",
        }
    }


def test_a_missing_field_is_named_in_english_when_asked(
    client: TestClient, admin_account: Account
) -> None:
    body = {key: value for key, value in ZONE.items() if key != "name"}
    headers = {**admin_account.headers, "Accept-Language": "en-GB,en;q=0.8"}
    answer = client.post("/api/v1/zones", json=body, headers=headers)
    assert answer.json()["error"]["message"] == "The field 'Name' is required."


@pytest.mark.parametrize(
    ("body", "field", "vietnamese", "english"),
    [
        (
            {**ZONE, "colour": "red"},
            "colour",
            "Trường 'colour' không được chấp nhận ở đây; hãy bỏ trường này.",
            "The field 'colour' is not known here; remove it.",
        ),
        (
            {**ZONE, "name": "x" * 121},
            "name",
            "Trường 'Tên' chỉ được có tối đa 120 ký tự.",
            "The field 'Name' must have at most 120 characters.",
        ),
        (
            {**ZONE, "kind": "rooftop"},
            "kind",
            "Trường 'Loại' phải là một trong các giá trị: gate, yard, corridor, building_rear, "
            "classroom, it_room, finance_room, other.",
            "The field 'Kind' must be one of: gate, yard, corridor, building_rear, classroom, "
            "it_room, finance_room, other.",
        ),
        (
            {**ZONE, "assignee_ids": ["an"]},
            "assignee_ids",
            "Trường 'Người được phân công' phải là một số nguyên.",
            "The field 'People assigned' must be a whole number.",
        ),
        (
            {**ZONE, "purposes": []},
            "purposes",
            "Trường 'Mục đích' cần ít nhất 1 phần tử.",
            "The field 'Purposes' needs at least 1 item(s).",
        ),
    ],
)
def test_each_kind_of_bad_field_has_its_message_in_both_languages(
    client: TestClient,
    admin_account: Account,
    body: dict[str, object],
    field: str,
    vietnamese: str,
    english: str,
) -> None:
    for language, expected in [("vi", vietnamese), ("en", english)]:
        headers = {**admin_account.headers, "Accept-Language": language}
        answer = client.post("/api/v1/zones", json=body, headers=headers)
        assert answer.status_code == 422
        assert answer.json()["error"] == {
            "kind": "InvalidInput",
            "message": expected,
            "field": field,
        }


def test_a_domain_error_is_answered_in_vietnamese_by_default(
    client: TestClient, admin_account: Account
) -> None:
    client.post("/api/v1/zones", json=ZONE, headers=admin_account.headers)
    answer = client.post("/api/v1/zones", json=ZONE, headers=admin_account.headers)
    assert answer.status_code == 409
    english = client.post(
        "/api/v1/zones", json=ZONE, headers={**admin_account.headers, "Accept-Language": "en"}
    )
    assert english.json()["error"]["message"] == "A zone named 'Cổng trường' already exists."
    assert answer.json()["error"]["message"] != english.json()["error"]["message"]
    assert "Cổng trường" in answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"name": ', "The request body is not valid JSON."),
        (b"[1, 2]", "The request body must be a JSON object."),
        (b"", "The request needs a JSON body."),
        (b'{"name": "\xff"}', "The request body cannot be read: it must be JSON in UTF-8."),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    client: TestClient, admin_account: Account, content: bytes, message: str
) -> None:
    headers = {
        **admin_account.headers,
        "Content-Type": "application/json",
        "Accept-Language": "en",
    }
    answer = client.post("/api/v1/zones", content=content, headers=headers)
    assert answer.status_code == 422
    assert answer.json() == {"error": {"kind": "InvalidInput", "message": message}}


def test_an_id_that_is_not_a_positive_number_is_refused(
    client: TestClient, admin_account: Account
) -> None:
    for path in ["/api/v1/zones/abc", "/api/v1/zones/0", f"/api/v1/zones/{2**63}"]:
        answer = client.get(path, headers=admin_account.headers)
        assert answer.status_code == 422, path
        assert answer.json()["error"]["field"] == "zone_id"
    assert client.get("/api/v1/zones/7", headers=admin_account.headers).status_code == 404


def test_a_refused_value_is_never_repeated(client: TestClient, admin_account: Account) -> None:
    secret = "Bí-mật-dài-quá-" + "x" * 200
    camera = {"name": "C1", "zone_id": 1, "main_url": "rtsp://10.0.0.1/", "password": secret}
    answer = client.post("/api/v1/cameras", json=camera, headers=admin_account.headers)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "password"
    assert secret[:20] not in answer.text


def test_an_unknown_path_under_the_api_is_a_json_404(client: TestClient) -> None:
    answer = client.get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["error"]["kind"] == "HTTPError"


def test_every_api_message_has_a_vietnamese_translation() -> None:
    messages = {
        *_invalid.FIELD_MESSAGES.values(),
        *_invalid.BODY_MESSAGES.values(),
        _invalid.FALLBACK,
        _invalid.BODY_FALLBACK,
        _invalid.UNREADABLE_BODY,
    }
    token = i18n.set_current_locale("vi")
    try:
        untranslated = sorted(m for m in messages if i18n.gettext(m) == m)
    finally:
        i18n.reset_locale(token)
    assert untranslated == []
