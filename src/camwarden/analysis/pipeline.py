"""Packets in, events out: decoding, sampling and the detectors of one camera, in one place.

The live analysis feeds it the recorder's packets, `analyze_file` a file's demuxed packets;
both go through the same `SamplingPolicy`, decoder set-up and `CameraAnalyzer`, so a file
gives the events the live camera would have raised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
from av.video.reformatter import VideoReformatter

from camwarden.analysis.analyzer import CameraAnalyzer
from camwarden.analysis.detectors import DetectorSettings
from camwarden.analysis.events import Event
from camwarden.analysis.frames import ANALYSIS_HEIGHT, ANALYSIS_WIDTH, AnalysisFrame, to_grey
from camwarden.analysis.sampling import SamplingPolicy


@dataclass(frozen=True)
class Analysed:
    """One analysed picture and what came of it."""

    frame: AnalysisFrame
    picture: av.VideoFrame
    """The decoded picture at full size (for snapshots)."""
    events: list[Event]
    motion_level: float
    normal: bool
    """No tamper condition seen, pending or active: a view to show as "before"."""


class PacketAnalyzer:
    """One camera's stream: feed every packet in order, get the analysed pictures."""

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.analyzer = CameraAnalyzer(settings)
        self.policy = SamplingPolicy()
        self.decoded = 0
        self.analysed = 0
        self._decoder: Any = None  # a VideoCodecContext, made again when the stream changes
        self._decoder_for: tuple[str, bytes | None] | None = None
        self._scaler = VideoReformatter()

    def configure(self, settings: DetectorSettings) -> None:
        self.analyzer.configure(settings)

    @property
    def waiting_for_keyframe(self) -> bool:
        """No packet but a keyframe will be decoded next (`SamplingPolicy.waiting_for_keyframe`)."""
        return self.policy.waiting_for_keyframe

    def gap(self) -> None:
        """Packets were dropped: nothing is decoded until the next keyframe."""
        self.policy.broken()

    def feed(
        self,
        data: bytes,
        t: float,
        *,
        keyframe: bool,
        extradata: bytes | None,
        codec: str = "h264",
    ) -> Analysed | None:
        if not self.policy.decode(t, keyframe):
            return None
        if self._decoder is None or self._decoder_for != (codec, extradata):
            if not keyframe:  # a new stream starts at its keyframe
                self.policy.broken()
                return None
            self._new_decoder(codec, extradata)
        decoder = self._decoder
        try:
            pictures = list(decoder.decode(av.Packet(data)))
        except av.FFmpegError:
            self.policy.broken()
            return None
        self.decoded += 1
        if not pictures or not self.policy.analyse(t, keyframe):
            return None
        picture = pictures[-1]
        frame = AnalysisFrame(
            t=t,
            grey=to_grey(picture, ANALYSIS_WIDTH, ANALYSIS_HEIGHT, self._scaler),
            keyframe=keyframe,
        )
        events = self.analyzer.feed(frame)
        self.policy.attend(
            self.analyzer.attentive,
            dense=self.analyzer.dense,
            learning=self.analyzer.tamper.learning,
        )
        self.analysed += 1
        return Analysed(
            frame=frame,
            picture=picture,
            events=events,
            motion_level=self.analyzer.motion.level,
            normal=not self.analyzer.attentive and not self.analyzer.tamper.active,
        )

    def _new_decoder(self, codec: str, extradata: bytes | None) -> None:
        decoder = av.CodecContext.create(codec, "r")
        if extradata:
            decoder.extradata = extradata
        # One packet in, its picture out: the sampling decides on the picture it just fed.
        decoder.flags |= av.codec.context.Flags.low_delay
        # The deblocking filter stays on, though it is a tenth of a keyframe's decoding:
        # skipped, the frames between keyframes kept block edges that a small defocus does not
        # smooth, and such defocuses were missed (docs/analysis-evaluation.md, seventeenth
        # round).
        self._decoder, self._decoder_for = decoder, (codec, extradata)


def analyze_packets_of(path: Path, settings: DetectorSettings | None = None) -> Iterator[Analysed]:
    """A video file's packets through the live path, at the file's own timestamps."""
    packets = PacketAnalyzer(settings)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        codec = stream.codec_context.name
        extradata = stream.codec_context.extradata
        start: float | None = None
        for packet in container.demux(stream):
            if packet.pts is None or packet.time_base is None or packet.size == 0:
                continue
            at = float(packet.pts * packet.time_base)
            start = at if start is None else start
            analysed = packets.feed(
                bytes(packet),
                at - start,
                keyframe=packet.is_keyframe,
                extradata=extradata,
                codec=codec,
            )
            if analysed is not None:
                yield analysed
