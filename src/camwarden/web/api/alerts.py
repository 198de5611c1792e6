"""Alerts of the guard room (R-2.3, R-7.1): the open ones, one with its history, a report filed
by hand, taking and resolving. The stream that keeps a console current is `alert_stream.py`.

Labels (kind, severity, state, escalation level) and school-time moments come in the caller's
language, so that a console or a script shows them as they are without a table of its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import timedelta
from enum import StrEnum
from typing import Annotated

from fastapi import Query
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden import i18n
from camwarden.governance.alerts import (
    ALERT_KIND_LABELS,
    ALERT_STATE_LABELS,
    MAX_NOTE,
    MAX_SUMMARY,
    SEVERITY_LABELS,
    AlertState,
    Severity,
)
from camwarden.governance.authorization import Actor, can
from camwarden.governance.escalation import ESCALATION_LEVEL_LABELS, EscalationLevel
from camwarden.governance.roles import Permission
from camwarden.installation import Installation
from camwarden.storage.models import Alert, Camera, CameraEvent, Zone
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, _id_parameter, resource_router
from camwarden.web.api._types import Id, UtcOutput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/alerts", "alerts")

AlertId = Annotated[int, _id_parameter("The alert's id.")]

# Resolved alerts of these last days are listed with ?state=resolved.
RESOLVED_DAYS = 7


class AlertListState(StrEnum):
    OPEN = "open"
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AlertOut(ResponseBody):
    id: int
    kind: str = Field(description="covered, video_loss, guard_report, disk_forecast, …")
    kind_label: str = Field(description="The kind in the caller's language.")
    severity: Severity
    severity_label: str
    state: AlertState
    state_label: str
    camera_id: int | None
    camera_name: str | None
    zone_id: int | None
    zone_name: str | None
    summary: str
    raised_at: UtcOutput
    raised_at_local: str = Field(description="dd/mm/yyyy HH:MM in school time.")
    raised_by: str
    last_seen_at: UtcOutput
    repeats: int = Field(description="Further events of the same condition folded into it.")
    condition_ended_at: UtcOutput | None = Field(
        description="When the observed condition went away; a person still resolves it."
    )
    escalation_level: int = Field(description="0 zone's people, 1 head of security, 2 board.")
    escalation_label: str
    escalated_at: UtcOutput | None
    acknowledged_at: UtcOutput | None
    acknowledged_by: str | None
    acknowledgement_note: str
    resolved_at: UtcOutput | None
    resolved_by: str | None
    outcome: str
    incident_reference: str
    source_event_id: int | None = Field(description="The camera event that raised it.")


class AlertList(ResponseBody):
    items: list[AlertOut] = Field(description="Waiting first, then the most severe, newest.")


class HistoryEntryOut(ResponseBody):
    at: UtcOutput
    actor: str
    action: str = Field(examples=["alert.acknowledge"])
    details: dict[str, object]


class NotificationOut(ResponseBody):
    at: UtcOutput
    person: str
    target: str = Field(description="Redacted: the service and place, never a secret.")
    reason: str = Field(description="raised, escalated_1 or escalated_2.")
    ok: bool


class AlertDetailOut(AlertOut):
    snapshot_before: str | None = Field(
        description="Where the camera event's picture before it is served, if any."
    )
    snapshot_after: str | None
    history: list[HistoryEntryOut] = Field(description="The audit entries of this alert.")
    notifications: list[NotificationOut] = Field(description="Messages sent about it.")


class AlertReport(RequestBody):
    summary: str = Field(
        min_length=1, max_length=MAX_SUMMARY, examples=["Người lạ trèo tường phía sau"]
    )
    severity: Severity = Severity.MEDIUM
    camera_id: Id | None = Field(None, description="The camera concerned, if any.")


class AlertAcknowledge(RequestBody):
    note: str = Field("", max_length=MAX_NOTE, examples=["Đang ra cổng xem"])


class AlertResolve(RequestBody):
    outcome: str = Field(
        min_length=1, max_length=MAX_NOTE, examples=["Gió làm lệch camera, đã chỉnh lại"]
    )
    incident_reference: str = Field("", max_length=100, examples=["VV-2026-014"])


# -- presentation ----------------------------------------------------------------------------


def _names(session: Session, alerts: Sequence[Alert]) -> tuple[dict[int, str], dict[int, str]]:
    camera_ids = {a.camera_id for a in alerts if a.camera_id is not None}
    zone_ids = {a.zone_id for a in alerts if a.zone_id is not None}
    cameras = (
        {
            row.id: row.name
            for row in session.execute(
                select(Camera.id, Camera.name).where(Camera.id.in_(camera_ids))
            )
        }
        if camera_ids
        else {}
    )
    zones = (
        {
            row.id: row.name
            for row in session.execute(select(Zone.id, Zone.name).where(Zone.id.in_(zone_ids)))
        }
        if zone_ids
        else {}
    )
    return cameras, zones


def alert_fields(alert: Alert, cameras: dict[int, str], zones: dict[int, str]) -> dict[str, object]:
    gettext = i18n.gettext
    return {
        "id": alert.id,
        "kind": alert.kind,
        "kind_label": gettext(ALERT_KIND_LABELS.get(alert.kind, alert.kind)),
        "severity": Severity(alert.severity),
        "severity_label": gettext(SEVERITY_LABELS[Severity(alert.severity)]),
        "state": AlertState(alert.state),
        "state_label": gettext(ALERT_STATE_LABELS[AlertState(alert.state)]),
        "camera_id": alert.camera_id,
        "camera_name": cameras.get(alert.camera_id) if alert.camera_id else None,
        "zone_id": alert.zone_id,
        "zone_name": zones.get(alert.zone_id) if alert.zone_id else None,
        "summary": alert.summary,
        "raised_at": alert.raised_at,
        "raised_at_local": i18n.format_datetime(alert.raised_at),
        "raised_by": alert.raised_by,
        "last_seen_at": alert.last_seen_at,
        "repeats": alert.repeats,
        "condition_ended_at": alert.condition_ended_at,
        "escalation_level": alert.escalation_level,
        "escalation_label": gettext(
            ESCALATION_LEVEL_LABELS[EscalationLevel(alert.escalation_level)]
        ),
        "escalated_at": alert.escalated_at,
        "acknowledged_at": alert.acknowledged_at,
        "acknowledged_by": alert.acknowledged_by,
        "acknowledgement_note": alert.acknowledgement_note,
        "resolved_at": alert.resolved_at,
        "resolved_by": alert.resolved_by,
        "outcome": alert.outcome,
        "incident_reference": alert.incident_reference,
        "source_event_id": alert.source_event_id,
    }


def alert_list(session: Session, alerts: Sequence[Alert]) -> list[AlertOut]:
    cameras, zones = _names(session, alerts)
    return [AlertOut.model_validate(alert_fields(a, cameras, zones)) for a in alerts]


def listed_alerts(
    inst: Installation, session: Session, actor: Actor, state: AlertListState
) -> Sequence[Alert]:
    """The alerts a list shows: the open ones (or one open state), or those resolved lately."""
    inst.alerts.require_reader(actor)
    if state is AlertListState.RESOLVED:
        since = inst.clock.now() - timedelta(days=RESOLVED_DAYS)
        recent = inst.alerts.recent(session, actor, since)
        return [a for a in recent if a.state == AlertState.RESOLVED.value]
    open_alerts = inst.alerts.open_alerts(session, actor)
    if state is AlertListState.OPEN:
        return open_alerts
    return [a for a in open_alerts if a.state == state.value]


def event_snapshot_urls(
    session: Session, actor: Actor, alert: Alert
) -> tuple[str | None, str | None]:
    """The camera event's pictures, for who may see the camera's live snapshot (as served)."""
    if alert.source_event_id is None or alert.camera_id is None:
        return None, None
    if not can(actor, Permission.WATCH_LIVE, alert.zone_id):
        return None, None
    event = session.get(CameraEvent, alert.source_event_id)
    if event is None:
        return None, None
    base = f"/api/v1/cameras/{alert.camera_id}/events/{event.id}/snapshots"
    return (
        f"{base}/before" if event.snapshot_before else None,
        f"{base}/after" if event.snapshot_after else None,
    )


def alert_detail(
    inst: Installation, session: Session, actor: Actor, alert_id: int
) -> AlertDetailOut:
    alert = inst.alerts.get(session, actor, alert_id)
    history = inst.alerts.history(session, actor, alert_id)
    cameras, zones = _names(session, [alert])
    before, after = event_snapshot_urls(session, actor, alert)
    return AlertDetailOut.model_validate(
        {
            **alert_fields(alert, cameras, zones),
            "snapshot_before": before,
            "snapshot_after": after,
            "history": [
                HistoryEntryOut(
                    at=entry.at,
                    actor=entry.actor,
                    action=entry.action,
                    details=_details(entry.details),
                )
                for entry in history.entries
            ],
            "notifications": [
                NotificationOut(
                    at=sent.at,
                    person=sent.person,
                    target=sent.target,
                    reason=sent.reason,
                    ok=sent.ok,
                )
                for sent in history.notifications
            ],
        }
    )


def _details(text: str) -> dict[str, object]:
    try:
        parsed = json.loads(text)
    except ValueError:
        return {"text": text}
    return parsed if isinstance(parsed, dict) else {"value": parsed}


# -- routes ----------------------------------------------------------------------------------


@router.get("", response_model=AlertList, name="list_alerts")
def list_alerts(
    inst: Inst,
    caller: ApiCaller,
    state: Annotated[
        AlertListState,
        Query(description="open (default): raised and acknowledged; resolved: the last 7 days."),
    ] = AlertListState.OPEN,
) -> AlertList:
    """Alerts the caller may see: those of their zones, and those escalated to them."""
    with inst.database.reading() as session:
        alerts = listed_alerts(inst, session, caller.actor, state)
        return AlertList(items=alert_list(session, alerts))


@router.post(
    "", response_model=AlertOut, status_code=201, responses=NOT_FOUND, name="report_problem"
)
def report_problem(body: AlertReport, inst: Inst, caller: ApiCaller) -> AlertOut:
    """A problem seen by a person ("stranger at the gate", "camera B2 hanging loose"); anyone
    working at the school may report; a camera named must be one the caller may see."""
    with inst.database.transaction() as session:
        if body.camera_id is not None:
            inst.cameras.get(session, caller.actor, body.camera_id)
        alert = inst.alerts.report(
            session,
            caller.actor,
            summary=body.summary,
            severity=body.severity.value,
            camera_id=body.camera_id,
        )
        return alert_list(session, [alert])[0]


@router.get("/{alert_id}", response_model=AlertDetailOut, responses=NOT_FOUND, name="get_alert")
def get_alert(alert_id: AlertId, inst: Inst, caller: ApiCaller) -> AlertDetailOut:
    """One alert with its history: transitions from the audit log, messages sent."""
    with inst.database.reading() as session:
        return alert_detail(inst, session, caller.actor, alert_id)


@router.post(
    "/{alert_id}/acknowledge",
    response_model=AlertOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="acknowledge_alert",
)
def acknowledge_alert(
    alert_id: AlertId, body: AlertAcknowledge, inst: Inst, caller: ApiCaller
) -> AlertOut:
    """Take a waiting alert: it stops escalating and the others see who has it."""
    with inst.database.transaction() as session:
        alert = inst.alerts.acknowledge(session, caller.actor, alert_id, body.note)
        return alert_list(session, [alert])[0]


@router.post(
    "/{alert_id}/resolve",
    response_model=AlertOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="resolve_alert",
)
def resolve_alert(alert_id: AlertId, body: AlertResolve, inst: Inst, caller: ApiCaller) -> AlertOut:
    """Close an alert with its outcome (and an incident's reference, if one was opened)."""
    with inst.database.transaction() as session:
        alert = inst.alerts.resolve(
            session,
            caller.actor,
            alert_id,
            outcome=body.outcome,
            incident_reference=body.incident_reference,
        )
        return alert_list(session, [alert])[0]
