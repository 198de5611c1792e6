"""Segments: stream copy into fragmented MP4, cut at keyframes, indexed as they grow."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av

from camwarden.capture.segments import SegmentWriter
from camwarden.installation import Installation
from camwarden.storage.recordings import RecordingIndex

START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def packets_of(path: Path) -> list[tuple[float, bool]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        return [
            (float(p.pts * stream.time_base), p.is_keyframe)
            for p in container.demux(stream)
            if p.pts is not None
        ]


def record_file(
    source: Path,
    recordings: Path,
    index: RecordingIndex,
    camera_id: int,
    segment_seconds: float,
    stop_after: int | None = None,
) -> SegmentWriter:
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        writer = SegmentWriter(
            camera_id=camera_id,
            recordings_dir=recordings,
            template=stream,
            sink=index,
            segment_seconds=segment_seconds,
        )
        for count, packet in enumerate(container.demux(stream)):
            if packet.pts is None:
                continue
            if stop_after is not None and count == stop_after:
                return writer  # left open, as a killed recorder leaves it
            writer.write(packet, START + timedelta(seconds=float(packet.pts * stream.time_base)))
    writer.close()
    return writer


def test_a_stream_is_copied_into_segments_cut_at_keyframes(
    test_video: Path,
    tmp_path: Path,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    _, camera_id = recording_installation
    record_file(test_video, tmp_path, index, camera_id, segment_seconds=3.0)
    segments = index.segments(camera_id)
    # 8 s at a keyframe every 2 s, cut after 3 s: segments start at 0, 4 and 8 s... of which
    # the last keyframe-started piece holds the tail.
    assert [s.start_at - START for s in segments] == [timedelta(0), timedelta(seconds=4)]
    assert all(s.status == "complete" for s in segments)
    total = 0
    for segment in segments:
        file = tmp_path / segment.path
        assert segment.bytes == file.stat().st_size
        packets = packets_of(file)
        assert packets[0][1], "each segment starts with a keyframe"
        assert len(packets) == segment.frames
        total += len(packets)
    assert total == len(packets_of(test_video))
    assert segments[-1].end_at - START == timedelta(seconds=8)


def test_the_copy_keeps_every_packet_byte_for_byte(
    test_video: Path,
    tmp_path: Path,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    _, camera_id = recording_installation
    record_file(test_video, tmp_path, index, camera_id, segment_seconds=60.0)
    (segment,) = index.segments(camera_id)
    with av.open(str(test_video)) as original, av.open(str(tmp_path / segment.path)) as copy:
        before = [bytes(p) for p in original.demux(original.streams.video[0]) if p.size]
        after = [bytes(p) for p in copy.demux(copy.streams.video[0]) if p.size]
    assert before == after


def test_a_segment_cut_off_mid_write_plays_up_to_its_last_fragment(
    test_video: Path,
    tmp_path: Path,
    recording_installation: tuple[Installation, int],
    index: RecordingIndex,
) -> None:
    _, camera_id = recording_installation
    # 70 packets in: fragments at 0 and 30 are complete; 60..69 are still being written.
    record_file(test_video, tmp_path, index, camera_id, segment_seconds=60.0, stop_after=70)
    (segment,) = index.segments(camera_id)
    crashed = tmp_path / "crashed.mp4"
    shutil.copy(tmp_path / segment.path, crashed)  # the file as the disk holds it now
    packets = packets_of(crashed)
    assert len(packets) == 60
    assert segment.status == "recording"
    # The index knew the disk up to the last fragment boundary.
    assert segment.end_at - START >= timedelta(seconds=3.9)
