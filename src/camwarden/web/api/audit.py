"""The audit log: read it (filtered, paged) and verify its hash chain (R-4.4)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Query

from camwarden.governance.audit import verify_chain
from camwarden.governance.authorization import require
from camwarden.governance.roles import Permission
from camwarden.storage.models import AuditEntry
from camwarden.web.api._routing import resource_router
from camwarden.web.api._types import UtcInput
from camwarden.web.api.schemas import AuditEntryOut, AuditPage, ChainReportOut
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/audit", "audit")

MAX_PAGE = 500
MAX_OFFSET = 10**9


def _details(raw: str) -> dict[str, Any]:
    parsed = json.loads(raw) if raw else {}
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def entry_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(
        seq=entry.seq,
        at=entry.at,
        actor_user_id=entry.actor_user_id,
        actor=entry.actor,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        details=_details(entry.details),
        ip=entry.ip,
        prev_hash=entry.prev_hash,
        entry_hash=entry.entry_hash,
    )


@router.get("", response_model=AuditPage, name="list_audit_entries")
def list_audit_entries(
    inst: Inst,
    caller: ApiCaller,
    actor: Annotated[
        str | None, Query(max_length=64, description="Only entries by this username.")
    ] = None,
    action: Annotated[
        str | None,
        Query(max_length=64, description="Only actions starting with this, e.g. `camera.`."),
    ] = None,
    since: Annotated[
        UtcInput | None,
        Query(description="From this instant on (ISO 8601 with offset), inclusive."),
    ] = None,
    until: Annotated[
        UtcInput | None, Query(description="Before this instant (ISO 8601 with offset).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Entries per page.")] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip.")] = 0,
) -> AuditPage:
    """Entries newest first, filtered by who, what and when."""
    require(caller.actor, Permission.READ_AUDIT)
    with inst.database.reading() as session:
        rows, total = inst.audit.query(
            session,
            actor=actor,
            action=action,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )
        items = [entry_out(row) for row in rows]
    return AuditPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/verify", response_model=ChainReportOut, name="verify_audit_chain")
def verify_audit_chain(inst: Inst, caller: ApiCaller) -> ChainReportOut:
    """Walk the whole chain and report the first entry changed, removed or inserted, if any."""
    require(caller.actor, Permission.READ_AUDIT)
    with inst.database.reading() as session:
        report = verify_chain(session)
    return ChainReportOut(
        ok=report.ok,
        entries=report.entries,
        head_hash=report.head_hash,
        problem=report.problem,
        bad_seq=report.bad_seq,
    )
