"""`make eval` / `python -m eval [--seed N]`: render, analyse and score every scenario.

Clips are rendered and analysed in a process pool (one process per core; ffmpeg and the
decoder single-threaded in each), rendered clips are cached in eval/.cache. Prints the table
per kind, the misses and false alarms with what was happening, and MISSED when a goal of the
issue is not met. Exits 0 either way: the figures are the result, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from camwarden.analysis.events import Event
from eval.clips import CACHE, render
from eval.detection import detect
from eval.scenarios import DEVELOPMENT_SEED, LEARN_S, Scenario, draw_scenarios
from eval.scenes import SAMPLE_ATTRIBUTION, SAMPLES, SCENES, available_scenes
from eval.scoring import (
    MATCH_WINDOW_S,
    RECOVERY_S,
    ScenarioScore,
    Summary,
    score_scenario,
    summarize,
)


@dataclass(frozen=True)
class Outcome:
    scenario: Scenario
    events: list[Event]
    render_s: float
    analyse_s: float


def run_one(scenario: Scenario, cache: Path) -> Outcome:
    started = time.monotonic()
    clip = render(scenario, cache)
    rendered = time.monotonic()
    events = detect(clip)
    return Outcome(scenario, events, rendered - started, time.monotonic() - rendered)


def score(outcome: Outcome) -> ScenarioScore:
    scenario = outcome.scenario
    labels = [scenario.label] if scenario.label else []
    return score_scenario(scenario.name, labels, outcome.events, scenario.seconds, LEARN_S)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def print_table(summary: Summary) -> None:
    header = (
        f"{'kind':<12} {'detected':>9} {'median delay':>13} {'worst delay':>12} "
        f"{'ended':>6} {'false alarms':>13} {'per hour':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in summary.kinds:
        detected = f"{row.detected}/{row.total}" if row.total else "-"
        ended = f"{row.ended}/{row.detected}" if row.total else "-"
        per_hour = row.false_alarms / summary.normal_hours if summary.normal_hours else 0.0
        print(
            f"{row.kind:<12} {detected:>9} {_seconds(row.median_delay):>13} "
            f"{_seconds(row.worst_delay):>12} {ended:>6} {row.false_alarms:>13} {per_hour:>9.2f}"
        )
    print("-" * len(header))
    print(
        f"{'all':<12} {'':>9} {'':>13} {'':>12} {'':>6} {summary.false_alarms:>13} "
        f"{summary.false_alarms_per_hour:>9.2f}   over {summary.normal_hours:.2f} h of normal "
        "footage"
    )
    in_normal = summary.false_alarms_in_normal_footage
    print(
        f"False alarms in normal footage: {in_normal} "
        f"({in_normal / max(summary.normal_hours, 1e-9):.2f} per hour); during a tampering "
        f"(another kind, a second start, too late): {summary.false_alarms - in_normal}."
    )


def _context(scenario: Scenario, t: float) -> str:
    """What was happening around `t`: the ordinary life that may explain an alarm."""
    near = [
        f"{h.cause} at {h.at:.1f}"
        for h in scenario.happenings
        if h.at - 10.0 <= t <= h.at + h.seconds + 10.0
    ]
    return ", ".join(near) or "nothing scheduled"


def print_details(outcomes: list[Outcome], scores: list[ScenarioScore]) -> None:
    by_name = {o.scenario.name: o for o in outcomes}
    for scored in scores:
        outcome = by_name[scored.name]
        scenario = outcome.scenario
        where = (
            f"{scenario.scene.name}, GOP {scenario.encoding.gop_s:.0f} s, "
            f"noise {scenario.encoding.noise:.1f}"
        )
        for detection in scored.detections:
            if detection.delay is None:
                raised = [
                    f"{e.event} {e.state} at {e.t:.1f}"
                    for e in outcome.events
                    if e.event != "motion"
                    and detection.label.onset - 5 <= e.t <= detection.label.end + RECOVERY_S
                ]
                print(
                    f"  missed  {scored.name} ({where}): {detection.label.describe()}; "
                    f"raised: {', '.join(raised) or 'nothing'}"
                )
        for alarm in scored.false_alarms:
            event = alarm.event
            place = "during the tampering" if alarm.during_tampering else "in normal footage"
            print(
                f"  false   {scored.name} ({where}): {event.event} at {event.t:.1f} s "
                f"(score {event.score:.2f}) {place}; {_context(scenario, event.t)}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--seed",
        type=int,
        default=DEVELOPMENT_SEED,
        help=f"scenario seed (default {DEVELOPMENT_SEED}, the development seed)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", default="", help="only scenarios whose name starts with this")
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args(argv)

    started = time.monotonic()
    scenarios = [s for s in draw_scenarios(args.seed) if s.name.startswith(args.only)]
    missing = [s.name for s in SCENES if s not in available_scenes()]
    print(f"Tamper detection evaluation, seed {args.seed}: {len(scenarios)} scenarios, ", end="")
    print(f"{sum(s.seconds for s in scenarios) / 3600:.2f} h of 720p 15 fps H.264")
    print(f"Real footage: {SAMPLE_ATTRIBUTION}")
    if missing:
        print(f"  (not found in {SAMPLES}, so left out: {', '.join(missing)})")
    # Longest first, so the pool is not left waiting on one long clip at the end.
    ordered = sorted(scenarios, key=lambda s: -s.seconds)
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(run_one, s, args.cache) for s in ordered]
        for index, future in enumerate(futures, 1):
            outcomes.append(future.result())
            print(f"\r  {index}/{len(futures)} clips analysed", end="", file=sys.stderr)
    print(file=sys.stderr)
    outcomes.sort(key=lambda o: scenarios.index(o.scenario))
    scores = [score(o) for o in outcomes]
    summary = summarize(scores)
    print(
        f"Detected = a start event of the right kind within {MATCH_WINDOW_S:.0f} s of the onset; "
        f"ended = within {RECOVERY_S:.0f} s of the view coming back."
    )
    print_table(summary)
    print_details(outcomes, scores)
    render_s = sum(o.render_s for o in outcomes)
    analyse_s = sum(o.analyse_s for o in outcomes)
    print(
        f"Took {time.monotonic() - started:.0f} s ({render_s:.0f} s rendering, "
        f"{analyse_s:.0f} s analysing, over {args.workers} processes)."
    )
    missed = summary.missed_goals()
    if missed:
        print("MISSED: " + "; ".join(missed))
    else:
        print("Goals met: every tampering detected as its kind within 5 s, no false alarm.")
    if args.seed == DEVELOPMENT_SEED:
        print(
            "(The development seed. Other seeds draw other scenes, onsets and strengths: "
            "make eval SEED=N; docs/analysis-evaluation.md says which seeds were looked at.)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
