"""The words a footage request is written in: its states and the labels the pages show for
them, its kinds of access and its history, whether it waits for a second approval, and who
counts as outside the school. Shared by the service, its helpers and its pages."""

from __future__ import annotations

from camwarden.governance.roles import Role
from camwarden.i18n import N_
from camwarden.storage.models import FootageRequest, User

# What a request's audit entries are written on, and the prefix of its public reference.
AUDIT_TARGET = "footage_request"
REFERENCE_PREFIX = "YC"


class RequestStatus:
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATUS_LABELS: dict[str, str] = {
    RequestStatus.PENDING: N_("Waiting for the Board's decision"),
    RequestStatus.APPROVED: N_("Approved"),
    RequestStatus.REFUSED: N_("Refused"),
    RequestStatus.WITHDRAWN: N_("Withdrawn"),
}
ACCESS_LABELS: dict[str, str] = {
    "watch": N_("Watch the footage"),
    "copy": N_("Receive a copy"),
}
WAITING_FOR_SECOND = N_("Waiting for a second board member's approval")
# A request's history, as the Board reads it on the request's page.
HISTORY_LABELS: dict[str, str] = {
    "footage_request.filed": N_("Request filed"),
    "footage_request.first_approval": N_("First approval (a second is needed for a copy)"),
    "footage_request.approved": N_("Approved; grant made"),
    "footage_request.refused": N_("Refused"),
    "footage_request.withdrawn": N_("Withdrawn by the requester"),
    "footage_request.revoked": N_("Grant withdrawn by the Board"),
    "footage_request.playback": N_("Footage played back under the grant"),
    "footage_request.link_view": N_("Grant page opened with the secret link"),
    "footage_request.link_play": N_("Clip played with the secret link"),
    "footage_request.link_download": N_("Copy downloaded with the secret link"),
    "grant.expired": N_("Grant expired"),
}
PUBLIC_ACTOR_LABEL = N_("The requester (no account)")


def is_outsider(user: User | None) -> bool:
    """Someone outside the school: no account, or an account for an outside person. Their
    copies and views hide the people filmed (children's images)."""
    return user is None or user.role == Role.EXTERNAL.value


def waiting_for_second(request: FootageRequest) -> bool:
    """A copy approved once, still pending: a second board member must approve it."""
    return request.status == RequestStatus.PENDING and request.first_approval_by is not None
