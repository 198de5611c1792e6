import json

import pytest
from sqlalchemy import select, text

from camwarden.clock import ManualClock
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance.accounts import actor_for
from camwarden.governance.authentication import API_TOKEN_PREFIX, LoggedIn
from camwarden.governance.authorization import Actor
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry, LoginFailure, User

PASSWORD = "Bao-ve-2026!"
WRONG = "Sai-mat-khau-1"
IP = "192.0.2.5"


@pytest.fixture
def guard(installation: Installation, admin: Actor) -> User:
    with installation.database.transaction() as session:
        return installation.accounts.create(
            session,
            admin,
            username="baove1",
            full_name="Trần Văn Bảo",
            role="security",
            password=PASSWORD,
            must_change_password=False,
        ).user


def login(installation: Installation, username: str, password: str) -> LoggedIn | None:
    with installation.database.transaction() as session:
        return installation.authentication.login(session, username, password, ip=IP)


def audit_since(installation: Installation, seq: int) -> list[AuditEntry]:
    with installation.database.reading() as session:
        return list(
            session.scalars(select(AuditEntry).where(AuditEntry.seq > seq).order_by(AuditEntry.seq))
        )


def head_seq(installation: Installation) -> int:
    with installation.database.reading() as session:
        return int(session.scalar(text("SELECT coalesce(max(seq), 0) FROM audit_log")) or 0)


def test_a_right_password_opens_a_session(installation: Installation, guard: User) -> None:
    logged_in = login(installation, "  BaoVe1 ", PASSWORD)
    assert logged_in is not None
    assert logged_in.user.id == guard.id
    with installation.database.reading() as session:
        resolved = installation.authentication.resolve_session(session, logged_in.session_token)
    assert resolved is not None
    assert resolved.user.id == guard.id
    assert resolved.csrf_token == logged_in.csrf_token


def test_a_login_is_audited_with_the_address(installation: Installation, guard: User) -> None:
    start = head_seq(installation)
    login(installation, "baove1", PASSWORD)
    (entry,) = audit_since(installation, start)
    assert (entry.action, entry.actor, entry.ip) == ("auth.login", "baove1", IP)


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [("baove1", WRONG, "wrong_password"), ("khongco", PASSWORD, "unknown_user")],
)
def test_a_failed_login_returns_nothing_and_is_audited_with_its_reason(
    installation: Installation, guard: User, username: str, password: str, reason: str
) -> None:
    start = head_seq(installation)
    assert login(installation, username, password) is None
    (entry,) = audit_since(installation, start)
    assert (entry.action, entry.actor, entry.ip) == ("auth.login_failed", username, IP)
    assert json.loads(entry.details) == {"reason": reason}
    assert password not in entry.details


def test_five_failures_within_thirty_seconds_lock_the_account_for_five_minutes(
    installation: Installation, guard: User, clock: ManualClock
) -> None:
    start = head_seq(installation)
    for attempt in range(5):
        if attempt:
            clock.advance(7)
        assert login(installation, "baove1", WRONG) is None
    locked_at = clock.now()
    actions = [entry.action for entry in audit_since(installation, start)]
    assert actions == ["auth.login_failed"] * 5 + ["auth.locked_out"]
    # Locked: even the right password fails, and the log says why.
    assert login(installation, "baove1", PASSWORD) is None
    assert json.loads(audit_since(installation, start)[-1].details) == {"reason": "locked"}
    clock.advance(299)
    assert (clock.now() - locked_at).total_seconds() == 299
    assert login(installation, "baove1", PASSWORD) is None
    clock.advance(1)
    assert login(installation, "baove1", PASSWORD) is not None


def test_failures_spread_over_more_than_thirty_seconds_do_not_lock(
    installation: Installation, guard: User, clock: ManualClock
) -> None:
    start = head_seq(installation)
    for _ in range(8):
        assert login(installation, "baove1", WRONG) is None
        clock.advance(10)
    assert "auth.locked_out" not in [entry.action for entry in audit_since(installation, start)]
    assert login(installation, "baove1", PASSWORD) is not None


def test_a_success_clears_earlier_failures(
    installation: Installation, guard: User, clock: ManualClock
) -> None:
    for _ in range(4):
        login(installation, "baove1", WRONG)
    assert login(installation, "baove1", PASSWORD) is not None
    for _ in range(4):
        assert login(installation, "baove1", WRONG) is None
    assert login(installation, "baove1", PASSWORD) is not None


def test_unknown_usernames_are_locked_out_too(installation: Installation, guard: User) -> None:
    start = head_seq(installation)
    for _ in range(5):
        login(installation, "khongco", WRONG)
    assert audit_since(installation, start)[-1].action == "auth.locked_out"
    assert login(installation, "baove1", PASSWORD) is not None


def test_a_disabled_account_cannot_log_in(
    installation: Installation, guard: User, admin: Actor
) -> None:
    with installation.database.transaction() as session:
        installation.accounts.update(session, admin, guard.id, is_active=False)
    start = head_seq(installation)
    assert login(installation, "baove1", PASSWORD) is None
    assert json.loads(audit_since(installation, start)[-1].details) == {"reason": "disabled"}


