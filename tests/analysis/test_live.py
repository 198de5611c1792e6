"""The live analyzer never holds up the recorder: when it falls behind it drops packets up to
the next keyframe (a P-frame without its keyframe is garbage), counts them and says so."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest

from camwarden.analysis.live import BEHIND_RECENTLY, QUEUE_PACKETS, AnalysisState, LiveAnalyzer
from camwarden.analysis.pipeline import PacketAnalyzer
from tests.capture.conftest import encode_test_video


class NoEvents:
    def open_events(self, camera_id: int) -> list[object]:
        return []

    def open_event(self, *args: object, **kwargs: object) -> int:
        raise AssertionError("no event expected")

    def close_event(self, event_id: int, ended_at: datetime) -> None:
        raise AssertionError("no event expected")


class StuckActivity:
    """An activity log that hangs until released: the analysis thread stops with it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.levels: list[float] = []

    def record(self, camera_id: int, at: datetime, level: float) -> None:
        self.entered.set()
        self.release.wait(10)
        self.levels.append(level)


def packets_of(path: Path) -> tuple[list[tuple[bytes, bool]], bytes | None]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        extradata = stream.codec_context.extradata
        packets = [(bytes(p), p.is_keyframe) for p in container.demux(stream) if p.size]
    return packets, extradata


def test_an_analysis_that_falls_behind_drops_up_to_the_next_keyframe_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # 20 s at 15 fps, a keyframe every 2 s: 300 packets, 10 keyframes.
    packets, extradata = packets_of(encode_test_video(tmp_path / "v.mp4", seconds=20.0))
    activity = StuckActivity()
    analyzer = LiveAnalyzer(7, NoEvents(), activity=activity)
    start = datetime(2026, 11, 26, 8, tzinfo=UTC)

    def offer(index: int) -> None:
        data, keyframe = packets[index]
        at = start + timedelta(seconds=index / 15)
        analyzer.offer_packet(data, at, keyframe=keyframe, extradata=extradata)

    caplog.set_level(logging.WARNING, logger="camwarden.analysis.live")
    try:
        offer(0)  # the first keyframe: analysed, and the thread hangs in the activity log
        assert activity.entered.wait(10)
        assert analyzer.state() == AnalysisState(learning=True, behind=False, skipped_packets=0)
        for index in range(1, QUEUE_PACKETS + 11):  # 10 more than the queue holds
            offer(index)
        assert (analyzer.dropped, analyzer.overflows) == (10, 1)
        assert "camera 7: analysis is behind" in caplog.text
        # The health page says so too, for a minute of the stream.
        assert analyzer.state() == AnalysisState(learning=True, behind=True, skipped_packets=10)

        activity.release.set()
        deadline = time.monotonic() + 10
        while analyzer.analysed < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        # Room again, but the P-frames that follow lost their predecessors: still dropped...
        offer(QUEUE_PACKETS + 11)
        assert not packets[QUEUE_PACKETS + 11][1]
        assert analyzer.dropped == 11
        # ...until the next keyframe, which starts a decodable GOP again.
        next_key = next(i for i in range(QUEUE_PACKETS + 12, len(packets)) if packets[i][1])
        for index in range(QUEUE_PACKETS + 12, next_key + 1):
            offer(index)
        assert analyzer.dropped == 11 + (next_key - QUEUE_PACKETS - 12)
        assert analyzer.overflows == 1
        # A minute of the stream later without falling behind again, it is no longer behind.
        data, keyframe = packets[next_key]
        later = start + timedelta(seconds=next_key / 15) + BEHIND_RECENTLY
        analyzer.offer_packet(data, later, keyframe=keyframe, extradata=extradata)
        assert not analyzer.state().behind
    finally:
        activity.release.set()
        analyzer.stop()
    assert all(0.0 <= level <= 1.0 for level in activity.levels)


def test_p_frames_the_analysis_would_not_decode_are_not_even_queued(tmp_path: Path) -> None:
    # 20 s at 15 fps, a keyframe every 2 s, still learning: the first GOP's frames and the
    # keyframes are decoded, exactly as when every packet is fed; most P-frames never wake
    # the analysis thread.
    packets, extradata = packets_of(encode_test_video(tmp_path / "v.mp4", seconds=20.0))
    every_packet_fed = PacketAnalyzer()
    for index, (data, keyframe) in enumerate(packets):
        every_packet_fed.feed(data, index / 15, keyframe=keyframe, extradata=extradata)
    analyzer = LiveAnalyzer(7, NoEvents())
    start = datetime(2026, 11, 26, 8, tzinfo=UTC)
    try:
        for index, (data, keyframe) in enumerate(packets):
            at = start + timedelta(seconds=index / 15)
            analyzer.offer_packet(data, at, keyframe=keyframe, extradata=extradata)
            time.sleep(0.005)  # a camera's pace, faster: the analysis keeps up
    finally:
        analyzer.stop()
    assert analyzer.dropped == 0
    assert analyzer.decoded == every_packet_fed.decoded
    assert analyzer.not_queued > len(packets) // 2
