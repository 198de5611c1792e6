"""Analysis events and the persistence/hysteresis that keeps them from flapping."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EventKind = Literal[
    "covered", "defocused", "moved", "too_dark", "too_bright", "frozen", "signal_loss", "motion"
]
EventState = Literal["start", "end"]
# The kinds that mean someone tampered with the camera; signal loss is the recorder's
# video_loss, motion is ordinary life.
TAMPER_KINDS: frozenset[str] = frozenset(
    {"covered", "defocused", "moved", "too_dark", "too_bright", "frozen"}
)


@dataclass(frozen=True)
class Event:
    t: float
    """Seconds from the start of the video, when the event was decided (not backdated)."""
    event: EventKind
    state: EventState
    score: float
    """How strong the condition was at `t`, 0..1 (signal_loss: seconds without frames)."""
    since: float
    """When the condition was first seen (start) or first seen gone (end)."""

    def as_json(self) -> dict[str, object]:
        return {
            "t": round(self.t, 3),
            "event": self.event,
            "state": self.state,
            "score": round(self.score, 4),
            "since": round(self.since, 3),
        }


class Persistence:
    """Start after `start_s` of the condition held; end after `end_s` of its clear opposite.

    Hysteresis comes from the caller: `on` uses a stricter threshold than `off`, so a value
    hovering near one threshold neither starts nor ends anything.
    """

    def __init__(self, kind: EventKind, *, start_s: float, end_s: float) -> None:
        self.kind: EventKind = kind
        self.start_s = start_s
        self.end_s = end_s
        self.active = False
        self._since: float | None = None

    @property
    def pending(self) -> bool:
        """The condition (or, when active, its end) is being seen but not yet decided."""
        return self._since is not None

    @property
    def condition_seen(self) -> bool:
        """The condition is being decided, or raised and its end not yet seen."""
        return self.active != self.pending

    def update(
        self,
        t: float,
        *,
        on: bool,
        off: bool,
        score: float,
        since: float | None = None,
        ready: bool = True,
    ) -> Event | None:
        """`since`: when a newly seen condition began, if before `t` (a comparison between
        two frames holds from the earlier one on). `ready`: whether the condition may be
        decided at `t`; when not (the picture is still settling), a condition that lasted long
        enough waits for a frame that is, without starting over."""
        seen = off if self.active else on
        if not seen:
            self._since = None
            return None
        if self._since is None:
            self._since = t if since is None else min(since, t)
        waited = self.end_s if self.active else self.start_s
        if t - self._since < waited or not ready:
            return None
        since, self._since = self._since, None
        self.active = not self.active
        return Event(t, self.kind, "start" if self.active else "end", score, since)
