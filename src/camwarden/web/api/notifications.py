"""One's own notification settings (R-7.1): how the caller is told of alerts outside the
browser (e-mail, Apprise addresses, the lowest severity sent, quiet hours)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from sqlalchemy.orm import Session

from camwarden.governance.alerts import Severity
from camwarden.installation import Installation
from camwarden.web.api._routing import resource_router
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/me/notifications", "me")


class NotificationSettingsOut(ResponseBody):
    email_enabled: bool
    email: str | None = Field(description="The account's e-mail address, if it has one.")
    extra_targets: list[str] = Field(description="Apprise addresses, redacted.")
    min_severity: Severity = Field(description="Lower severities are not sent.")
    quiet_hours: str = Field(description="'22:00-06:00' or '' for none.")


class NotificationSettingsIn(RequestBody):
    email_enabled: bool = True
    extra_targets: list[Annotated[str, Field(max_length=1000)]] | None = Field(
        None,
        max_length=20,
        description="Replaces the stored addresses (all of them, written out again: the "
        "stored ones are never shown); left out, the stored ones stay; [] removes them.",
        examples=[["tgram://BOT_TOKEN/CHAT_ID"]],
    )
    min_severity: Severity = Severity.HIGH
    quiet_hours: str = Field(
        "",
        max_length=20,
        description="School-time hours with nothing but critical alerts, e.g. '22:00-06:00'.",
    )


def notification_settings(
    inst: Installation, session: Session, caller_user_id: int, email: str | None
) -> NotificationSettingsOut:
    preference = inst.notifications.of(session, caller_user_id)
    return NotificationSettingsOut(
        email_enabled=preference.email_enabled,
        email=email or None,
        extra_targets=inst.notifications.shown(preference),
        min_severity=preference.min_severity,
        quiet_hours=str(preference.quiet_hours) if preference.quiet_hours else "",
    )


@router.get("", response_model=NotificationSettingsOut, name="get_my_notifications")
def get_my_notifications(inst: Inst, caller: ApiCaller) -> NotificationSettingsOut:
    """How the caller is told of alerts outside the browser."""
    with inst.database.reading() as session:
        return notification_settings(inst, session, caller.user.id, caller.user.email)


@router.put("", response_model=NotificationSettingsOut, name="set_my_notifications")
def set_my_notifications(
    body: NotificationSettingsIn, inst: Inst, caller: ApiCaller
) -> NotificationSettingsOut:
    """Set one's own: e-mail on or off, extra addresses, lowest severity, quiet hours.
    Critical alerts come through whatever is set here."""
    with inst.database.transaction() as session:
        targets = (
            inst.notifications.of(session, caller.user.id).extra_targets
            if body.extra_targets is None
            else body.extra_targets
        )
        inst.notifications.set_own(
            session,
            caller.actor,
            email_enabled=body.email_enabled,
            extra_targets=targets,
            min_severity=body.min_severity.value,
            quiet_hours=body.quiet_hours,
        )
        return notification_settings(inst, session, caller.user.id, caller.user.email)
