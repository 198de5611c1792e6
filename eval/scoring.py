"""Events against labels: what was detected, how late, and what was raised for nothing.

A start event detects a label when it is of the label's kind and starts (is decided, `t`)
within [onset, onset + MATCH_WINDOW_S]; each label takes the first such event, each event
detects at most one label. Every other start event of a tamper kind (or `signal_loss`) is a
false alarm: in normal footage, and also during a tampering (another kind, a second start, or
the right kind too late). Normal footage is the clip after learning, minus each tampering and
RECOVERY_S after it; false alarms per hour are counted over it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from camwarden.analysis.events import Event
from eval.scenarios import Label

MATCH_WINDOW_S = 5.0
# After the view is back, the event should end within this long; it is not normal footage yet.
RECOVERY_S = 10.0
SCORED_KINDS = frozenset(
    {"covered", "defocused", "moved", "too_dark", "too_bright", "frozen", "signal_loss"}
)


@dataclass(frozen=True)
class Detection:
    label: Label
    delay: float | None
    """Seconds from the onset to the matching start event; None when missed."""
    ended: bool
    """The event ended within RECOVERY_S of the view coming back."""


@dataclass(frozen=True)
class FalseAlarm:
    scenario: str
    event: Event
    during_tampering: bool


@dataclass(frozen=True)
class ScenarioScore:
    name: str
    detections: tuple[Detection, ...]
    false_alarms: tuple[FalseAlarm, ...]
    normal_s: float


def score_scenario(
    name: str, labels: Sequence[Label], events: Iterable[Event], seconds: float, learn_s: float
) -> ScenarioScore:
    all_events = sorted(events, key=lambda e: e.t)
    starts = [e for e in all_events if e.state == "start" and e.event in SCORED_KINDS]
    used: set[int] = set()
    detections = []
    for label in sorted(labels, key=lambda label: label.onset):
        match = next(
            (
                index
                for index, event in enumerate(starts)
                if index not in used
                and event.event == label.kind
                and label.onset <= event.t <= label.onset + MATCH_WINDOW_S
            ),
            None,
        )
        if match is None:
            detections.append(Detection(label, None, False))
            continue
        used.add(match)
        start = starts[match]
        end = next(
            (e for e in all_events if e.event == label.kind and e.state == "end" and e.t > start.t),
            None,
        )
        ended = end is not None and label.end <= end.t <= label.end + RECOVERY_S
        detections.append(Detection(label, start.t - label.onset, ended))
    false_alarms = tuple(
        FalseAlarm(name, event, _during(labels, event.t))
        for index, event in enumerate(starts)
        if index not in used
    )
    return ScenarioScore(name, tuple(detections), false_alarms, _normal_s(labels, seconds, learn_s))


def _during(labels: Sequence[Label], t: float) -> bool:
    return any(label.onset <= t <= label.end + RECOVERY_S for label in labels)


def _normal_s(labels: Sequence[Label], seconds: float, learn_s: float) -> float:
    """Seconds after learning that are outside every tampering and its recovery."""
    spans = sorted(
        (max(label.onset, learn_s), min(label.end + RECOVERY_S, seconds)) for label in labels
    )
    taken = 0.0
    covered_to = learn_s
    for start, stop in spans:
        start = max(start, covered_to)
        if stop > start:
            taken += stop - start
            covered_to = stop
    return max(0.0, seconds - learn_s - taken)


@dataclass(frozen=True)
class KindSummary:
    kind: str
    detected: int
    total: int
    median_delay: float | None
    worst_delay: float | None
    ended: int
    false_alarms: int


@dataclass(frozen=True)
class Summary:
    kinds: tuple[KindSummary, ...]
    false_alarms: int
    normal_hours: float
    false_alarms_in_normal_footage: int
    """Of `false_alarms`, those outside every tampering and its recovery."""

    @property
    def false_alarms_per_hour(self) -> float:
        return self.false_alarms / self.normal_hours if self.normal_hours > 0 else 0.0

    def missed_goals(self) -> list[str]:
        """The issue's goals not met: every tampering detected as the right kind within 5 s,
        no false alarm."""
        missed = [
            f"{k.kind}: {k.total - k.detected} of {k.total} not detected within "
            f"{MATCH_WINDOW_S:.0f} s"
            for k in self.kinds
            if k.detected < k.total
        ]
        if self.false_alarms:
            missed.append(
                f"{self.false_alarms} false alarms in {self.normal_hours:.2f} h "
                f"({self.false_alarms_per_hour:.2f} per hour)"
            )
        return missed


def summarize(scores: Iterable[ScenarioScore]) -> Summary:
    scores = list(scores)
    detections = [d for s in scores for d in s.detections]
    alarms = [a for s in scores for a in s.false_alarms]
    kinds = sorted({d.label.kind for d in detections} | {str(a.event.event) for a in alarms})
    rows = []
    for kind in kinds:
        of_kind = [d for d in detections if d.label.kind == kind]
        delays = [d.delay for d in of_kind if d.delay is not None]
        rows.append(
            KindSummary(
                kind=kind,
                detected=len(delays),
                total=len(of_kind),
                median_delay=statistics.median(delays) if delays else None,
                worst_delay=max(delays) if delays else None,
                ended=sum(d.ended for d in of_kind),
                false_alarms=sum(1 for a in alarms if a.event.event == kind),
            )
        )
    return Summary(
        tuple(rows),
        len(alarms),
        sum(s.normal_s for s in scores) / 3600.0,
        sum(1 for a in alarms if not a.during_tampering),
    )
