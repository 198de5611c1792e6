"""Keeps recording in step with the camera register, beside the web server.

At start it repairs the index from the disk (a crash may have left segments open), then
every few seconds it hands the recording service the cameras currently in service, so a
camera put in or out of service starts or stops recording without a restart, and IT's
analysis settings (mask, sensitivities) and requests to learn the view again reach the
camera's analyzer within one sync, without its recording being restarted.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import select

from camwarden.analysis.sensitivity import parse_sensitivity
from camwarden.analysis.snapshots import snapshots_dir
from camwarden.capture.fsck import repair_index
from camwarden.capture.recorder import StreamOpener, open_rtsp
from camwarden.capture.service import CameraSource, RecordingService
from camwarden.governance.cameras import CameraState
from camwarden.installation import Installation
from camwarden.retention import RetentionService, RetentionWorker
from camwarden.storage.models import Camera

log = logging.getLogger(__name__)


class RecordingSupervisor:
    def __init__(
        self,
        installation: Installation,
        *,
        opener: StreamOpener = open_rtsp,
        sync_seconds: float = 5.0,
    ) -> None:
        settings = installation.settings
        self._inst = installation
        self._sync_seconds = sync_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.retention = RetentionWorker(RetentionService.for_installation(installation))
        self.service = RecordingService(
            recordings_dir=settings.recordings_dir,
            index=installation.recordings,
            clock=installation.clock,
            opener=opener,
            segment_seconds=settings.segment_seconds,
            video_loss_seconds=settings.video_loss_seconds,
            snapshots_dir=snapshots_dir(settings.data_dir),
            activity=installation.activity,
        )

    def start(self) -> None:
        recordings_dir = self._inst.settings.recordings_dir
        recordings_dir.mkdir(parents=True, exist_ok=True)
        report = repair_index(self._inst.database, recordings_dir)
        if report.changed:
            log.warning(
                "recordings repaired at start: %d recovered, %d indexed, %d missing, %d damaged",
                len(report.recovered),
                len(report.indexed),
                len(report.missing),
                len(report.damaged),
            )
        # After fsck, so deletions a crash interrupted are finished before new ones start.
        self.retention.start()
        self.sync()
        self._thread = threading.Thread(target=self._loop, name="recording-sync", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        self.retention.stop()
        self.service.stop()

    def sync(self) -> None:
        self.service.sync(self._sources())

    def _loop(self) -> None:
        while not self._stop.wait(self._sync_seconds):
            try:
                self.sync()
            except Exception:  # the loop must outlive any one bad read of the register
                log.exception("recording sync failed; trying again")

    def _sources(self) -> list[CameraSource]:
        with self._inst.database.reading() as session:
            cameras = session.scalars(
                select(Camera).where(Camera.state == CameraState.IN_SERVICE.value)
            ).all()
            sources = []
            for camera in cameras:
                credentials = self._inst.cameras.credentials(camera)
                username, password = credentials if credentials else (None, None)
                sources.append(
                    CameraSource(
                        camera_id=camera.id,
                        url=camera.main_url,
                        username=username,
                        password=password,
                        analysis_mask=camera.analysis_mask,
                        tamper_sensitivity=parse_sensitivity(
                            camera.tamper_sensitivity, field="tamper_sensitivity"
                        ),
                        motion_sensitivity=parse_sensitivity(
                            camera.motion_sensitivity, field="motion_sensitivity"
                        ),
                        view_learning_requests=camera.view_learning_requests,
                    )
                )
        return sources
