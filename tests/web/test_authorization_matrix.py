"""Every role against every endpoint, pages and API: allowed where the role table says so,
refused everywhere else. A new endpoint missing from MATRIX fails the coverage test."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from camwarden.capture.live import LiveHub
from camwarden.governance.alerts import Severity
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor, can
from camwarden.governance.roles import Permission, Role
from camwarden.governance.roster import ON_DUTY_ROLES
from camwarden.installation import Installation
from camwarden.storage.models import User
from camwarden.storage.recordings import RecordingIndex
from camwarden.web.views import page_router
from tests.capture.conftest import encode_test_video
from tests.capture.test_segments import record_file
from tests.web.conftest import Account, MakeAccount

P = Permission
Rule = Callable[[Actor], bool]


def anyone(_: Actor) -> bool:
    return True


def needs(*permissions: Permission) -> Rule:
    """Allowed when the actor holds any one of `permissions`."""
    return lambda actor: any(can(actor, p) for p in permissions)


def on_duty(actor: Actor) -> bool:
    """A guard or their head: the people a handover can be addressed to."""
    return actor.role.value in ON_DUTY_ROLES


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # template, as routed
    rule: Rule
    # Ids come from the fixture objects: {zone}, {spare_zone}, {camera}, {spare_camera}, {user},
    # {token}; bodies are filled the same way.
    form: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    public: bool = False
    query: str = ""
    # An answer that also counts as allowed: (status, words of its message). The test world
    # has no live video, so an allowed live request is told the camera sends nothing.
    allowed_answer: tuple[int, str] | None = None
    # A never-ending stream (server-sent events): only its status is read, then it is closed.
    stream: bool = False


# A footage request a signed-in person files from the public form (the day before the clock).
REQUEST_FORM = {
    "name": "Trần Thị Hoa",
    "contact": "0912 345 678",
    "purpose": "Xem lại vụ ngã ở cổng",
    "access": "watch",
    "cameras": "{camera}",
    "day": "2026-01-04",
    "from_time": "08:00",
    "to_time": "08:30",
}

# Order matters where an allowed call changes state: deletions come after the reads.
PAGES: list[Endpoint] = [
    Endpoint("GET", "/login", anyone, public=True),
    Endpoint("GET", "/language/{locale}", anyone, public=True),
    Endpoint("GET", "/", anyone),
    Endpoint("GET", "/account", anyone),
    Endpoint("POST", "/account/tokens", anyone, form={"name": "matrix page"}),
    Endpoint("POST", "/account/tokens/{token_id}/revoke", anyone),
    Endpoint("GET", "/account/password", anyone),
    Endpoint("GET", "/account/notifications", anyone),
    Endpoint(
        "POST",
        "/account/notifications",
        anyone,
        form={"email_enabled": "on", "min_severity": "medium", "quiet_hours": "22:00-06:00"},
    ),
    Endpoint("GET", "/console", needs(P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS)),
    Endpoint("GET", "/alerts", needs(P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS)),
    Endpoint("GET", "/alerts/new", needs(P.REPORT_PROBLEMS)),
    Endpoint(
        "POST",
        "/alerts/new",
        needs(P.REPORT_PROBLEMS),
        form={"summary": "Người lạ ở cổng sau", "severity": "high", "camera": ""},
    ),
    Endpoint("GET", "/alerts/{alert_id}", needs(P.HANDLE_ALERTS)),
    Endpoint(
        "POST",
        "/alerts/{alert_id}/acknowledge",
        needs(P.HANDLE_ALERTS),
        form={"note": "Đang ra xem"},
    ),
    Endpoint(
        "POST",
        "/alerts/{alert_id}/resolve",
        needs(P.HANDLE_ALERTS),
        form={"outcome": "Gió làm lệch camera", "incident_reference": ""},
    ),
    Endpoint("GET", "/users", needs(P.MANAGE_USERS)),
    Endpoint("GET", "/users/new", needs(P.MANAGE_USERS)),
    Endpoint(
        "POST",
        "/users/new",
        needs(P.MANAGE_USERS),
        form={
            "username": "nguoi.moi",
            "full_name": "Người Mới",
            "role": "staff",
            "zone_scope": "all",
        },
    ),
    Endpoint("GET", "/users/{user_id}", needs(P.MANAGE_USERS)),
    Endpoint(
        "POST",
        "/users/{user_id}",
        needs(P.MANAGE_USERS),
        form={"full_name": "Đã Sửa", "role": "staff", "zone_scope": "all", "is_active": "on"},
    ),
    Endpoint("POST", "/users/{user_id}/reset-password", needs(P.MANAGE_USERS)),
    Endpoint("GET", "/zones", needs(P.MANAGE_ZONES, P.VIEW_CAMERAS)),
    Endpoint("GET", "/zones/new", needs(P.MANAGE_ZONES)),
    Endpoint(
        "POST",
        "/zones/new",
        needs(P.MANAGE_ZONES),
        form={
            "name": "Nhà đa năng",
            "kind": "other",
            "purposes": "security",
            "responsible_unit": "Tổ bảo vệ",
        },
    ),
    Endpoint("GET", "/zones/{zone_id}", needs(P.MANAGE_ZONES)),
    Endpoint(
        "POST",
        "/zones/{zone_id}",
        needs(P.MANAGE_ZONES),
        form={
            "name": "Cổng trường",
            "kind": "gate",
            "purposes": "security",
            "responsible_unit": "Tổ bảo vệ",
        },
    ),
    Endpoint("GET", "/cameras", needs(P.VIEW_CAMERAS)),
    Endpoint("GET", "/cameras/new", needs(P.MANAGE_CAMERAS)),
    Endpoint(
        "POST",
        "/cameras/new",
        needs(P.MANAGE_CAMERAS),
        form={"name": "Cổng phụ", "zone_id": "{zone}", "main_url": "rtsp://10.0.0.8/ch1"},
    ),
    Endpoint("GET", "/cameras/{camera_id}", needs(P.VIEW_CAMERAS)),
    Endpoint(
        "POST",
        "/cameras/{camera_id}",
        needs(P.MANAGE_CAMERAS),
        form={"name": "Cổng chính", "zone_id": "{zone}", "main_url": "rtsp://10.0.0.7/ch1"},
    ),
    Endpoint(
        "POST",
        "/cameras/{camera_id}/state",
        needs(P.MANAGE_CAMERAS),
        form={"state": "out_of_service", "reason": "Hỏng nguồn"},
    ),
    Endpoint("GET", "/cameras/{camera_id}/inspection", needs(P.VIEW_CAMERAS)),
    # Starts a real measurement in the background; the camera's address answers nothing.
    Endpoint("POST", "/cameras/{camera_id}/inspection", needs(P.MANAGE_CAMERAS)),
    Endpoint(
        "POST",
        "/cameras/{camera_id}/inspection/{inspection_id}/sign-off",
        needs(P.MANAGE_CAMERAS),
        form={"supplier": "Công ty An Phát"},
        allowed_answer=(404, "Inspection 999 does not exist"),  # the page run is in English
    ),
    Endpoint(
        "GET",
        "/cameras/{camera_id}/inspection/{inspection_id}/reference.jpg",
        needs(P.WATCH_LIVE),
        allowed_answer=(404, "Inspection 999 does not exist"),  # the page run is in English
    ),
    Endpoint(
        "POST",
        "/cameras/{camera_id}/analysis",
        needs(P.MANAGE_CAMERAS),
        form={"tamper_sensitivity": "high", "motion_sensitivity": "normal", "cell": "15"},
    ),
    Endpoint(
        "POST",
        "/cameras/{camera_id}/view-learning",
        needs(P.MANAGE_CAMERAS),
        form={"reason": "quay lại"},
        allowed_answer=(409, "is not in service"),  # a draft camera; the page run is in English
    ),
    Endpoint("GET", "/live", needs(P.WATCH_LIVE)),
    Endpoint("GET", "/health", needs(P.VIEW_CAMERAS)),
    Endpoint("GET", "/cameras/{camera_id}/live", needs(P.WATCH_LIVE)),
    Endpoint("GET", "/cameras/{camera_id}/playback", needs(P.PLAY_BACK)),
    Endpoint("GET", "/activity", needs(P.PLAY_BACK)),
    Endpoint(
        "GET",
        "/activity",
        needs(P.PLAY_BACK),
        query="since=25/11/2026&until=26/11/2026&hour_from=22:00&hour_to=05:00&level=strong",
    ),
    Endpoint("GET", "/audit", needs(P.READ_AUDIT)),
    Endpoint("GET", "/audit/verify", needs(P.READ_AUDIT)),
    Endpoint("GET", "/roster", needs(P.MANAGE_ROSTER, P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS)),
    Endpoint(
        "POST",
        "/roster/shifts",
        needs(P.MANAGE_ROSTER),
        form={"user_id": "{guard}", "day": "2026-12-01", "start": "06:00", "end": "18:00"},
    ),
    Endpoint(
        "POST",
        "/roster/weekly",
        needs(P.MANAGE_ROSTER),
        form={
            "user_id": "{guard}",
            "weekdays": "5",
            "start": "18:00",
            "end": "06:00",
            "first_day": "2026-12-14",
            "weeks": "1",
        },
    ),
    Endpoint(
        "POST", "/roster/shifts/{shift_id}/cancel", needs(P.MANAGE_ROSTER), form={"reason": "Ốm"}
    ),
    Endpoint("GET", "/handovers", needs(P.MANAGE_ROSTER, P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS)),
    Endpoint(
        "POST",
        "/handovers",
        needs(P.HANDLE_ALERTS),
        form={"to_user_id": "{guard}", "happened": "Đêm yên tĩnh"},
    ),
    # Only the guard a handover is addressed to signs it: the world addresses one to a guard.
    Endpoint("POST", "/handovers/{handover_id}/sign", on_duty, form={"note": "Đã nhận"}),
    Endpoint("GET", "/reports/daily", needs(P.MANAGE_ROSTER, P.RECEIVE_ESCALATIONS)),
    Endpoint("POST", "/cameras/{camera_id}/delete", needs(P.MANAGE_CAMERAS)),
    Endpoint("POST", "/zones/{zone_id}/delete", needs(P.MANAGE_ZONES)),
    Endpoint(
        "POST",
        "/account/password",
        anyone,
        form={
            "current_password": "{password}",
            "new_password": "Moi-Hon-2026!",
            "confirm_password": "Moi-Hon-2026!",
        },
    ),
    # Footage requests (R-4.2): the public form and tracking page, the Board's pages, the
    # grant page a secret link opens (the world's grant is to watch, with no copy made).
    Endpoint("GET", "/request", anyone, public=True),
    Endpoint("POST", "/request", needs(P.REQUEST_FOOTAGE), form=REQUEST_FORM),
    Endpoint("GET", "/request/status", anyone, public=True),
    Endpoint("POST", "/request/status", anyone, form={"code": "{tracking}"}, public=True),
    # The world's tracked request is decided: withdrawing it is refused, saying why.
    Endpoint(
        "POST",
        "/request/withdraw",
        anyone,
        form={"code": "{tracking}"},
        public=True,
        allowed_answer=(409, "has been decided already"),
    ),
    Endpoint("GET", "/requests", needs(P.APPROVE_REQUESTS)),
    Endpoint("GET", "/requests/{request_id}", needs(P.APPROVE_REQUESTS)),
    Endpoint(
        "POST", "/requests/{request_id}/approve", needs(P.APPROVE_REQUESTS), form={"valid_days": 3}
    ),
    Endpoint(
        "POST", "/requests/{request_id}/revoke", needs(P.APPROVE_REQUESTS), form={"reason": "Hết"}
    ),
    Endpoint(
        "POST", "/requests/{request_id}/refuse", needs(P.APPROVE_REQUESTS), form={"reason": "Không"}
    ),
    Endpoint("GET", "/grants/{token}", anyone, public=True),
    Endpoint("GET", "/grants/{token}/clips/{index}", anyone, allowed_answer=(404, "999")),
    # The world's grant is to watch: no zip. The page run is in English (/language/en above).
    Endpoint(
        "GET",
        "/grants/{token}/download",
        anyone,
        allowed_answer=(404, "This grant allows watching only, not a copy."),
    ),
    # The 15-day review (R-5.1): the world's open cycle, its bookmark, then the sign-off.
    Endpoint("GET", "/reviews", needs(P.REVIEW_FOOTAGE, P.SIGN_OFF_REVIEWS)),
    Endpoint("GET", "/reviews/{cycle_id}", needs(P.REVIEW_FOOTAGE, P.SIGN_OFF_REVIEWS)),
    Endpoint(
        "POST",
        "/reviews/{cycle_id}/bookmarks",
        needs(P.REVIEW_FOOTAGE),
        form={
            "camera_id": "{camera}",
            "since": "2025-12-10T08:00",
            "until": "2025-12-10T08:05",
            "note": "Người lạ ở cổng",
        },
    ),
    Endpoint("POST", "/reviews/{cycle_id}/bookmarks/{bookmark_id}/remove", needs(P.REVIEW_FOOTAGE)),
    Endpoint(
        "POST", "/reviews/{cycle_id}/units", needs(P.REVIEW_FOOTAGE), form={"unit": "Tổ bảo vệ"}
    ),
    Endpoint(
        "POST",
        "/reviews/{cycle_id}/sign-off",
        needs(P.SIGN_OFF_REVIEWS),
        form={"note": "Ký dù chưa đủ đơn vị"},
    ),
    Endpoint(
        "GET",
        "/reviews/{cycle_id}/report.pdf",
        needs(P.REVIEW_FOOTAGE, P.SIGN_OFF_REVIEWS),
        allowed_answer=(404, "has no report yet"),  # the page run is in English
    ),
    Endpoint("GET", "/complaint", anyone, public=True),
    # Without the public form's cookie token the form is refused, and a code opens nothing.
    Endpoint("POST", "/complaint", anyone, public=True, allowed_answer=(401, "expired")),
    Endpoint("GET", "/complaint/status", anyone, public=True),
    Endpoint("POST", "/complaint/status", anyone, public=True, allowed_answer=(401, "expired")),
    Endpoint(
        "POST",
        "/complaint/status/reply",
        anyone,
        public=True,
        allowed_answer=(404, "No complaint matches"),
    ),
    Endpoint(
        "POST",
        "/complaint/status/withdraw",
        anyone,
        public=True,
        allowed_answer=(404, "No complaint matches"),
    ),
    Endpoint("GET", "/complaints", needs(P.HANDLE_COMPLAINTS)),
    *(
        Endpoint(method, path, needs(P.HANDLE_COMPLAINTS), allowed_answer=(404, "Complaint 999"))
        for method, path in (
            ("GET", "/complaints/{complaint_id}"),
            ("GET", "/complaints/{complaint_id}/attachments/{attachment_id}"),
            ("POST", "/complaints/{complaint_id}/assign"),
            ("POST", "/complaints/{complaint_id}/messages"),
            ("POST", "/complaints/{complaint_id}/progress"),
            ("POST", "/complaints/{complaint_id}/decide"),
        )
    ),
    # Incidents (R-4.3): the ids name no incident; who may act is told it does not exist.
    Endpoint("GET", "/incidents", needs(P.MANAGE_INCIDENTS, P.READ_AUDIT)),
    Endpoint("GET", "/incidents/new", needs(P.MANAGE_INCIDENTS)),
    Endpoint(
        "POST",
        "/incidents/new",
        needs(P.MANAGE_INCIDENTS),
        form={"title": "Mất xe đạp", "occurred_at": "2026-01-04T08:00:00", "location": "Nhà xe"},
    ),
    Endpoint(
        "GET",
        "/incidents/{incident_id}",
        needs(P.MANAGE_INCIDENTS, P.READ_AUDIT),
        allowed_answer=(404, "Incident 999 does not exist"),
    ),
    Endpoint(
        "GET",
        "/incidents/{incident_id}/record.pdf",
        needs(P.MANAGE_INCIDENTS, P.READ_AUDIT),
        allowed_answer=(404, "Incident 999 does not exist"),
    ),
    *(
        Endpoint(
            "POST",
            f"/incidents/{{incident_id}}{action}",
            needs(P.MANAGE_INCIDENTS),
            form=form,
            allowed_answer=(404, "Incident 999 does not exist"),
        )
        for action, form in (
            ("/clips", {"camera": "{zone}", "start_at": "2026-01-04T08:00:00"}),
            ("/clips/{clip_id}/remove", {"reason": "Nhầm"}),
            ("/edit", {"title": "Sửa", "occurred_at": "2026-01-04T08:00:00"}),
            ("/entries", {"kind": "note", "text": "Ghi chú"}),
            ("/close", {"reason": "Xong"}),
            ("/reopen", {"reason": "Mở lại"}),
            ("/handovers", {"recipient": "Công an", "medium": "USB"}),
            ("/exports", {"reason": "Chứng cứ"}),
            ("/exports/{export_id}/verify", {}),
        )
    ),
    Endpoint("POST", "/login", anyone, public=True),
    Endpoint("POST", "/logout", anyone),
]

API: list[Endpoint] = [
    # Incidents (R-4.3).
    Endpoint("GET", "/api/v1/incidents", needs(P.MANAGE_INCIDENTS, P.READ_AUDIT)),
    Endpoint(
        "POST",
        "/api/v1/incidents",
        needs(P.MANAGE_INCIDENTS),
        json={"title": "Mất xe đạp", "occurred_at": "2026-01-04T01:00:00Z"},
    ),
    Endpoint(
        "GET",
        "/api/v1/incidents/{incident_id}",
        needs(P.MANAGE_INCIDENTS, P.READ_AUDIT),
        allowed_answer=(404, "Sự việc 999 không tồn tại"),
    ),
    Endpoint(
        "GET",
        "/api/v1/incidents/{incident_id}/record",
        needs(P.MANAGE_INCIDENTS, P.READ_AUDIT),
        allowed_answer=(404, "Sự việc 999 không tồn tại"),
    ),
    Endpoint(
        "GET",
        "/api/v1/incidents/{incident_id}/clips/{clip_id}/video",
        lambda actor: needs(P.MANAGE_INCIDENTS, P.READ_AUDIT)(actor) and can(actor, P.PLAY_BACK),
        allowed_answer=(404, "Sự việc 999 không tồn tại"),
    ),
    *(
        Endpoint(
            method,
            f"/api/v1/incidents/{{incident_id}}{action}",
            needs(P.MANAGE_INCIDENTS),
            json=body,
            allowed_answer=(404, "Sự việc 999 không tồn tại"),
        )
        for method, action, body in (
            (
                "PUT",
                "",
                {"title": "Sửa", "occurred_at": "2026-01-04T01:00:00Z", "location": "Cổng"},
            ),
            (
                "POST",
                "/clips",
                {
                    "camera_id": "{camera}",
                    "start_at": "2026-01-04T01:00:00Z",
                    "end_at": "2026-01-04T01:05:00Z",
                },
            ),
            ("POST", "/clips/{clip_id}/remove", {"reason": "Nhầm"}),
            ("POST", "/entries", {"kind": "note", "text": "Ghi chú"}),
            ("POST", "/close", {"reason": "Xong"}),
            ("POST", "/reopen", {"reason": "Mở lại"}),
            (
                "POST",
                "/handovers",
                {"recipient": "Công an", "medium": "USB", "handed_at": "2026-01-04T01:00:00Z"},
            ),
            ("POST", "/exports", {"reason": "Chứng cứ"}),
            ("POST", "/exports/{export_id}/verify", None),
        )
    ),
    Endpoint("GET", "/api/v1/reviews", needs(P.REVIEW_FOOTAGE, P.SIGN_OFF_REVIEWS)),
    Endpoint("GET", "/api/v1/reviews/{cycle_id}", needs(P.REVIEW_FOOTAGE, P.SIGN_OFF_REVIEWS)),
    Endpoint(
        "POST",
        "/api/v1/reviews/{cycle_id}/bookmarks",
        needs(P.REVIEW_FOOTAGE),
        json={
            "camera_id": "{camera}",
            "start_at": "2025-12-25T08:00:00+07:00",
            "end_at": "2025-12-25T08:05:00+07:00",
            "note": "Người lạ ở cổng",
        },
    ),
    Endpoint(
        "POST",
        "/api/v1/reviews/{cycle_id}/bookmarks/{bookmark_id}/remove",
        needs(P.REVIEW_FOOTAGE),
    ),
    Endpoint(
        "POST",
        "/api/v1/reviews/{cycle_id}/units",
        needs(P.REVIEW_FOOTAGE),
        json={"unit": "Tổ bảo vệ"},
    ),
    Endpoint(
        "POST",
        "/api/v1/reviews/{cycle_id}/sign-off",
        needs(P.SIGN_OFF_REVIEWS),
        json={"note": "Ký dù chưa đủ đơn vị"},
    ),
    Endpoint(
        "GET",
        "/api/v1/reviews/{cycle_id}/report",
        needs(P.REVIEW_FOOTAGE, P.SIGN_OFF_REVIEWS),
        allowed_answer=(404, "chưa có báo cáo"),
    ),
    Endpoint("GET", "/api/v1/requests", needs(P.APPROVE_REQUESTS)),
    Endpoint(
        "POST",
        "/api/v1/requests",
        needs(P.REQUEST_FOOTAGE),
        json={
            "purpose": "Xem lại vụ ngã",
            "contact": "0912 345 678",
            "camera_ids": ["{camera}"],
            "footage_start": "2026-01-04T08:00:00+07:00",
            "footage_end": "2026-01-04T08:30:00+07:00",
        },
    ),
    Endpoint("GET", "/api/v1/requests/{request_id}", needs(P.APPROVE_REQUESTS)),
    Endpoint(
        "POST",
        "/api/v1/requests/{request_id}/approve",
        needs(P.APPROVE_REQUESTS),
        json={"valid_days": 3},
    ),
    Endpoint(
        "POST",
        "/api/v1/requests/{request_id}/revoke",
        needs(P.APPROVE_REQUESTS),
        json={"reason": "Hết"},
    ),
    Endpoint(
        "POST",
        "/api/v1/requests/{request_id}/refuse",
        needs(P.APPROVE_REQUESTS),
        json={"reason": "Không"},
    ),
    Endpoint("GET", "/api/v1/me", anyone),
    Endpoint("GET", "/api/v1/health", needs(P.VIEW_CAMERAS)),
    Endpoint("GET", "/api/v1/me/notifications", anyone),
    Endpoint(
        "PUT",
        "/api/v1/me/notifications",
        anyone,
        json={"email_enabled": False, "min_severity": "critical", "quiet_hours": ""},
    ),
    Endpoint("GET", "/api/v1/alerts", needs(P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS)),
    Endpoint(
        "GET", "/api/v1/alerts/stream", needs(P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS), stream=True
    ),
    Endpoint(
        "POST",
        "/api/v1/alerts",
        needs(P.REPORT_PROBLEMS),
        json={"summary": "Camera sân sau bị lệch", "severity": "medium", "camera_id": None},
    ),
    Endpoint("GET", "/api/v1/alerts/{alert_id}", needs(P.HANDLE_ALERTS)),
    Endpoint(
        "POST",
        "/api/v1/alerts/{alert_id}/acknowledge",
        needs(P.HANDLE_ALERTS),
        json={"note": "Đang ra xem"},
    ),
    Endpoint(
        "POST",
        "/api/v1/alerts/{alert_id}/resolve",
        needs(P.HANDLE_ALERTS),
        json={"outcome": "Đã chỉnh lại camera"},
    ),
    Endpoint("GET", "/api/v1/tokens", anyone),
    Endpoint("POST", "/api/v1/tokens", anyone, json={"name": "matrix api"}),
    Endpoint("DELETE", "/api/v1/tokens/{token_id}", anyone),
    Endpoint("GET", "/api/v1/users", needs(P.MANAGE_USERS)),
    Endpoint(
        "POST",
        "/api/v1/users",
        needs(P.MANAGE_USERS),
        json={"username": "nguoi.api", "full_name": "Người API", "role": "staff"},
    ),
    Endpoint("GET", "/api/v1/users/{user_id}", needs(P.MANAGE_USERS)),
    Endpoint("PATCH", "/api/v1/users/{user_id}", needs(P.MANAGE_USERS), json={"full_name": "Sửa"}),
    Endpoint("POST", "/api/v1/users/{user_id}/reset-password", needs(P.MANAGE_USERS)),
    Endpoint("GET", "/api/v1/zones", needs(P.MANAGE_ZONES, P.VIEW_CAMERAS)),
    Endpoint(
        "POST",
        "/api/v1/zones",
        needs(P.MANAGE_ZONES),
        json={
            "name": "Nhà ăn",
            "kind": "other",
            "purposes": ["security"],
            "responsible_unit": "Tổ bảo vệ",
        },
    ),
    Endpoint("GET", "/api/v1/zones/{zone_id}", needs(P.MANAGE_ZONES, P.VIEW_CAMERAS)),
    Endpoint(
        "PATCH",
        "/api/v1/zones/{zone_id}",
        needs(P.MANAGE_ZONES),
        json={"description": "Cổng chính trên phố"},
    ),
    Endpoint("GET", "/api/v1/cameras", needs(P.VIEW_CAMERAS)),
    Endpoint(
        "POST",
        "/api/v1/cameras",
        needs(P.MANAGE_CAMERAS),
        json={"name": "Sân sau", "zone_id": "{zone}", "main_url": "rtsp://10.0.0.9/ch1"},
    ),
    Endpoint("GET", "/api/v1/cameras/{camera_id}", needs(P.VIEW_CAMERAS)),
    Endpoint(
        "PATCH",
        "/api/v1/cameras/{camera_id}",
        needs(P.MANAGE_CAMERAS),
        json={"position_notes": "Cột đèn"},
    ),
    Endpoint(
        "POST",
        "/api/v1/cameras/{camera_id}/state",
        needs(P.MANAGE_CAMERAS),
        json={"state": "out_of_service", "reason": "Hỏng nguồn"},
    ),
    Endpoint("POST", "/api/v1/cameras/{camera_id}/inspections", needs(P.MANAGE_CAMERAS), json={}),
    Endpoint("GET", "/api/v1/cameras/{camera_id}/inspections/current", needs(P.VIEW_CAMERAS)),
    Endpoint("GET", "/api/v1/cameras/{camera_id}/inspections", needs(P.VIEW_CAMERAS)),
    Endpoint(
        "GET",
        "/api/v1/cameras/{camera_id}/inspections/{inspection_id}",
        needs(P.VIEW_CAMERAS),
        allowed_answer=(404, "Biên bản kiểm tra 999 không tồn tại"),
    ),
    Endpoint(
        "POST",
        "/api/v1/cameras/{camera_id}/inspections/{inspection_id}/sign-off",
        needs(P.MANAGE_CAMERAS),
        json={"supplier": "Công ty An Phát"},
        allowed_answer=(404, "Biên bản kiểm tra 999 không tồn tại"),
    ),
    Endpoint(
        "GET",
        "/api/v1/cameras/{camera_id}/inspections/{inspection_id}/reference",
        needs(P.WATCH_LIVE),
        allowed_answer=(404, "Biên bản kiểm tra 999 không tồn tại"),
    ),
    Endpoint("GET", "/api/v1/audit", needs(P.READ_AUDIT)),
    Endpoint("GET", "/api/v1/audit/verify", needs(P.READ_AUDIT)),
    Endpoint(
        "GET", "/api/v1/roster", needs(P.MANAGE_ROSTER, P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS)
    ),
    Endpoint(
        "GET",
        "/api/v1/roster/gaps",
        needs(P.MANAGE_ROSTER, P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS),
    ),
    Endpoint(
        "POST",
        "/api/v1/roster/shifts",
        needs(P.MANAGE_ROSTER),
        json={
            "user_id": "{guard}",
            "starts_at": "2026-12-02T06:00:00+07:00",
            "ends_at": "2026-12-02T18:00:00+07:00",
        },
    ),
    Endpoint(
        "POST",
        "/api/v1/roster/weekly",
        needs(P.MANAGE_ROSTER),
        json={
            "user_id": "{guard}",
            "weekdays": [6],
            "start": "18:00",
            "end": "06:00",
            "first_day": "2026-12-14",
            "weeks": 1,
        },
    ),
    Endpoint(
        "POST",
        "/api/v1/roster/shifts/{shift_id}/cancel",
        needs(P.MANAGE_ROSTER),
        json={"reason": "Ốm"},
    ),
    Endpoint(
        "GET", "/api/v1/handovers", needs(P.MANAGE_ROSTER, P.HANDLE_ALERTS, P.RECEIVE_ESCALATIONS)
    ),
    Endpoint(
        "POST",
        "/api/v1/handovers",
        needs(P.HANDLE_ALERTS),
        json={"to_user_id": "{guard}", "happened": "Đêm yên tĩnh"},
    ),
    Endpoint("POST", "/api/v1/handovers/{handover_id}/sign", on_duty, json={"note": "Đã nhận"}),
    Endpoint(
        "GET",
        "/api/v1/reports/daily",
        needs(P.MANAGE_ROSTER, P.RECEIVE_ESCALATIONS),
        query="day=2026-11-25",
    ),
    Endpoint(
        "GET", "/api/v1/cameras/{camera_id}/timeline", needs(P.PLAY_BACK), query="day=2026-11-26"
    ),
    Endpoint(
        "GET",
        "/api/v1/cameras/{camera_id}/activity",
        needs(P.PLAY_BACK),
        query="since=2026-11-26T00:00:00%2B07:00&until=2026-11-27T00:00:00%2B07:00",
    ),
    Endpoint(
        "GET",
        "/api/v1/activity",
        needs(P.PLAY_BACK),
        query="since=2026-11-26T00:00:00%2B07:00&until=2026-11-27T00:00:00%2B07:00"
        "&hours=22:00-05:00&level=noticeable",
    ),
    Endpoint(
        "GET",
        "/api/v1/cameras/{camera_id}/playback",
        needs(P.PLAY_BACK),
        query="at=2026-11-26T08:00:01%2B07:00&reason=Ki%E1%BB%83m+tra",
    ),
    Endpoint(
        "POST",
        "/api/v1/exports",
        needs(P.EXPORT_FOOTAGE),
        json={
            "ranges": [
                {
                    "camera_id": "{camera}",
                    "start": "2026-01-04T01:00:00Z",
                    "end": "2026-01-04T01:00:03Z",
                }
            ],
            "reason": "Biên bản sự việc",
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/exports/{export_id}/download",
        needs(P.EXPORT_FOOTAGE),
        allowed_answer=(404, "Gói chứng cứ 999 không tồn tại"),
    ),
    Endpoint(
        "GET",
        "/api/v1/cameras/{camera_id}/live",
        needs(P.WATCH_LIVE),
        allowed_answer=(404, "không gửi hình ảnh"),
    ),
    Endpoint(
        "GET",
        "/api/v1/cameras/{camera_id}/snapshot",
        needs(P.WATCH_LIVE),
        allowed_answer=(404, "chưa gửi hình ảnh"),
    ),
    Endpoint("GET", "/api/v1/cameras/{camera_id}/analysis", needs(P.VIEW_CAMERAS)),
    Endpoint(
        "PATCH",
        "/api/v1/cameras/{camera_id}/analysis",
        needs(P.MANAGE_CAMERAS),
        json={"tamper_sensitivity": "low"},
    ),
    Endpoint(
        "POST",
        "/api/v1/cameras/{camera_id}/view-learning",
        needs(P.MANAGE_CAMERAS),
        json={"reason": "quay lại"},
        allowed_answer=(409, "chưa đưa vào sử dụng"),  # a draft camera
    ),
    Endpoint(
        "GET",
        "/api/v1/cameras/{camera_id}/events/{event_id}/snapshots/{which}",
        needs(P.WATCH_LIVE),
        allowed_answer=(404, "Sự kiện 999 không tồn tại"),
    ),
    Endpoint("DELETE", "/api/v1/cameras/{camera_id}", needs(P.MANAGE_CAMERAS)),
    Endpoint("DELETE", "/api/v1/zones/{zone_id}", needs(P.MANAGE_ZONES)),
    Endpoint("GET", "/api/v1/complaints", needs(P.HANDLE_COMPLAINTS)),
    Endpoint(
        "POST",
        "/api/v1/complaints",
        needs(P.FILE_COMPLAINT),
        json={
            "kind": "complaint",
            "name": "Trần Thị Mai",
            "contact": "0912345678",
            "subject": "Con tôi bị xô ngã",
            "description": "Ở cổng trường.",
        },
    ),
    *(
        Endpoint(
            "POST" if body is not None else "GET",
            path,
            needs(P.HANDLE_COMPLAINTS),
            json=body or None,
            allowed_answer=(404, "Khiếu nại 999 không tồn tại"),
        )
        for path, body in (
            ("/api/v1/complaints/{complaint_id}", None),
            ("/api/v1/complaints/{complaint_id}/assign", {"assignee_id": 1}),
            ("/api/v1/complaints/{complaint_id}/messages", {"body": "Nhà trường đang xem."}),
            ("/api/v1/complaints/{complaint_id}/progress", {}),
            ("/api/v1/complaints/{complaint_id}/decide", {"decision": "Đã xử lý."}),
        )
    ),
    Endpoint(
        "PUT",
        "/api/v1/me/password",
        anyone,
        json={"current_password": "{password}", "new_password": "Moi-Hon-2027!"},
    ),
]

# Deleting needs objects of its own, so the reads and edits above still find theirs.
SPARE = {
    "/cameras/{camera_id}/delete",
    "/zones/{zone_id}/delete",
    "/api/v1/cameras/{camera_id}",
    "/api/v1/zones/{zone_id}",
}


@dataclass
class World:
    zone: int
    spare_zone: int
    camera: int
    spare_camera: int
    user: int
    actor: Actor
    account: Account
    alert: int = 0  # an alert raised for the camera, to read, take and resolve
    guard: int = 0  # another guard, to plan shifts for and hand over to
    shift: int = 0  # a shift of that guard, to cancel
    handover: int = 999  # a handover to the actor when the actor is a guard, to sign
    cycle: int = 0  # an open review cycle, to bookmark in, check off and sign off
    bookmark: int = 0  # a bookmark of that cycle, to remove
    # Footage requests: one to approve then revoke, one to refuse, and a granted one whose
    # tracking code and secret link the public pages open.
    footage_request: int = 0
    spare_request: int = 0
    tracking: str = ""
    grant_token: str = ""


def _objects(installation: Installation, zone_id: int, tag: str) -> tuple[int, int, int, int]:
    """A camera to read and edit, a spare zone and camera to delete, and an alert of the camera:
    (camera, zone, camera, alert)."""
    with installation.database.transaction() as session:
        spare_zone = installation.zones.create(
            session,
            SYSTEM_ACTOR,
            name=f"Kho {tag}",
            kind="other",
            purposes=["equipment"],
            responsible_unit="Nhân viên CNTT",
        )
        camera, spare_camera = (
            installation.cameras.create(
                session,
                SYSTEM_ACTOR,
                name=f"{name} {tag}",
                zone_id=zone_id,
                main_url=f"rtsp://10.0.0.{n}/ch1",
            )
            for n, name in ((7, "Cổng chính"), (6, "Cổng cũ"))
        )
        alert = installation.alerts.raise_condition(
            session,
            kind="video_loss",
            severity=Severity.HIGH,
            summary=f"Mất tín hiệu {tag}",
            camera_id=camera.id,
            zone_id=zone_id,
        )
        ids = camera.id, spare_zone.id, spare_camera.id, alert.id
    _record_a_little(installation, camera.id)
    return ids


@functools.cache
def _footage_source() -> Path:
    return encode_test_video(Path(tempfile.mkdtemp()) / "matrix.mp4", seconds=4)


def _record_a_little(installation: Installation, camera_id: int) -> None:
    """Real footage for the camera (4 s from 01:00 UTC, 26/11/2026), so playback can play."""
    record_file(
        _footage_source(),
        installation.settings.recordings_dir,
        RecordingIndex(installation.database),
        camera_id,
        segment_seconds=60.0,
    )


def _world(installation: Installation, make_account: MakeAccount, role: Role) -> World:
    with installation.database.transaction() as session:
        zone_id = installation.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Cổng trường",
            kind="gate",
            purposes=["security"],
            responsible_unit="Tổ bảo vệ",
        ).id
    camera, spare_zone, spare_camera, alert = _objects(installation, zone_id, "trang")
    ids = (zone_id, spare_zone, camera, spare_camera)
    other = make_account("staff", username="nguoi.khac")
    account = make_account(role.value, username=f"thu.{role.value.replace('_', '-')}")
    with installation.database.reading() as session:
        user = installation.accounts.by_username(session, account.username)
        assert user is not None
        from camwarden.governance.accounts import actor_for

        actor = actor_for(user)
    world = World(*ids, user=other.id, actor=actor, account=account, alert=alert)
    world = _review_cycle(installation, world, first_day=datetime(2025, 12, 5, tzinfo=UTC))
    world = _footage_requests(installation, world)
    guard = make_account("security", username="bv.khac")
    return _duty(installation, replace(world, guard=guard.id), night=10)


def _duty(installation: Installation, world: World, *, night: int) -> World:
    """A night shift of the other guard (December `night`) to cancel, and a handover from that
    guard to the actor when the actor stands guard too."""
    from camwarden.governance.accounts import actor_for

    planner = replace(SYSTEM_ACTOR, role=Role.PRINCIPAL)
    with installation.database.transaction() as session:
        shift = installation.roster.add_shift(
            session,
            planner,
            user_id=world.guard,
            starts_at=datetime(2026, 12, night, 11, 0, tzinfo=UTC),
            ends_at=datetime(2026, 12, night, 23, 0, tzinfo=UTC),
        )
        handover = world.handover
        if on_duty(world.actor):
            guard = session.get(User, world.guard)
            assert guard is not None
            handover = installation.roster.write_handover(
                session, actor_for(guard), to_user_id=world.account.id, happened="Yên tĩnh"
            ).id
        return replace(world, shift=shift.id, handover=handover)


def _review_cycle(installation: Installation, world: World, *, first_day: datetime) -> World:
    """An open 15-day review cycle from `first_day` (school midnight) with a bookmark of the
    world's camera."""
    from datetime import timedelta

    from camwarden.storage.models import ReviewCycle

    start = first_day - timedelta(hours=7)
    with installation.database.transaction() as session:
        cycle = ReviewCycle(
            period_start=start,
            period_end=start + timedelta(days=15),
            opened_at=start + timedelta(days=15),
            due_at=start + timedelta(days=20),
            status="open",
        )
        session.add(cycle)
        session.flush()
        bookmark = installation.reviews.add_bookmark(
            session,
            replace(SYSTEM_ACTOR, role=Role.BOARD),
            cycle.id,
            camera_id=world.camera,
            start_at=start + timedelta(hours=9),
            end_at=start + timedelta(hours=10),
            note="Xe lạ",
        )
        return replace(world, cycle=cycle.id, bookmark=bookmark.id)


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        filled = values[value[1:-1]]
        return int(filled) if filled.isdigit() else filled
    return value


