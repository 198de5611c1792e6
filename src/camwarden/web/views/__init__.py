"""Pages: one module per page type, all registered on `page_router`."""

from fastapi import APIRouter

page_router = APIRouter(include_in_schema=False)

# Importing the modules registers their routes on page_router.
from camwarden.web.views import (  # noqa: E402
    account,
    activity,
    alerts,
    audit,
    auth,
    cameras,
    complaint_handling,
    complaints,
    console,
    dashboard,
    footage,
    grants,
    health,
    incidents,
    inspection,
    language,
    reports,
    requests,
    reviews,
    roster,
    users,
    zones,
)

__all__ = [
    "account",
    "activity",
    "alerts",
    "audit",
    "auth",
    "cameras",
    "complaint_handling",
    "complaints",
    "console",
    "dashboard",
    "footage",
    "grants",
    "health",
    "incidents",
    "inspection",
    "language",
    "page_router",
    "reports",
    "requests",
    "reviews",
    "roster",
    "users",
    "zones",
]
