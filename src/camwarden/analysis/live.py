"""Tamper detection and motion on a live camera, in a thread of its own beside the recorder.

The recorder offers every video packet (`offer_packet`: bytes and flags, never blocks); the
analysis thread decodes what the sampling policy asks for (keyframes, and the frames between
while a detector is deciding: `sampling.py`), runs the detectors, and:

- opens and closes tamper events (the health page, the timeline) with the wall-clock moment
  the condition was first seen or first seen gone, the detector's score, and JPEG snapshots of
  the last view judged normal before the onset and of the view that raised the event;
- hands every analysed picture's motion level to the activity log;
- takes over the tamper events a stopped analysis left open (the server or the recorder
  restarted during them), and ends each once the view learnt again is its view before.

Most P-frames are never decoded (the sampling waits for the next keyframe once one is
skipped), so once the analysis thread has said so for a packet, the P-frames offered after it
are not queued at all until a keyframe is offered: the same frames are decoded, and the thread
is not woken 15 times a second for packets it would only look at and drop.

Recording never waits for analysis. When the queue is full, packets are dropped up to the
next keyframe (a P-frame without the frames before it cannot be decoded), counted, and
logged. `signal_loss` is the recorder's own `video_loss` event, so it is not stored here.
IT's changes to the mask and sensitivities arrive through `configure`, and IT's word that
the camera shows its normal view now through `learn_view_again`, between two packets, without
touching the recorder.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import av

from camwarden.analysis.detectors import DetectorSettings
from camwarden.analysis.events import TAMPER_KINDS, Event
from camwarden.analysis.frames import ANALYSIS_HEIGHT, ANALYSIS_WIDTH, GreyImage, to_grey
from camwarden.analysis.pipeline import Analysed, PacketAnalyzer
from camwarden.analysis.snapshots import SnapshotStore, Which, jpeg_of

log = logging.getLogger(__name__)

# About 8 s of a 15 fps camera: a short stall of the analysis loses nothing.
QUEUE_PACKETS = 120
# An analysis that fell behind this recently (in the stream's time) is shown as behind.
BEHIND_RECENTLY = timedelta(minutes=1)


class StoredEvent(Protocol):
    """An event as the sink keeps it (`storage.models.CameraEvent`)."""

    @property
    def id(self) -> int: ...

    @property
    def kind(self) -> str: ...

    @property
    def snapshot_before(self) -> str | None: ...


class EventSink(Protocol):
    def open_events(self, camera_id: int) -> Sequence[StoredEvent]: ...

    def open_event(
        self,
        camera_id: int,
        kind: str,
        started_at: datetime,
        details: str = "",
        *,
        score: float | None = None,
        snapshot_before: str | None = None,
        snapshot_after: str | None = None,
    ) -> int: ...

    def close_event(self, event_id: int, ended_at: datetime) -> None: ...


class ActivitySink(Protocol):
    """Where motion levels go (`storage.activity.ActivityLog`)."""

    def record(self, camera_id: int, at: datetime, level: float) -> None: ...


@dataclass(frozen=True)
class AnalysisState:
    """One camera's analysis as it is now, for the health page."""

    learning: bool
    """Learning the normal view: no tamper event can be raised yet."""
    behind: bool
    """It fell behind in the last BEHIND_RECENTLY of the stream, and dropped packets."""
    skipped_packets: int
    """Packets dropped since the analysis started because it was behind."""


@dataclass(frozen=True)
class _Packet:
    index: int
    """Its place in the stream (`LiveAnalyzer.offered` when it was offered)."""
    data: bytes
    at: datetime
    keyframe: bool
    extradata: bytes | None
    codec: str


