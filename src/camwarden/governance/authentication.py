"""Logging in, lockout after repeated failures, web sessions and API tokens.

A login reply says only "succeeded" or "failed": a wrong password, an unknown user, a
disabled or locked account all look the same from outside. The audit log says which.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.config import LoginPolicy
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._validation import required_text
from camwarden.governance.accounts import actor_for
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor
from camwarden.governance.passwords import (
    check_password_policy,
    hash_password,
    needs_rehash,
    verify_password,
)
from camwarden.storage.lookup import get_by_id
from camwarden.storage.models import ApiToken, LoginFailure, LoginLockout, User, WebSession

API_TOKEN_PREFIX = "cw_"
LOGIN_FAILED = "Login failed: wrong username or password."


def wrong_current_password() -> InvalidInput:
    """What adapters raise, after committing, when `change_own_password` returned False."""
    return InvalidInput("The current password is wrong.", field="current_password")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LoggedIn:
    user: User
    session_token: str
    csrf_token: str


@dataclass(frozen=True)
class Authenticated:
    user: User
    csrf_token: str | None  # None for API tokens, which need no CSRF protection


class Authentication:
    def __init__(self, clock: Clock, audit: AuditLog, policy: LoginPolicy) -> None:
        self._clock = clock
        self._audit = audit
        self._policy = policy

    def login(self, session: Session, username: str, password: str, *, ip: str) -> LoggedIn | None:
        """Open a web session; None when the login failed (the failure is recorded).

        Failing returns rather than raises so that the caller commits the failure count and
        its audit entry: a raised error would roll them back and defeat the lockout.
        """
        now = self._clock.now()
        name = username.strip().lower()[:64]
        lockout = session.get(LoginLockout, name)
        user = session.scalar(select(User).where(User.username == name))
        # Verify even when locked or unknown, so that timing reveals nothing.
        password_ok = verify_password(user.password_hash if user else None, password)
        if lockout is not None and lockout.locked_until > now:
            self._audit.record(
                session,
                None,
                "auth.login_failed",
                actor_name=name,
                ip=ip,
                target_type="user",
                target_id=user.id if user else "",
                details={"reason": "locked"},
            )
            return None
        if user is None or not user.is_active or not password_ok:
            self._record_failure(
                session,
                name,
                user,
                ip=ip,
                reason=(
                    "unknown_user"
                    if user is None
                    else "disabled"
                    if not user.is_active
                    else "wrong_password"
                ),
            )
            return None
        session.execute(delete(LoginFailure).where(LoginFailure.username == name))
        if lockout is not None:
            session.delete(lockout)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session.add(
            WebSession(
                token_hash=_digest(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(hours=self._policy.session_hours),
            )
        )
        self._audit.record(
            session, actor_for(user, ip), "auth.login", target_type="user", target_id=user.id
        )
        return LoggedIn(user=user, session_token=token, csrf_token=csrf)

    def change_own_password(
        self, session: Session, actor: Actor, *, current_password: str, new_password: str
    ) -> bool:
        """Set the caller's password; False when the current one is wrong (recorded like a
        failed login, so a stolen session cannot guess passwords without limit).

        Policy violations raise InvalidInput. Returning rather than raising on a wrong
        password lets the caller commit the failure before it reports it.
        """
        user = session.get(User, actor.user_id) if actor.user_id is not None else None
        if user is None:
            raise NotFound("This account does not exist.")
        now = self._clock.now()
        lockout = session.get(LoginLockout, user.username)
        password_ok = verify_password(user.password_hash, current_password)
        if lockout is not None and lockout.locked_until > now:
            self._audit.record(
                session,
                actor,
                "auth.password_change_failed",
                target_type="user",
                target_id=user.id,
                details={"reason": "locked"},
            )
            return False
        if not password_ok:
            self._record_failure(
                session,
                user.username,
                user,
                ip=actor.ip,
                reason="wrong_current_password",
                action="auth.password_change_failed",
            )
            return False
        if new_password == current_password:
            raise InvalidInput(
                "The new password must differ from the current one.", field="new_password"
            )
        check_password_policy(
            new_password, username=user.username, min_length=self._policy.password_min_length
        )
        user.password_hash = hash_password(new_password)
        user.must_change_password = False
        user.password_changed_at = now
        session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
        self._audit.record(
            session, actor, "user.password_change", target_type="user", target_id=user.id
        )
        return True

    def _record_failure(
        self,
        session: Session,
        name: str,
        user: User | None,
        *,
        ip: str,
        reason: str,
        action: str = "auth.login_failed",
    ) -> None:
        now = self._clock.now()
        window_start = now - timedelta(seconds=self._policy.failure_window_seconds)
        # Failures older than the window no longer count for anyone: drop them, so that
        # guesses at usernames that do not exist cannot grow the table without bound.
        session.execute(delete(LoginFailure).where(LoginFailure.at <= window_start))
        session.add(LoginFailure(username=name, at=now))
        session.flush()
        recent = session.scalar(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.username == name, LoginFailure.at > window_start)
        )
        self._audit.record(
            session,
            None,
            action,
            actor_name=name,
            ip=ip,
            target_type="user",
            target_id=user.id if user else "",
            details={"reason": reason},
        )
        if int(recent or 0) >= self._policy.max_failures:
            until = now + timedelta(seconds=self._policy.lockout_seconds)
            session.merge(LoginLockout(username=name, locked_until=until))
            session.execute(delete(LoginFailure).where(LoginFailure.username == name))
            self._audit.record(
                session,
                None,
                "auth.locked_out",
                actor_name=name,
                ip=ip,
                target_type="user",
                target_id=user.id if user else "",
                details={"until": until.isoformat(), "failures": int(recent or 0)},
            )

    def resolve_session(self, session: Session, token: str) -> Authenticated | None:
        row = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
        if row is None or row.expires_at <= self._clock.now():
            return None
        user = session.get(User, row.user_id)
        if user is None or not user.is_active:
            return None
        return Authenticated(user=user, csrf_token=row.csrf_token)

    def logout(self, session: Session, token: str, actor: Actor) -> None:
        session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))
        self._audit.record(
            session, actor, "auth.logout", target_type="user", target_id=actor.user_id or ""
        )

    def end_other_sessions(self, session: Session, user_id: int, keep_token: str) -> None:
        """After a password change, sessions opened elsewhere with the old one are closed."""
        session.execute(
            delete(WebSession).where(
                WebSession.user_id == user_id, WebSession.token_hash != _digest(keep_token)
            )
        )

    # -- API tokens ------------------------------------------------------------------------

    def create_api_token(self, session: Session, actor: Actor, name: str) -> tuple[ApiToken, str]:
        """A bearer token for scripts; the plain value is shown once and never stored."""
        if actor.user_id is None:
            raise InvalidInput("Only a person's account can hold API tokens.")
        name = required_text(name, field="name", max_length=100)
        exists = session.scalar(
            select(ApiToken).where(ApiToken.user_id == actor.user_id, ApiToken.name == name)
        )
        if exists is not None:
            raise Conflict("You already have a token named '{value}'.", value=name)
        plain = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(
            user_id=actor.user_id,
            name=name,
            token_hash=_digest(plain),
            created_at=self._clock.now(),
        )
        session.add(token)
        session.flush()
        self._audit.record(
            session,
            actor,
            "token.create",
            target_type="api_token",
            target_id=token.id,
            details={"name": name},
        )
        return token, plain

    def list_api_tokens(self, session: Session, actor: Actor) -> Sequence[ApiToken]:
        return session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == actor.user_id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at, ApiToken.id)
        ).all()

    def revoke_api_token(self, session: Session, actor: Actor, token_id: int) -> None:
        token = get_by_id(session, ApiToken, token_id)
        if token is None or token.user_id != actor.user_id or token.revoked_at is not None:
            raise NotFound("API token {value} does not exist.", value=token_id)
        token.revoked_at = self._clock.now()
        self._audit.record(
            session,
            actor,
            "token.revoke",
            target_type="api_token",
            target_id=token.id,
            details={"name": token.name},
        )

    def resolve_api_token(self, session: Session, plain: str) -> Authenticated | None:
        if not plain.startswith(API_TOKEN_PREFIX):
            return None
        token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
        if token is None or token.revoked_at is not None:
            return None
        user = session.get(User, token.user_id)
        if user is None or not user.is_active:
            return None
        return Authenticated(user=user, csrf_token=None)
