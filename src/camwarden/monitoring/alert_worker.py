"""Camera events into alerts, and escalation by time, in one thread ticking every second.

The worker reads camera events past a cursor kept in the database, so events written while
it was down (a restart, a crash) still raise their alerts when it comes back; a crash between
raising and moving the cursor cannot raise twice, because raising and moving commit together.
On the very first start it does not raise alerts for the whole history of events: only for
conditions still open, which is what a guard must act on now.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.governance.escalation import DEFAULT_POLICY, Escalation, EscalationPolicy
from camwarden.installation import Installation
from camwarden.storage.models import CameraEvent, MonitorCursor

log = logging.getLogger(__name__)

CURSOR_NAME = "alerts.camera_events"
# Events handled per transaction: a burst of thousands is worked through in short steps,
# so the audit chain and the guard's pages are never held up for long.
BATCH = 500


@dataclass
class Tick:
    """What one pass did: alerts raised (new ids), events folded, escalations made."""

    raised: list[int] = field(default_factory=list)
    folded: int = 0
    escalated: list[Escalation] = field(default_factory=list)
    conditions_ended: int = 0


class AlertWorker:
    def __init__(
        self,
        installation: Installation,
        *,
        policy: EscalationPolicy = DEFAULT_POLICY,
        interval_s: float = 1.0,
        on_tick: Callable[[Tick], None] | None = None,
    ) -> None:
        self._inst = installation
        self._policy = policy
        self._interval_s = interval_s
        self._on_tick = on_tick
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="alerts", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> Tick:
        tick = Tick()
        while self._raise_batch(tick) == BATCH:
            pass
        with self._inst.database.transaction() as session:
            tick.conditions_ended = self._inst.alerts.note_ended_conditions(session)
            tick.escalated = self._inst.escalator.escalate_due(session, self._policy)
        if self._on_tick is not None and (tick.raised or tick.escalated):
            self._on_tick(tick)
        return tick

    def _raise_batch(self, tick: Tick) -> int:
        with self._inst.database.transaction() as session:
            cursor = session.get(MonitorCursor, CURSOR_NAME)
            if cursor is None:
                cursor = self._first_start(session, tick)
            events = session.scalars(
                select(CameraEvent)
                .where(CameraEvent.id > cursor.position)
                .order_by(CameraEvent.id)
                .limit(BATCH)
            ).all()
            self._raise_for(session, events, tick)
            if events:
                cursor.position = events[-1].id
            return len(events)

    def _raise_for(self, session: Session, events: Sequence[CameraEvent], tick: Tick) -> None:
        for event in events:
            alert = self._inst.alerts.raise_for_event(session, event)
            if alert is None:
                continue
            if alert.source_event_id == event.id:
                tick.raised.append(alert.id)
            else:
                tick.folded += 1

    def _first_start(self, session: Session, tick: Tick) -> MonitorCursor:
        """The history is not news; conditions still open are."""
        newest = session.scalar(select(func.max(CameraEvent.id))) or 0
        still_open = session.scalars(
            select(CameraEvent).where(CameraEvent.ended_at.is_(None)).order_by(CameraEvent.id)
        ).all()
        self._raise_for(session, still_open, tick)
        cursor = MonitorCursor(name=CURSOR_NAME, position=newest)
        session.add(cursor)
        session.flush()
        return cursor

    def _loop(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self.run_once()
            except Exception:  # the guard room depends on this loop outliving a bad pass
                log.exception("alert pass failed; trying again")
