"""The tamper-evident audit log (R-4.4).

Each entry carries the SHA-256 of its canonical form, which includes the previous entry's
hash; sequence numbers have no gaps. The database refuses UPDATE and DELETE on the table.
So a changed row breaks its own hash, a removed row leaves a gap in the sequence, and an
inserted row breaks the link of the entry after it. What a hash chain cannot stop alone is
someone with write access who drops the triggers and rewrites the whole tail: the head hash
printed by `camwarden audit verify` is meant to be written down (e.g. in each review report).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.governance.authorization import Actor
from camwarden.storage.models import AuditEntry

GENESIS_HASH = "0" * 64


def canonical_form(
    *,
    seq: int,
    at: datetime,
    actor_user_id: int | None,
    actor: str,
    action: str,
    target_type: str,
    target_id: str,
    details: str,
    ip: str,
    prev_hash: str,
) -> bytes:
    """The bytes that are hashed: sorted-key compact JSON, UTC time to the microsecond."""
    document = {
        "seq": seq,
        "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_user_id": actor_user_id,
        "actor": actor,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "details": details,
        "ip": ip,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash_of(entry: AuditEntry) -> str:
    return hashlib.sha256(
        canonical_form(
            seq=entry.seq,
            at=entry.at,
            actor_user_id=entry.actor_user_id,
            actor=entry.actor,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            details=entry.details,
            ip=entry.ip,
            prev_hash=entry.prev_hash,
        )
    ).hexdigest()


def _lock_chain_head(session: Session) -> None:
    """Serialise appends so that two writers never chain onto the same entry."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(724250)"))
    # SQLite serialises writers itself; the unique seq catches the rest.


class AuditLog:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def record(
        self,
        session: Session,
        actor: Actor | None,
        action: str,
        *,
        target_type: str = "",
        target_id: str | int = "",
        details: dict[str, Any] | None = None,
        actor_name: str | None = None,
        ip: str | None = None,
    ) -> AuditEntry:
        """Append in the caller's transaction, so a change and its record commit together."""
        _lock_chain_head(session)
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        # Microseconds are kept exactly by both databases; the hash covers them.
        entry = AuditEntry(
            seq=seq,
            at=self._clock.now(),
            actor_user_id=actor.user_id if actor else None,
            actor=actor_name or (actor.username if actor else "anonymous"),
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            details=json.dumps(details or {}, sort_keys=True, ensure_ascii=False),
            ip=ip if ip is not None else (actor.ip if actor else ""),
            prev_hash=prev_hash,
            entry_hash="",
        )
        entry.entry_hash = entry_hash_of(entry)
        session.add(entry)
        session.flush()
        return entry

    def history_of(
        self, session: Session, target_type: str, target_id: str | int
    ) -> Sequence[AuditEntry]:
        """One object's own entries, oldest first: what an alert, request or incident page
        shows as its history."""
        return session.scalars(
            select(AuditEntry)
            .where(AuditEntry.target_type == target_type, AuditEntry.target_id == str(target_id))
            .order_by(AuditEntry.seq)
        ).all()

    def query(
        self,
        session: Session,
        *,
        actor: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[Sequence[AuditEntry], int]:
        """Newest first, filtered; also the total count for paging."""
        conditions = []
        if actor:
            conditions.append(AuditEntry.actor == actor)
        if action:
            conditions.append(AuditEntry.action.startswith(action, autoescape=True))
        if since:
            conditions.append(AuditEntry.at >= since)
        if until:
            conditions.append(AuditEntry.at < until)
        total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
        rows = session.scalars(
            select(AuditEntry)
            .where(*conditions)
            .order_by(AuditEntry.seq.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return rows, int(total or 0)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    head_hash: str
    problem: str = ""
    bad_seq: int | None = None


def verify_chain(session: Session, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain; stop at the first entry that was changed, removed or inserted."""
    expected_seq, expected_prev = 1, GENESIS_HASH
    count = 0
    last_seen = 0
    while True:
        batch = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.seq > last_seen)
            .order_by(AuditEntry.seq)
            .limit(batch_size)
        ).all()
        if not batch:
            return ChainReport(ok=True, entries=count, head_hash=expected_prev)
        for entry in batch:
            if entry.seq != expected_seq:
                return ChainReport(
                    ok=False,
                    entries=count,
                    head_hash=expected_prev,
                    bad_seq=expected_seq,
                    problem=f"entry {expected_seq} is missing (the next entry is {entry.seq})",
                )
            if entry.prev_hash != expected_prev:
                return ChainReport(
                    ok=False,
                    entries=count,
                    head_hash=expected_prev,
                    bad_seq=entry.seq,
                    problem=f"entry {entry.seq} does not link to entry {entry.seq - 1} "
                    "(an entry was inserted or replaced before it)",
                )
            if entry_hash_of(entry) != entry.entry_hash:
                return ChainReport(
                    ok=False,
                    entries=count,
                    head_hash=expected_prev,
                    bad_seq=entry.seq,
                    problem=f"entry {entry.seq} was changed after it was written "
                    "(its content no longer matches its hash)",
                )
            expected_seq, expected_prev = entry.seq + 1, entry.entry_hash
            count += 1
            last_seen = entry.seq
