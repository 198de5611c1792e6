"""`camwarden analyze VIDEO`: the live detectors run on a video file, at its own timestamps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import av
import typer

from camwarden import i18n
from camwarden.analysis.detectors import DetectorSettings
from camwarden.analysis.events import Event, EventKind
from camwarden.analysis.mask import parse_mask
from camwarden.analysis.pipeline import analyze_packets_of
from camwarden.analysis.sensitivity import parse_sensitivity
from camwarden.cli._context import fail
from camwarden.errors import CamwardenError
from camwarden.i18n import N_
from camwarden.i18n import gettext as _

KIND_LABELS: dict[EventKind, str] = {
    "covered": N_("covered"),
    "defocused": N_("out of focus"),
    "moved": N_("moved or turned away"),
    "too_dark": N_("too dark"),
    "too_bright": N_("blinded (too bright)"),
    "frozen": N_("frozen picture"),
    "signal_loss": N_("video lost"),
    "motion": N_("motion"),
}


def analyze(
    video: Annotated[Path, typer.Argument(help="The video file to analyse.")],
    json_output: Annotated[
        bool, typer.Option("--json", help="One JSON object per line per event.")
    ] = False,
    mask: Annotated[
        str, typer.Option(help="A camera's analysis mask (see `camwarden camera analysis`).")
    ] = "",
    tamper_sensitivity: Annotated[
        str, typer.Option(help="Tamper detection: low, normal or high.")
    ] = "normal",
    motion_sensitivity: Annotated[
        str, typer.Option(help="Motion detection: low, normal or high.")
    ] = "normal",
) -> None:
    """Run the tamper and motion detectors on a video file exactly as live analysis does
    (the same frames decoded, the same detectors), by default with default settings."""
    try:
        settings = DetectorSettings(
            mask=parse_mask(mask),
            tamper_sensitivity=parse_sensitivity(tamper_sensitivity, field="tamper_sensitivity"),
            motion_sensitivity=parse_sensitivity(motion_sensitivity, field="motion_sensitivity"),
        )
    except CamwardenError as error:
        raise fail(error.render(i18n.gettext)) from None
    if not video.is_file():
        raise fail(_("There is no video file at {path}.").format(path=video))
    events: list[Event] = []
    duration = 0.0
    try:
        for analysed in analyze_packets_of(video, settings):
            duration = analysed.frame.t
            for event in analysed.events:
                if json_output:
                    typer.echo(json.dumps(event.as_json()))
                events.append(event)
    except (av.FFmpegError, IndexError) as error:
        raise fail(
            _("{path} could not be read as a video: {error}").format(path=video, error=error)
        ) from None
    if not json_output:
        _summary(events, duration)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _summary(events: list[Event], duration: float) -> None:
    typer.echo(_("{seconds} s of video analysed.").format(seconds=round(duration)))
    tamper = [e for e in events if e.event != "motion"]
    starts = [e for e in tamper if e.state == "start"]
    if not starts:
        typer.echo(_("No tampering seen."))
    for start in starts:
        end = next(
            (e for e in tamper if e.event == start.event and e.state == "end" and e.t > start.t),
            None,
        )
        label = _(KIND_LABELS[start.event])
        if end is None:
            typer.echo(
                _("From {start}: {kind}, still so at the end of the video.").format(
                    start=_clock(start.t), kind=label
                )
            )
        else:
            typer.echo(
                _("From {start} to {end}: {kind}.").format(
                    start=_clock(start.t), end=_clock(end.t), kind=label
                )
            )
    periods = sum(1 for e in events if e.event == "motion" and e.state == "start")
    typer.echo(_("Motion: {count} periods of activity.").format(count=periods))
