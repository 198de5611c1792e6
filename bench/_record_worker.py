"""Records the given RTSP URLs with camwarden's RecordingService for a while, then exits.

Run as its own process by bench/recording.py, so that its peak memory is its own. It prints
the CPU time spent while recording (from 3 s after the start, when every camera is past its
first keyframe): interpreter start-up and schema migration are not recording costs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from camwarden.capture.service import CameraSource, RecordingService
from camwarden.clock import SystemClock
from camwarden.config import load_settings
from camwarden.governance.authorization import SYSTEM_ACTOR
from camwarden.installation import open_installation


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="cw-bench-"))
    inst = open_installation(load_settings(data_dir, {}))
    sources = []
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Bench",
            kind="other",
            purposes=["security"],
            responsible_unit="IT",
        )
        for index, url in enumerate(args.urls):
            camera = inst.cameras.create(
                session, SYSTEM_ACTOR, name=f"cam{index}", zone_id=zone.id, main_url=url
            )
            sources.append(CameraSource(camera_id=camera.id, url=url))
    service = RecordingService(
        recordings_dir=inst.settings.recordings_dir, index=inst.recordings, clock=SystemClock()
    )
    service.sync(sources)
    time.sleep(3)  # connected and past the first keyframe: steady state from here
    cpu_before = time.process_time()
    time.sleep(args.seconds)
    cpu = time.process_time() - cpu_before
    service.stop()
    print(f"cpu={cpu}")
    frames = sum(s.frames for c in sources for s in inst.recordings.segments(c.camera_id))
    print(f"frames={frames}")


if __name__ == "__main__":
    main()
