"""The OpenAPI document at /api/v1/openapi.json: complete enough for clients and fuzzers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return dict(document["components"]["schemas"][name])
    return schema


def test_the_document_lists_every_endpoint_of_the_api(document: dict[str, Any]) -> None:
    assert {(method, path) for method, path, _ in _operations(document)} == {
        ("GET", "/api/v1/me"),
        ("PUT", "/api/v1/me/password"),
        ("GET", "/api/v1/users"),
        ("POST", "/api/v1/users"),
        ("GET", "/api/v1/users/{user_id}"),
        ("PATCH", "/api/v1/users/{user_id}"),
        ("POST", "/api/v1/users/{user_id}/reset-password"),
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/tokens"),
        ("DELETE", "/api/v1/tokens/{token_id}"),
        ("GET", "/api/v1/zones"),
        ("POST", "/api/v1/zones"),
        ("GET", "/api/v1/zones/{zone_id}"),
        ("PATCH", "/api/v1/zones/{zone_id}"),
        ("DELETE", "/api/v1/zones/{zone_id}"),
        ("GET", "/api/v1/cameras"),
        ("POST", "/api/v1/cameras"),
        ("GET", "/api/v1/cameras/{camera_id}"),
        ("PATCH", "/api/v1/cameras/{camera_id}"),
        ("DELETE", "/api/v1/cameras/{camera_id}"),
        ("POST", "/api/v1/cameras/{camera_id}/state"),
        ("POST", "/api/v1/cameras/{camera_id}/inspections"),
        ("GET", "/api/v1/cameras/{camera_id}/inspections/current"),
        ("GET", "/api/v1/cameras/{camera_id}/inspections"),
        ("GET", "/api/v1/cameras/{camera_id}/inspections/{inspection_id}"),
        ("POST", "/api/v1/cameras/{camera_id}/inspections/{inspection_id}/sign-off"),
        ("GET", "/api/v1/cameras/{camera_id}/inspections/{inspection_id}/reference"),
        ("GET", "/api/v1/cameras/{camera_id}/timeline"),
        ("GET", "/api/v1/cameras/{camera_id}/playback"),
        ("GET", "/api/v1/cameras/{camera_id}/live"),
        ("GET", "/api/v1/cameras/{camera_id}/snapshot"),
        ("GET", "/api/v1/cameras/{camera_id}/analysis"),
        ("PATCH", "/api/v1/cameras/{camera_id}/analysis"),
        ("POST", "/api/v1/cameras/{camera_id}/view-learning"),
        ("GET", "/api/v1/cameras/{camera_id}/events/{event_id}/snapshots/{which}"),
        ("GET", "/api/v1/cameras/{camera_id}/activity"),
        ("GET", "/api/v1/activity"),
        ("POST", "/api/v1/exports"),
        ("GET", "/api/v1/exports/{export_id}/download"),
        ("GET", "/api/v1/incidents"),
        ("POST", "/api/v1/incidents"),
        ("GET", "/api/v1/incidents/{incident_id}"),
        ("PUT", "/api/v1/incidents/{incident_id}"),
        ("POST", "/api/v1/incidents/{incident_id}/clips"),
        ("POST", "/api/v1/incidents/{incident_id}/clips/{clip_id}/remove"),
        ("GET", "/api/v1/incidents/{incident_id}/clips/{clip_id}/video"),
        ("POST", "/api/v1/incidents/{incident_id}/entries"),
        ("POST", "/api/v1/incidents/{incident_id}/close"),
        ("POST", "/api/v1/incidents/{incident_id}/reopen"),
        ("POST", "/api/v1/incidents/{incident_id}/handovers"),
        ("GET", "/api/v1/incidents/{incident_id}/record"),
        ("POST", "/api/v1/incidents/{incident_id}/exports"),
        ("POST", "/api/v1/incidents/{incident_id}/exports/{export_id}/verify"),
        ("GET", "/api/v1/audit"),
        ("GET", "/api/v1/audit/verify"),
        ("GET", "/api/v1/alerts"),
        ("POST", "/api/v1/alerts"),
        ("GET", "/api/v1/alerts/stream"),
        ("GET", "/api/v1/alerts/{alert_id}"),
        ("POST", "/api/v1/alerts/{alert_id}/acknowledge"),
        ("POST", "/api/v1/alerts/{alert_id}/resolve"),
        ("GET", "/api/v1/me/notifications"),
        ("PUT", "/api/v1/me/notifications"),
        ("GET", "/api/v1/health"),
        ("GET", "/api/v1/complaints"),
        ("POST", "/api/v1/complaints"),
        ("GET", "/api/v1/complaints/{complaint_id}"),
        ("POST", "/api/v1/complaints/{complaint_id}/assign"),
        ("POST", "/api/v1/complaints/{complaint_id}/messages"),
        ("POST", "/api/v1/complaints/{complaint_id}/progress"),
        ("POST", "/api/v1/complaints/{complaint_id}/decide"),
        ("GET", "/api/v1/roster"),
        ("GET", "/api/v1/roster/gaps"),
        ("POST", "/api/v1/roster/shifts"),
        ("POST", "/api/v1/roster/weekly"),
        ("POST", "/api/v1/roster/shifts/{shift_id}/cancel"),
        ("GET", "/api/v1/handovers"),
        ("POST", "/api/v1/handovers"),
        ("POST", "/api/v1/handovers/{handover_id}/sign"),
        ("GET", "/api/v1/reports/daily"),
        ("GET", "/api/v1/reviews"),
        ("GET", "/api/v1/reviews/{cycle_id}"),
        ("POST", "/api/v1/reviews/{cycle_id}/bookmarks"),
        ("POST", "/api/v1/reviews/{cycle_id}/bookmarks/{bookmark_id}/remove"),
        ("POST", "/api/v1/reviews/{cycle_id}/units"),
        ("POST", "/api/v1/reviews/{cycle_id}/sign-off"),
        ("GET", "/api/v1/reviews/{cycle_id}/report"),
        ("GET", "/api/v1/requests"),
        ("POST", "/api/v1/requests"),
        ("GET", "/api/v1/requests/{request_id}"),
        ("POST", "/api/v1/requests/{request_id}/approve"),
        ("POST", "/api/v1/requests/{request_id}/refuse"),
        ("POST", "/api/v1/requests/{request_id}/revoke"),
    }


def test_every_operation_is_described_and_documents_its_errors(
    document: dict[str, Any],
) -> None:
    for method, path, operation in _operations(document):
        label = f"{method} {path}"
        assert operation.get("description"), label
        assert operation["security"] == [{"HTTPBearer": []}], label
        expected = {"401", "403", "422"}
        if "{" in path:
            expected.add("404")
        errors = {status for status in operation["responses"] if status.startswith(("4", "5"))}
        assert expected <= errors, label
        for status in errors:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, label


def test_request_bodies_refuse_unknown_keys_and_bound_their_text(
    document: dict[str, Any],
) -> None:
    for method, path, operation in _operations(document):
        if "requestBody" not in operation:
            continue
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        schema = _resolve(document, body)
        assert schema["additionalProperties"] is False, f"{method} {path}"
        for name, prop in schema["properties"].items():
            variants = prop.get("anyOf", [prop])
            for variant in variants:
                if variant.get("type") == "string":
                    assert "maxLength" in variant, f"{method} {path} {name}"


def test_no_camera_answer_can_carry_credentials(document: dict[str, Any]) -> None:
    camera = document["components"]["schemas"]["CameraOut"]["properties"]
    assert "has_credentials" in camera
    assert not {"username", "password", "credentials", "credentials_encrypted"} & set(camera)