def _url(endpoint: Endpoint, world: World, token_id: int) -> str:
    spare = endpoint.path in SPARE and endpoint.method in ("POST", "DELETE")
    return endpoint.path.format(
        locale="en",
        user_id=world.user,
        zone_id=world.spare_zone if spare else world.zone,
        camera_id=world.spare_camera if spare else world.camera,
        token_id=token_id,
        export_id=999,
        incident_id=999,
        clip_id=999,
        inspection_id=999,
        event_id=999,
        which="before",
        alert_id=world.alert,
        shift_id=world.shift,
        handover_id=world.handover,
        complaint_id=999,
        attachment_id=999,
        cycle_id=world.cycle,
        bookmark_id=world.bookmark,
        request_id=world.spare_request
        if endpoint.path.endswith("/refuse")
        else world.footage_request,
        token=world.grant_token,
        index=999,
    ) + (f"?{endpoint.query}" if endpoint.query else "")


def _own_token(installation: Installation, world: World, name: str) -> int:
    from camwarden.governance.accounts import actor_for

    with installation.database.transaction() as session:
        user = installation.accounts.by_username(session, world.account.username)
        assert user is not None
        token, _plain = installation.authentication.create_api_token(session, actor_for(user), name)
        return token.id


def _check(endpoint: Endpoint, status: int, world: World, role: Role, text: str = "") -> str | None:
    allowed = endpoint.rule(world.actor)
    where = f"{role.value} {endpoint.method} {endpoint.path} → {status}"
    if allowed and endpoint.allowed_answer is not None:
        expected_status, words = endpoint.allowed_answer
        if status == expected_status and words in text:
            return None
    if allowed and not (200 <= status < 400):
        return f"allowed but refused or failed: {where}"
    if not allowed and status not in (403, 404):
        return f"should be refused: {where}"
    return None


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_role_is_allowed_exactly_what_the_role_table_gives_it(
    role: Role,
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    log_in: Callable[[Account], dict[str, str]],
) -> None:
    world = _world(installation, make_account, role)
    client.app.state.live = LiveHub()  # type: ignore[attr-defined]  # recording, no video yet
    problems: list[str] = []

    csrf = log_in(world.account)["X-CSRF-Token"]
    page_token = _own_token(installation, world, "revoke me (page)")
    values = {
        "zone": str(world.zone),
        "password": world.account.password,
        "csrf": csrf,
        "guard": str(world.guard),
        "camera": str(world.camera),
        "tracking": world.tracking,
    }
    for endpoint in PAGES:
        url = _url(endpoint, world, page_token)
        if endpoint.method == "GET":
            response = client.get(url, follow_redirects=False)
        else:
            form = {k: _fill(v, values) for k, v in endpoint.form.items()}
            if endpoint.path == "/login":
                # The login form carries its own token; a fresh page gives one.
                continue
            response = client.post(url, data={**form, "csrf_token": csrf}, follow_redirects=False)
        problem = _check(endpoint, response.status_code, world, role, response.text)
        if problem:
            problems.append(problem)
    client.cookies.clear()

    api_token = _own_token(installation, world, "revoke me (api)")
    world = _world_after_pages(installation, world)
    for endpoint in API:
        url = _url(endpoint, world, api_token)
        body = (
            {
                k: _fill(v, {**values, "password": "Moi-Hon-2026!", "camera": str(world.camera)})
                for k, v in endpoint.json.items()
            }
            if endpoint.json is not None
            else None
        )
        if endpoint.stream:
            with client.stream(endpoint.method, url, headers=world.account.headers) as streamed:
                status, text = streamed.status_code, "" if streamed.is_success else streamed.read()
            problem = _check(endpoint, status, world, role, str(text))
            if problem:
                problems.append(problem)
            continue
        response = client.request(endpoint.method, url, json=body, headers=world.account.headers)
        problem = _check(endpoint, response.status_code, world, role, response.text)
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


