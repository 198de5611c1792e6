"""What the picture of each kind of zone must reach, and why (docs/inspection.md).

The pixel counts follow the operational levels of IEC 62676-4 (pixels per metre of scene at
the place that matters: 25 detect, 62.5 observe, 125 recognise, 250 identify): the width of
scene a camera of that zone must cover at that place, times the density its task needs,
rounded up to the next common camera resolution, never under 1280x720.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from camwarden.governance.zones import ZoneKind
from camwarden.i18n import N_
from camwarden.inspection.checks import Check, Result, Text
from camwarden.inspection.measure import StreamMeasurement

# (width, height) of the resolutions cameras offer, smallest first.
COMMON_RESOLUTIONS = ((1280, 720), (1920, 1080), (2560, 1440), (3840, 2160))

# IEC 62676-4 operational levels, pixels per metre.
DENSITY = {"detect": 25.0, "observe": 62.5, "recognise": 125.0, "identify": 250.0}


@dataclass(frozen=True)
class Profile:
    zone_kind: str
    task: str  # a key of DENSITY
    scene_width_m: float  # width of scene to cover where the task matters
    min_fps: float
    min_bits_per_pixel: float
    max_keyframe_interval_s: float
    min_sharpness: float
    max_shadows_clipped: float
    max_highlights_clipped: float
    max_noise: float
    reason: str  # message id

    @property
    def min_width(self) -> int:
        needed = DENSITY[self.task] * self.scene_width_m
        return next((w for w, _h in COMMON_RESOLUTIONS if w >= needed), COMMON_RESOLUTIONS[-1][0])

    @property
    def min_height(self) -> int:
        return dict(COMMON_RESOLUTIONS)[self.min_width]

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "min_width": self.min_width, "min_height": self.min_height}


# Shared by every zone: they do not depend on what the camera is for.
# Keyframes: live tamper detection reads keyframes, and playback and evidence clips start at one.
_KEYFRAME_MAX_S = 2.0
# Normalised Laplacian variance (see _images.sharpness): sharp pictures measured 0.03-0.12,
# out-of-focus ones under 0.015.
_SHARPNESS_MIN = 0.02
# A quarter of the picture black, or a tenth burnt white, has lost that part of the scene.
_SHADOWS_MAX = 0.25
_HIGHLIGHTS_MAX = 0.10
# Grey levels: beyond this, noise hides faces' detail and costs bitrate.
_NOISE_MAX = 5.0
# Bits per pixel and frame: H.264 below ~0.04 smears faces into blocks in motion.
_BPP_MIN = 0.04


def _profile(
    kind: ZoneKind, task: str, scene_width_m: float, min_fps: float, reason: str
) -> Profile:
    return Profile(
        zone_kind=kind.value,
        task=task,
        scene_width_m=scene_width_m,
        min_fps=min_fps,
        min_bits_per_pixel=_BPP_MIN,
        max_keyframe_interval_s=_KEYFRAME_MAX_S,
        min_sharpness=_SHARPNESS_MIN,
        max_shadows_clipped=_SHADOWS_MAX,
        max_highlights_clipped=_HIGHLIGHTS_MAX,
        max_noise=_NOISE_MAX,
        reason=reason,
    )


PROFILES: dict[ZoneKind, Profile] = {
    ZoneKind.GATE: _profile(
        ZoneKind.GATE, "identify", 6.0, 12.0,
        N_("Identify who comes in and out (faces, number plates) across a gate about 6 m wide."),
    ),
    ZoneKind.FINANCE_ROOM: _profile(
        ZoneKind.FINANCE_ROOM, "identify", 4.0, 10.0,
        N_("Identify who opens the safe or the cash desk, about 4 m of room."),
    ),
    ZoneKind.IT_ROOM: _profile(
        ZoneKind.IT_ROOM, "recognise", 5.0, 10.0,
        N_("Recognise who works at the racks and the door, about 5 m of room."),
    ),
    ZoneKind.YARD: _profile(
        ZoneKind.YARD, "detect", 40.0, 10.0,
        N_("Detect and follow people across a yard about 40 m wide; identity comes from the gate."),
    ),
    ZoneKind.CORRIDOR: _profile(
        ZoneKind.CORRIDOR, "observe", 8.0, 10.0,
        N_("Observe movement along a corridor, about 8 m wide at its far end."),
    ),
    ZoneKind.CLASSROOM: _profile(
        ZoneKind.CLASSROOM, "observe", 9.0, 10.0,
        N_("Observe the class as a whole (supervision of teaching), about 9 m of room."),
    ),
    ZoneKind.BUILDING_REAR: _profile(
        ZoneKind.BUILDING_REAR, "detect", 30.0, 10.0,
        N_("Detect someone behind a building or at the fence, about 30 m of scene."),
    ),
    ZoneKind.OTHER: _profile(
        ZoneKind.OTHER, "observe", 10.0, 10.0,
        N_("Observe what happens in about 10 m of scene."),
    ),
}  # fmt: skip


def profile_for(zone_kind: str) -> Profile:
    try:
        return PROFILES[ZoneKind(zone_kind)]
    except ValueError:
        return PROFILES[ZoneKind.OTHER]


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def check_profile(measured: StreamMeasurement, profile: Profile) -> list[Check]:
    """Each measured figure against the profile, worst first is left to the reader."""

    def check(
        check_id: str, label: str, ok: bool, seen: Text, required: Text, basis: str = ""
    ) -> Check:
        return Check(
            id=f"profile.{check_id}",
            label=label,
            result=Result.PASS if ok else Result.FAIL,
            seen=seen,
            required=required,
            basis=basis or profile.reason,
        )

    keyframes = measured.keyframe_interval_s
    return [
        check(
            "resolution",
            N_("Resolution"),
            measured.width >= profile.min_width and measured.height >= profile.min_height,
            Text("{value}", {"value": f"{measured.width}x{measured.height}"}),
            Text(N_("at least {value}"), {"value": f"{profile.min_width}x{profile.min_height}"}),
        ),
        check(
            "fps",
            N_("Real frame rate"),
            measured.fps + 0.05 >= profile.min_fps,
            Text(N_("{value} frames/s"), {"value": f"{measured.fps:.1f}"}),
            Text(N_("at least {value} frames/s"), {"value": f"{profile.min_fps:g}"}),
        ),
        check(
            "bitrate",
            N_("Bitrate"),
            measured.bits_per_pixel >= profile.min_bits_per_pixel,
            Text(
                N_("{kbps} kbit/s ({bpp} bits per pixel)"),
                {"kbps": round(measured.bitrate_kbps), "bpp": f"{measured.bits_per_pixel:.3f}"},
            ),
            Text(
                N_("at least {bpp} bits per pixel ({kbps} kbit/s at this resolution and rate)"),
                {
                    "bpp": f"{profile.min_bits_per_pixel:.2f}",
                    "kbps": math.ceil(
                        profile.min_bits_per_pixel
                        * measured.width
                        * measured.height
                        * measured.fps
                        / 1000
                    ),
                },
            ),
            N_("Too few bits turn moving faces into blocks."),
        ),
        check(
            "keyframe_interval",
            N_("Keyframe interval"),
            keyframes is not None and keyframes <= profile.max_keyframe_interval_s + 0.05,
            Text(N_("{value} s"), {"value": f"{keyframes:.1f}"})
            if keyframes is not None
            else Text(
                N_("fewer than two keyframes in {value} s"), {"value": round(measured.seconds)}
            ),
            Text(N_("at most {value} s"), {"value": f"{profile.max_keyframe_interval_s:g}"}),
            N_("Tamper detection reads keyframes, and playback and evidence start at one."),
        ),
        check(
            "sharpness",
            N_("Sharpness"),
            measured.sharpness >= profile.min_sharpness,
            Text("{value}", {"value": f"{measured.sharpness:.3f}"}),
            Text(N_("at least {value}"), {"value": f"{profile.min_sharpness:.3f}"}),
            N_("A picture out of focus or behind a dirty dome identifies no one."),
        ),
        check(
            "shadows",
            N_("Clipped shadows"),
            measured.shadows_clipped <= profile.max_shadows_clipped,
            Text(N_("{value} of the picture is black"), {"value": _pct(measured.shadows_clipped)}),
            Text(N_("at most {value}"), {"value": _pct(profile.max_shadows_clipped)}),
            N_("What is lost in black cannot be brought back from the recording."),
        ),
        check(
            "highlights",
            N_("Clipped highlights"),
            measured.highlights_clipped <= profile.max_highlights_clipped,
            Text(
                N_("{value} of the picture is white"), {"value": _pct(measured.highlights_clipped)}
            ),
            Text(N_("at most {value}"), {"value": _pct(profile.max_highlights_clipped)}),
            N_("Backlight (a bright gate, a window) burns out the faces in front of it."),
        ),
        check(
            "noise",
            N_("Noise"),
            measured.noise <= profile.max_noise,
            Text(N_("{value} grey levels"), {"value": f"{measured.noise:.1f}"}),
            Text(N_("at most {value} grey levels"), {"value": f"{profile.max_noise:g}"}),
            N_("Noise hides detail and eats the bitrate."),
        ),
    ]