class LiveAnalyzer:
    def __init__(
        self,
        camera_id: int,
        sink: EventSink,
        settings: DetectorSettings | None = None,
        *,
        snapshots_dir: Path | None = None,
        activity: ActivitySink | None = None,
    ) -> None:
        self.camera_id = camera_id
        self.offered = 0
        """Packets offered by the recorder."""
        self.dropped = 0
        """Packets dropped because the analysis was behind."""
        self.overflows = 0
        """Times the queue overflowed (each drops packets up to the next keyframe)."""
        self._last_overflow_at: datetime | None = None
        self._last_offered_at: datetime | None = None
        self._sink = sink
        self._activity = activity
        self._snapshots = SnapshotStore(snapshots_dir) if snapshots_dir is not None else None
        self._settings = settings or DetectorSettings()
        self._new_settings: DetectorSettings | None = None
        self._learn_again = False
        self.view_learnings_asked = 0
        """IT's requests to learn the view again that reached this analysis."""
        self._settings_lock = threading.Lock()
        self._skipping = False
        self._last_keyframe_offered = 0
        # Written by the analysis thread: the last packet after which it decodes nothing until
        # a keyframe. An int is written and read whole under the GIL.
        self._waits_for_keyframe_after = -1
        self.not_queued = 0
        """P-frames not queued because the analysis would not decode them (see above)."""
        self._queue: queue.Queue[_Packet | None] = queue.Queue(QUEUE_PACKETS)
        self._packets = PacketAnalyzer(self._settings)
        self._thread = threading.Thread(target=self._run, name=f"analysis-{camera_id}", daemon=True)
        self._thread.start()

    # -- the recorder's side ---------------------------------------------------------------

    def offer_packet(
        self,
        data: bytes,
        at: datetime,
        *,
        keyframe: bool,
        extradata: bytes | None,
        codec: str = "h264",
    ) -> None:
        """Every video packet of the camera, in stream order; never blocks."""
        self.offered += 1
        self._last_offered_at = at
        if self._skipping and not keyframe:
            self.dropped += 1
            return
        if keyframe:
            self._last_keyframe_offered = self.offered
        elif self._waits_for_keyframe_after >= self._last_keyframe_offered:
            # The analysis, having seen everything up to then, waits for a keyframe, and none
            # was offered since: it would drop this packet undecoded.
            self.not_queued += 1
            return
        try:
            self._queue.put_nowait(_Packet(self.offered, data, at, keyframe, extradata, codec))
        except queue.Full:
            self.dropped += 1
            if not self._skipping:
                self.overflows += 1
                self._last_overflow_at = at
                log.warning(
                    "camera %s: analysis is behind; skipping to the next keyframe "
                    "(%d packets skipped so far)",
                    self.camera_id,
                    self.dropped,
                )
            self._skipping = True
            return
        self._skipping = False

    def offer(self, keyframe: bytes, at: datetime, extradata: bytes | None) -> None:
        """A keyframe alone (what the recorder offered before every packet was)."""
        self.offer_packet(keyframe, at, keyframe=True, extradata=extradata)

    # -- settings and lifecycle ------------------------------------------------------------

    @property
    def settings(self) -> DetectorSettings:
        with self._settings_lock:
            return self._new_settings or self._settings

    def configure(self, settings: DetectorSettings) -> None:
        """New mask or sensitivities, applied before the next packet is analysed."""
        with self._settings_lock:
            if settings != (self._new_settings or self._settings):
                self._new_settings = settings

    def learn_view_again(self) -> None:
        """Learn the normal view again from the next packet analysed, and end the tamper events
        this analysis has open (IT has ended them already; this also ends one raised since)."""
        with self._settings_lock:
            self._learn_again = True
            self.view_learnings_asked += 1

    def stop(self) -> None:
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join(5)

    # -- the analysis thread ---------------------------------------------------------------

    @property
    def learnt(self) -> bool:
        """The normal view is learnt: tamper events can be raised."""
        return not self._packets.analyzer.tamper.learning

    def state(self) -> AnalysisState:
        overflow, latest = self._last_overflow_at, self._last_offered_at
        behind = overflow is not None and latest is not None and latest - overflow < BEHIND_RECENTLY
        return AnalysisState(learning=not self.learnt, behind=behind, skipped_packets=self.dropped)

    @property
    def decoded(self) -> int:
        """Pictures decoded so far (keyframes, and frames between while deciding)."""
        return self._packets.decoded

    @property
    def analysed(self) -> int:
        return self._packets.analysed

    def _run(self) -> None:
        packets = self._packets
        origin: datetime | None = None
        last_t = 0.0
        open_events: dict[str, int] = {}
        carried = self._carried_over(open_events)
        before: tuple[av.VideoFrame, datetime] | None = None
        while True:
            item = self._queue.get()
            if item is None:
                return
            with self._settings_lock:
                changed, self._new_settings = self._new_settings, None
                learn_again, self._learn_again = self._learn_again, False
            if changed is not None:
                self._settings = changed
                packets.configure(changed)
            if learn_again:
                log.info("camera %s: learning the normal view again, as IT asked", self.camera_id)
                self._end_open_events(open_events, item.at)
                carried, before = {}, None
                packets.analyzer.learn_again()
            origin = origin or item.at
            # A clock rebase in the recorder may step back; the detectors need time to advance.
            last_t = max(last_t, (item.at - origin).total_seconds())
            try:
                analysed = packets.feed(
                    item.data,
                    last_t,
                    keyframe=item.keyframe,
                    extradata=item.extradata,
                    codec=item.codec,
                )
                if packets.waiting_for_keyframe:
                    self._waits_for_keyframe_after = item.index
                if analysed is None:
                    continue
                if carried and not packets.analyzer.tamper.learning:
                    self._settle_carried_over(carried, open_events, item.at)
                    carried = {}
                if self._activity is not None:
                    self._activity.record(self.camera_id, item.at, analysed.motion_level)
                for event in analysed.events:
                    self._store(event, origin, analysed, before, open_events)
                if analysed.normal:
                    before = (analysed.picture, item.at)
            except Exception:  # one bad picture or a database hiccup must not end analysis
                log.exception("camera %s: analysing a picture failed", self.camera_id)

    def _carried_over(self, open_events: dict[str, int]) -> dict[int, GreyImage | None]:
        """Tamper events left open by the analysis before this one (the server or the
        recorder restarted during them): taken as this one's, so that the same kind is not
        opened twice and its end closes them, each with the view before it, judged once the
        view is learnt again (`_settle_carried_over`)."""
        carried: dict[int, GreyImage | None] = {}
        try:
            stored = self._sink.open_events(self.camera_id)
        except Exception:  # the database may be back later; the events then stay open
            log.exception("camera %s: reading the open events failed", self.camera_id)
            return carried
        for event in stored:
            if event.kind in TAMPER_KINDS:
                open_events.setdefault(event.kind, event.id)
                carried[event.id] = self._view_before(event.snapshot_before)
        return carried

    def _view_before(self, relative: str | None) -> GreyImage | None:
        """An event's picture of the view before it, at the analysis size."""
        path = self._snapshots.resolve(relative) if self._snapshots is not None else None
        if path is None:
            return None
        try:
            with av.open(str(path)) as container:
                picture = next(container.decode(video=0))
                return to_grey(picture, ANALYSIS_WIDTH, ANALYSIS_HEIGHT)
        except (av.FFmpegError, OSError, StopIteration) as error:
            log.warning("camera %s: snapshot %s unreadable: %s", self.camera_id, relative, error)
            return None

    def _settle_carried_over(
        self, carried: dict[int, GreyImage | None], open_events: dict[str, int], at: datetime
    ) -> None:
        """Ends each carried-over event whose view before it is the view just learnt: the
        camera shows its view again. The others stay open: a tampering that went on through
        the restart stays raised, for someone to look at (IT ends it by having the view learnt
        again). This analysis learnt what the camera shows now, so it will not end them, and
        lets them go: a later tampering of the same kind is an event of its own, ended when
        that tampering ends."""
        tamper = self._packets.analyzer.tamper
        for event_id, view_before in carried.items():
            for kind in [k for k, open_id in open_events.items() if open_id == event_id]:
                del open_events[kind]
            if view_before is not None and tamper.shows_its_view(view_before):
                self._sink.close_event(event_id, at)
            else:
                log.warning(
                    "camera %s: tamper event %s, open before the analysis restarted, stays "
                    "open: the view learnt now is not the view before it",
                    self.camera_id,
                    event_id,
                )

    def _end_open_events(self, open_events: dict[str, int], at: datetime) -> None:
        for event_id in set(open_events.values()):
            try:
                self._sink.close_event(event_id, at)
            except Exception:  # the database may be back later; IT has ended these already
                log.exception("camera %s: ending tamper event %s failed", self.camera_id, event_id)
        open_events.clear()

    def _store(
        self,
        event: Event,
        origin: datetime,
        analysed: Analysed,
        before: tuple[av.VideoFrame, datetime] | None,
        open_events: dict[str, int],
    ) -> None:
        kind = str(event.event)
        if kind not in TAMPER_KINDS:
            return
        moment = origin + timedelta(seconds=event.since)
        if event.state == "start" and kind not in open_events:
            at = origin + timedelta(seconds=analysed.frame.t)
            before_path = self._snapshot(before[0], before[1], kind, "before") if before else None
            after_path = self._snapshot(analysed.picture, at, kind, "after")
            open_events[kind] = self._sink.open_event(
                self.camera_id,
                kind,
                moment,
                f"score {event.score:.2f}",
                score=round(event.score, 4),
                snapshot_before=before_path,
                snapshot_after=after_path,
            )
        elif event.state == "end" and kind in open_events:
            self._sink.close_event(open_events.pop(kind), moment)

    def _snapshot(
        self, picture: av.VideoFrame, at: datetime, kind: str, which: Which
    ) -> str | None:
        if self._snapshots is None:
            return None
        try:
            return self._snapshots.save(self.camera_id, at, kind, which, jpeg_of(picture))
        except (OSError, av.FFmpegError) as error:  # the event matters more than its picture
            log.warning("camera %s: snapshot not saved: %s", self.camera_id, error)
            return None
