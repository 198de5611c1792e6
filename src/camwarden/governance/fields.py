"""What each input field is called in messages, so that a user reads "Họ và tên", not
"full_name". Shared by the domain's checks and the adapters' own input checks."""

from __future__ import annotations

from camwarden.errors import Translatable
from camwarden.i18n import N_

# What each input field is called in messages, so that a user reads "Họ tên", not "full_name".
FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "full_name": N_("Full name"),
    "username": N_("Username"),
    "email": N_("E-mail"),
    "password": N_("Password"),
    "responsible_unit": N_("Responsible unit"),
    "description": N_("Description"),
    "position_notes": N_("Position notes"),
    "retention_days": N_("Retention (days)"),
    "main_url": N_("Main stream address"),
    "sub_url": N_("Sub stream address"),
    "reason": N_("Reason"),
    "approval_reference": N_("Approval reference"),
    "role": N_("Role"),
    "kind": N_("Kind"),
    "purposes": N_("Purposes"),
    "state": N_("State"),
    "zone_id": N_("Zone"),
    "zone_ids": N_("Zones"),
    "assignee_ids": N_("People assigned"),
    "all_zones": N_("All zones"),
    "is_active": N_("Account is active"),
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "confirm_password": N_("New password again"),
    "since": N_("From"),
    "until": N_("To"),
    "limit": N_("How many"),
    "offset": N_("Skip"),
    "actor": N_("Who"),
    "action": N_("Action"),
    # Activity search.
    "camera_id": N_("Camera"),
    "hours": N_("Hours of the day"),
    "level": N_("Minimum activity"),
    "min_minutes": N_("Minimum duration (minutes)"),
    "points": N_("Points"),
    "order": N_("Order"),
    "where": N_("Camera or zone"),
    "hour_from": N_("From hour"),
    "hour_to": N_("To hour"),
    "summary": N_("What happened"),
    "severity": N_("Severity"),
    "note": N_("Note"),
    "outcome": N_("Outcome"),
    "incident_reference": N_("Incident reference"),
    "targets": N_("Notification addresses"),
    "quiet_hours": N_("Quiet hours"),
    "min_severity": N_("Lowest severity to notify"),
    "weekdays": N_("Days of the week"),
    "weeks": N_("Weeks"),
    "to_user_id": N_("Guard taking over"),
    "happened": N_("What happened"),
    "pending": N_("Still pending"),
    "post": N_("Post"),
    "user_id": N_("Guard"),
    "starts_at": N_("Start"),
    "ends_at": N_("End"),
    # Footage requests.
    "requester_name": N_("Your name"),
    "contact": N_("Phone or e-mail"),
    "organisation": N_("Organisation"),
    "purpose": N_("Purpose"),
    "access": N_("What you need"),
    "camera_ids": N_("Cameras"),
    "footage_start": N_("Footage from"),
    "footage_end": N_("Footage to"),
    "valid_days": N_("Valid for (days)"),
    "tracking_code": N_("Tracking code"),
}


def field_label(field: str) -> Translatable:
    return Translatable(FIELD_LABELS.get(field, field))
