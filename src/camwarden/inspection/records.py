"""An inspection as the school keeps it: its kinds and verdicts, the plan `Inspections.run`
follows and the outcome it returns, and a stored record read back (its checks, measurements,
drift, and the acceptance a camera is in service under)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.i18n import N_
from camwarden.inspection.checks import Check, failed
from camwarden.inspection.profiles import Profile
from camwarden.storage.models import Camera, Inspection

ACCEPTANCE = "acceptance"
REINSPECTION = "reinspection"
PASSED = "passed"
FAILED = "failed"
KIND_LABELS = {ACCEPTANCE: N_("Acceptance"), REINSPECTION: N_("Re-inspection")}
VERDICT_LABELS = {PASSED: N_("Passed"), FAILED: N_("Failed")}
REFERENCE_DIR = "inspections"


@dataclass(frozen=True)
class InspectionPlan:
    """What `run` needs, read from the register; the login lives only in memory."""

    camera_id: int
    camera_name: str
    zone_kind: str
    url: str
    username: str | None = field(repr=False)
    password: str | None = field(repr=False)
    profile: Profile
    kind: str
    onvif_address: str | None
    reference_jpeg: bytes | None = field(default=None, repr=False)
    accepted_measurements: dict[str, Any] | None = None
    # Why an accepted camera is accepted again (re-aimed on purpose, replaced): a new
    # reference view instead of drift against the old one.
    new_acceptance_reason: str = ""

    @property
    def authenticated_url(self) -> str:
        if not self.username:
            return self.url
        parts = urlsplit(self.url)
        userinfo = f"{quote(self.username, safe='')}:{quote(self.password or '', safe='')}"
        return urlunsplit((parts.scheme, f"{userinfo}@{parts.netloc}", parts.path, parts.query, ""))


@dataclass(frozen=True)
class InspectionOutcome:
    measurements: dict[str, Any] | None
    reference_jpeg: bytes | None
    checks: list[Check]
    drift: dict[str, Any] | None

    @property
    def verdict(self) -> str:
        return FAILED if failed(self.checks) else PASSED


def valid_acceptance(session: Session, camera: Camera) -> Inspection | None:
    """The camera's passed, signed-off acceptance for its present stream address, if any; the
    newest, when a camera re-aimed on purpose was accepted again (its reference view then)."""
    return session.scalars(
        select(Inspection)
        .where(
            Inspection.camera_id == camera.id,
            Inspection.kind == ACCEPTANCE,
            Inspection.verdict == PASSED,
            Inspection.signed_off_at.is_not(None),
            Inspection.stream_url == camera.main_url,
        )
        .order_by(Inspection.signed_off_at.desc(), Inspection.id.desc())
    ).first()


def checks_of(inspection: Inspection) -> list[Check]:
    return [Check.from_json(item) for item in json.loads(inspection.checks)]


def measurements_of(inspection: Inspection) -> dict[str, Any] | None:
    return json.loads(inspection.measurements) if inspection.measurements else None


def drift_of(inspection: Inspection) -> dict[str, Any] | None:
    return json.loads(inspection.drift) if inspection.drift else None
