"""REST API under /api/v1: one router per resource, request and response models apart.

Callers authenticate with a bearer token (`Authorization: Bearer cw_…`) or, from the web UI,
with the session cookie plus the `X-CSRF-Token` header on unsafe methods. Every answer is
decided by the governance services; errors come back as `{"error": {"kind", "message",
"field"?}}` in the caller's language (Vietnamese unless `Accept-Language` asks for English).
"""

from fastapi import APIRouter, Security
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer

from camwarden.web.api import (
    activity,
    alert_stream,
    alerts,
    audit,
    cameras,
    complaints,
    exports,
    footage,
    handovers,
    health,
    incident_evidence,
    incidents,
    inspection,
    me,
    notifications,
    reports,
    requests,
    reviews,
    roster,
    tokens,
    users,
    zones,
)

# Documents the bearer scheme in the OpenAPI document; `ApiCaller` does the real checking.
_bearer = HTTPBearer(
    auto_error=False,
    description="An API token made with POST /api/v1/tokens: `Authorization: Bearer cw_…`.",
)


def _operation_id(route: APIRoute) -> str:
    return route.name


api_router = APIRouter(
    prefix="/api/v1",
    dependencies=[Security(_bearer)],
    generate_unique_id_function=_operation_id,
)
for _module in (me, users, tokens, zones, cameras, inspection, footage, exports, audit, activity):
    api_router.include_router(_module.router)
# A camera's activity strip lives under /cameras/{id}, beside its timeline.
api_router.include_router(activity.strip_router)
# Before the alerts' own routes: /alerts/stream is not an alert's id.
api_router.include_router(alert_stream.router)
api_router.include_router(alerts.router)
api_router.include_router(notifications.router)
api_router.include_router(health.router)
api_router.include_router(complaints.router)
api_router.include_router(roster.router)
api_router.include_router(handovers.router)
api_router.include_router(reports.router)
api_router.include_router(incidents.router)
api_router.include_router(incident_evidence.router)
api_router.include_router(requests.router)
api_router.include_router(reviews.router)

__all__ = ["api_router"]
