"""What the pages anyone may use without an account share: the parents' request and
complaint forms and their tracking pages.

- Their forms carry a CSRF token in a cookie of their own, scoped to their path, like the
  login form; a signed-in person's session token does the same job for them.
- Pages that show a tracking code or a fresh token are never kept by a browser or a proxy.
- Filing without an account is limited per address and hour, so that nobody can flood the
  Board's list or fill the disk with holds. The count lives in memory: a restart forgets it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from starlette.responses import Response

from camwarden.errors import CamwardenError, Conflict, NotAuthenticated
from camwarden.web.security import Caller, LoginRequired, client_ip, csrf_matches, page_caller

NOT_STORED = "no-store"


def optional_caller(request: Request) -> Caller | None:
    """The signed-in person if any: the public pages work without an account."""
    try:
        return page_caller(request)
    except (LoginRequired, CamwardenError):
        return None


def never_stored(response: Response) -> Response:
    response.headers["Cache-Control"] = NOT_STORED
    return response


@dataclass(frozen=True)
class PublicForm:
    """The CSRF cookie of one family of public pages (`path` and below)."""

    cookie: str
    path: str

    def hand_out(self, response: Response, token: str) -> Response:
        """Set the cookie the page's form must send back, and keep the page out of caches."""
        response.set_cookie(self.cookie, token, httponly=True, samesite="strict", path=self.path)
        return never_stored(response)

    def check(self, request: Request, given: str, caller: Caller | None = None) -> None:
        """The token came back: from the cookie, or from the signed-in caller's session."""
        expected = caller.csrf_token if caller else request.cookies.get(self.cookie)
        if not csrf_matches(expected, given):
            raise NotAuthenticated("The form has expired; reload the page and try again.")

    def token_in(self, request: Request) -> str:
        return request.cookies.get(self.cookie, "")


@dataclass(frozen=True)
class FilingLimit:
    """At most `per_hour` filings without an account from one address in any hour. Only
    filings that went through count: a parent correcting a mistyped form is not held back."""

    name: str
    per_hour: int

    def allow(self, request: Request, now: datetime) -> None:
        if len(self._recent(request, now)) >= self.per_hour:
            raise Conflict(
                "Too many requests from this address in the last hour ({value}); try again later.",
                value=self.per_hour,
            )

    def count(self, request: Request, now: datetime) -> None:
        self._recent(request, now).append(now)

    def _recent(self, request: Request, now: datetime) -> deque[datetime]:
        filings: dict[str, deque[datetime]] = request.app.state.__dict__.setdefault(
            f"filings_{self.name}", {}
        )
        recent = filings.setdefault(client_ip(request), deque())
        while recent and recent[0] <= now - timedelta(hours=1):
            recent.popleft()
        return recent