def _world_after_pages(installation: Installation, world: World) -> World:
    """The page run changed the camera and deleted the spares for the roles allowed to: the API
    run gets objects of its own."""
    camera, spare_zone, spare_camera, alert = _objects(installation, world.zone, "api")
    fresh = replace(
        world, camera=camera, spare_zone=spare_zone, spare_camera=spare_camera, alert=alert
    )
    fresh = _review_cycle(installation, fresh, first_day=datetime(2025, 12, 20, tzinfo=UTC))
    return _duty(installation, _footage_requests(installation, fresh), night=11)


def _footage_requests(installation: Installation, world: World) -> World:
    """Three requests from outside for the camera: pending, pending, and one granted."""
    from datetime import timedelta

    board = replace(SYSTEM_ACTOR, role=Role.BOARD, username="hd.matrix")
    end = installation.clock.now() - timedelta(hours=1)
    filed = []
    with installation.database.transaction() as session:
        for _ in range(3):
            filed.append(
                installation.requests.file(
                    session,
                    actor=None,
                    name="Trần Thị Hoa",
                    contact="0912 345 678",
                    organisation="",
                    purpose="Xem lại vụ ngã ở cổng",
                    access="watch",
                    camera_ids=[world.camera],
                    footage_start=end - timedelta(minutes=30),
                    footage_end=end,
                )
            )
        granted = installation.requests.approve(
            session, board, filed[2].request.id, reason="", valid_days=5
        )
    assert granted.link_token is not None
    return replace(
        world,
        footage_request=filed[0].request.id,
        spare_request=filed[1].request.id,
        tracking=filed[2].tracking_code,
        grant_token=granted.link_token,
    )


