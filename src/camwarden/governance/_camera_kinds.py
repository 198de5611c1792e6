"""The words a camera is written in: its service states with their labels, the moves between
them the register allows, and the limits of its retention. Shared by the service, its helpers,
the recorder, retention and the pages."""

from __future__ import annotations

from enum import StrEnum

from camwarden.i18n import N_

DEFAULT_RETENTION_DAYS = 30
# Ten years: beyond that a number is a typo, and archived footage is kept by the review's
# archive, not by continuous retention.
MAX_RETENTION_DAYS = 3650


class CameraState(StrEnum):
    DRAFT = "draft"
    IN_SERVICE = "in_service"
    OUT_OF_SERVICE = "out_of_service"


CAMERA_STATE_LABELS: dict[CameraState, str] = {
    CameraState.DRAFT: N_("Draft (not yet accepted)"),
    CameraState.IN_SERVICE: N_("In service"),
    CameraState.OUT_OF_SERVICE: N_("Out of service"),
}

ALLOWED_TRANSITIONS: dict[CameraState, frozenset[CameraState]] = {
    CameraState.DRAFT: frozenset({CameraState.IN_SERVICE, CameraState.OUT_OF_SERVICE}),
    CameraState.IN_SERVICE: frozenset({CameraState.OUT_OF_SERVICE}),
    CameraState.OUT_OF_SERVICE: frozenset({CameraState.IN_SERVICE}),
}
