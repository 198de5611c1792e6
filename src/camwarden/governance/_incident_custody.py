"""The links of an incident's chain of custody, written by the incident service and by the
evidence export alike (so neither needs the other to record a copy of the footage)."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from camwarden.i18n import N_
from camwarden.storage.models import CustodyEvent


class CustodyAction(StrEnum):
    CLIP_ADDED = "clip_added"
    CLIP_REMOVED = "clip_removed"
    VIEWED = "viewed"
    EXPORTED = "package_exported"
    DOWNLOADED = "package_downloaded"
    RECORD_PRINTED = "record_printed"
    HANDED_OVER = "handed_over"
    VERIFIED = "package_verified"


CUSTODY_ACTION_LABELS: dict[str, str] = {
    CustodyAction.CLIP_ADDED: N_("Clip added"),
    CustodyAction.CLIP_REMOVED: N_("Clip removed"),
    CustodyAction.VIEWED: N_("Footage viewed"),
    CustodyAction.EXPORTED: N_("Evidence package exported"),
    CustodyAction.DOWNLOADED: N_("Evidence package downloaded"),
    CustodyAction.RECORD_PRINTED: N_("Written record printed"),
    CustodyAction.HANDED_OVER: N_("Handed over"),
    CustodyAction.VERIFIED: N_("Evidence package verified"),
}


def write_custody(
    session: Session,
    *,
    incident_id: int,
    actor: str,
    action: CustodyAction,
    details: dict[str, Any],
    now: datetime,
) -> CustodyEvent:
    event = CustodyEvent(
        incident_id=incident_id,
        at=now,
        actor=actor[:64],
        action=action.value,
        details=json.dumps(details, ensure_ascii=False, sort_keys=True),
    )
    session.add(event)
    session.flush()
    return event
