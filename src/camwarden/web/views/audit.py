"""The audit log page: the Board reads and filters it, and checks the chain (R-4.4)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from fastapi import Request
from starlette.responses import Response

from camwarden.errors import InvalidInput
from camwarden.governance.audit import verify_chain
from camwarden.governance.authorization import require
from camwarden.governance.roles import Permission
from camwarden.i18n import SCHOOL_TIMEZONE
from camwarden.web.security import Inst, PageCaller
from camwarden.web.views import page_router
from camwarden.web.views._common import page

PAGE_SIZE = 50


def _day(value: str, field: str) -> datetime | None:
    """A dd/mm/yyyy (or yyyy-mm-dd from a date picker) day as its local midnight, in UTC."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        return datetime.combine(day, time(), tzinfo=SCHOOL_TIMEZONE)
    raise InvalidInput("'{value}' is not a date like 25/12/2026.", field=field, value=value[:40])


@page_router.get("/audit")
def audit_log(request: Request, caller: PageCaller, inst: Inst) -> Response:
    require(caller.actor, Permission.READ_AUDIT)
    params = request.query_params
    filters = {
        "actor": params.get("actor", "")[:64],
        "action": params.get("action", "")[:64],
        "since": params.get("since", "")[:20],
        "until": params.get("until", "")[:20],
    }
    try:
        page_number = max(1, int(params.get("page", "1")))
    except ValueError:
        page_number = 1
    error = None
    entries: list[object] = []
    total = 0
    try:
        since = _day(filters["since"], "since")
        until_day = _day(filters["until"], "until")
        until = until_day + timedelta(days=1) if until_day else None
        with inst.database.reading() as session:
            rows, total = inst.audit.query(
                session,
                actor=filters["actor"] or None,
                action=filters["action"] or None,
                since=since,
                until=until,
                limit=PAGE_SIZE,
                offset=(page_number - 1) * PAGE_SIZE,
            )
            entries = list(rows)
    except InvalidInput as invalid:
        error = invalid
    return page(
        request,
        caller,
        "audit.html",
        {
            "entries": entries,
            "total": total,
            "filters": filters,
            "page_number": page_number,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "chain": None,
        },
        error=error,
    )


@page_router.get("/audit/verify")
def audit_verify(request: Request, caller: PageCaller, inst: Inst) -> Response:
    require(caller.actor, Permission.READ_AUDIT)
    with inst.database.reading() as session:
        report = verify_chain(session)
    return page(request, caller, "audit_verify.html", {"report": report})