def test_the_matrix_covers_every_page_and_every_api_operation(app: FastAPI) -> None:
    routed = {
        (method, route.path)
        for route in page_router.routes
        for method in getattr(route, "methods", set())
        if method != "HEAD"
    }
    for path, operations in app.openapi()["paths"].items():
        routed |= {(method.upper(), path) for method in operations}
    listed = {(e.method, e.path) for e in PAGES + API}
    assert routed - listed == set(), f"endpoints missing from the matrix: {routed - listed}"
    assert listed - routed == set(), f"matrix rows with no endpoint: {listed - routed}"


# The regulation's division of duties, written out so that any change to the role table is a
# deliberate one that shows up here (the matrix above derives its expectations from the table).
EXPECTED_ROLE_TABLE: dict[str, set[str]] = {
    "admin": {
        "view_cameras",
        "manage_cameras",
        "manage_zones",
        "manage_users",
        "override_camera_service",
        "read_audit",
    },
    "principal": {
        "view_cameras",
        "watch_live",
        "play_back",
        "export_footage",
        "delete_footage",
        "lock_evidence",
        "manage_zones",
        "approve_requests",
        "read_audit",
        "manage_roster",
        "handle_alerts",
        "receive_escalations",
        "report_problems",
        "file_complaint",
        "request_footage",
        "manage_incidents",
        "review_footage",
        "sign_off_reviews",
        "handle_complaints",
    },
    "board": {
        "view_cameras",
        "watch_live",
        "play_back",
        "export_footage",
        "lock_evidence",
        "approve_requests",
        "read_audit",
        "handle_alerts",
        "receive_escalations",
        "report_problems",
        "file_complaint",
        "request_footage",
        "manage_incidents",
        "review_footage",
        "sign_off_reviews",
        "handle_complaints",
    },
    "security_lead": {
        "view_cameras",
        "watch_live",
        "play_back",
        "export_footage",
        "lock_evidence",
        "manage_roster",
        "handle_alerts",
        "receive_escalations",
        "report_problems",
        "file_complaint",
        "request_footage",
        "manage_incidents",
        "review_footage",
    },
    "security": {
        "view_cameras",
        "watch_live",
        "play_back",
        "handle_alerts",
        "report_problems",
        "file_complaint",
        "request_footage",
    },
    "it": {
        "view_cameras",
        "watch_live",
        "manage_cameras",
        "handle_alerts",
        "report_problems",
        "file_complaint",
        "request_footage",
    },
    "finance": {
        "view_cameras",
        "manage_budget",
        "report_problems",
        "file_complaint",
        "request_footage",
    },
    "staff": {"report_problems", "file_complaint", "request_footage"},
    "external": {"request_footage"},
}


def test_the_role_table_is_the_division_of_duties_the_regulation_asks_for() -> None:
    from camwarden.governance.roles import ROLE_PERMISSIONS

    actual = {role.value: {p.value for p in perms} for role, perms in ROLE_PERMISSIONS.items()}
    assert actual == EXPECTED_ROLE_TABLE