def test_disabling_an_account_ends_its_open_sessions(
    installation: Installation, guard: User, admin: Actor
) -> None:
    logged_in = login(installation, "baove1", PASSWORD)
    assert logged_in is not None
    with installation.database.transaction() as session:
        installation.accounts.update(session, admin, guard.id, is_active=False)
    with installation.database.reading() as session:
        assert installation.authentication.resolve_session(session, logged_in.session_token) is None


def test_a_session_expires_after_the_configured_hours(
    installation: Installation, guard: User, clock: ManualClock
) -> None:
    logged_in = login(installation, "baove1", PASSWORD)
    assert logged_in is not None
    resolve = installation.authentication.resolve_session
    clock.advance(12 * 3600 - 1)
    with installation.database.reading() as session:
        assert resolve(session, logged_in.session_token) is not None
    clock.advance(1)
    with installation.database.reading() as session:
        assert resolve(session, logged_in.session_token) is None


def test_logging_out_ends_the_session(installation: Installation, guard: User) -> None:
    logged_in = login(installation, "baove1", PASSWORD)
    assert logged_in is not None
    with installation.database.transaction() as session:
        installation.authentication.logout(session, logged_in.session_token, actor_for(guard))
    with installation.database.reading() as session:
        assert installation.authentication.resolve_session(session, logged_in.session_token) is None
        assert installation.authentication.resolve_session(session, "made-up") is None


def test_session_tokens_are_stored_only_as_hashes(installation: Installation, guard: User) -> None:
    logged_in = login(installation, "baove1", PASSWORD)
    assert logged_in is not None
    with installation.database.reading() as session:
        rows = session.execute(text("SELECT * FROM web_sessions")).all()
    assert len(rows) == 1
    assert all(logged_in.session_token not in str(value) for value in rows[0])


def test_an_api_token_resolves_to_its_owner_until_revoked(
    installation: Installation, guard: User
) -> None:
    actor = actor_for(guard)
    with installation.database.transaction() as session:
        token, plain = installation.authentication.create_api_token(session, actor, "Báo cáo")
    assert plain.startswith(API_TOKEN_PREFIX)
    with installation.database.reading() as session:
        resolved = installation.authentication.resolve_api_token(session, plain)
        assert resolved is not None
        assert resolved.user.id == guard.id
        assert resolved.csrf_token is None
        assert [t.name for t in installation.authentication.list_api_tokens(session, actor)] == [
            "Báo cáo"
        ]
    with installation.database.transaction() as session:
        installation.authentication.revoke_api_token(session, actor, token.id)
    with installation.database.reading() as session:
        assert installation.authentication.resolve_api_token(session, plain) is None
        assert installation.authentication.list_api_tokens(session, actor) == []
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.authentication.revoke_api_token(session, actor, token.id)


def test_api_tokens_are_stored_and_audited_only_as_hashes(
    installation: Installation, guard: User
) -> None:
    with installation.database.transaction() as session:
        _, plain = installation.authentication.create_api_token(session, actor_for(guard), "cron")
    with installation.database.reading() as session:
        tokens = session.execute(text("SELECT * FROM api_tokens")).all()
        audit = session.execute(text("SELECT details FROM audit_log")).scalars().all()
    assert all(plain not in str(value) for row in tokens for value in row)
    assert all(plain not in details for details in audit)


def test_made_up_or_foreign_api_tokens_do_not_resolve(
    installation: Installation, guard: User, admin: Actor
) -> None:
    with installation.database.transaction() as session:
        token, plain = installation.authentication.create_api_token(
            session, actor_for(guard), "cron"
        )
    with installation.database.reading() as session:
        assert installation.authentication.resolve_api_token(session, plain[:-1] + "x") is None
        assert installation.authentication.resolve_api_token(session, plain[3:]) is None
    # Someone else's token is "not found" to the one trying to revoke it.
    with pytest.raises(NotFound), installation.database.transaction() as session:
        installation.authentication.revoke_api_token(session, admin, token.id)


def test_a_disabled_accounts_api_tokens_stop_working(
    installation: Installation, guard: User, admin: Actor
) -> None:
    with installation.database.transaction() as session:
        _, plain = installation.authentication.create_api_token(session, actor_for(guard), "cron")
    with installation.database.transaction() as session:
        installation.accounts.update(session, admin, guard.id, is_active=False)
    with installation.database.reading() as session:
        assert installation.authentication.resolve_api_token(session, plain) is None


def test_api_token_names_are_unique_per_account_and_required(
    installation: Installation, guard: User
) -> None:
    actor = actor_for(guard)
    with installation.database.transaction() as session:
        installation.authentication.create_api_token(session, actor, "cron")
    with pytest.raises(Conflict), installation.database.transaction() as session:
        installation.authentication.create_api_token(session, actor, "cron")
    with pytest.raises(InvalidInput) as caught, installation.database.transaction() as session:
        installation.authentication.create_api_token(session, actor, "  ")
    assert caught.value.field == "name"


def test_failures_older_than_the_window_are_forgotten_for_every_username(
    installation: Installation, clock: ManualClock
) -> None:
    with installation.database.transaction() as session:
        for n in range(3):
            installation.authentication.login(session, f"khong.co.{n}", "Sai-1234!", ip="192.0.2.9")
    clock.advance(31)
    with installation.database.transaction() as session:
        installation.authentication.login(session, "khong.co.moi", "Sai-1234!", ip="192.0.2.9")
    with installation.database.reading() as session:
        remaining = session.scalars(select(LoginFailure.username)).all()
    assert remaining == ["khong.co.moi"]
