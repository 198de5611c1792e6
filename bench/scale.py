"""Benchmark: 32 cameras recorded on this 2-core machine while the web answers.

    .venv/bin/python bench/scale.py [--cameras 32] [--seconds 60] [--runs 3]

A real `camwarden serve` records N simulated cameras (720p, 15 fps, 2 Mbit/s); meanwhile one
client asks for a camera's day timeline and the camera list, one request after another, for
`--seconds`. The p95 latency of each is printed beside the same requests against the same
server with recording off (`--no-record`, the baseline, measured in the same run), with the
ratio. Issue goal: p95 under 200 ms while recording 32 cameras.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from camwarden.config import load_settings  # noqa: E402
from camwarden.governance.accounts import actor_for  # noqa: E402
from camwarden.governance.authorization import SYSTEM_ACTOR  # noqa: E402
from camwarden.i18n import SCHOOL_TIMEZONE  # noqa: E402
from camwarden.installation import open_installation  # noqa: E402
from camwarden.simulator.cameras import RtspCamera, make_test_video  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(data_dir: Path, urls: list[str]) -> str:
    """Cameras in service and a principal's API token."""
    inst = open_installation(load_settings(data_dir, {}))
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            SYSTEM_ACTOR,
            name="Bench",
            kind="other",
            purposes=["security"],
            responsible_unit="IT",
        )
        for index, url in enumerate(urls):
            camera = inst.cameras.create(
                session, SYSTEM_ACTOR, name=f"cam{index:02d}", zone_id=zone.id, main_url=url
            )
            inst.cameras.set_state(session, SYSTEM_ACTOR, camera.id, "in_service", reason="bench")
        user = inst.accounts.create(
            session,
            SYSTEM_ACTOR,
            username="hieutruong",
            full_name="Bench",
            role="principal",
            password="Bench-2026-pass",
            must_change_password=False,
        ).user
        _, token = inst.authentication.create_api_token(session, actor_for(user), "bench")
    inst.close()
    return token


def measure(data_dir: Path, token: str, seconds: float, record: bool) -> dict[str, float]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMWARDEN_")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "camwarden.cli",
            "--data-dir",
            str(data_dir),
            "serve",
            "--port",
            str(port),
            "--record" if record else "--no-record",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    day = datetime.now(SCHOOL_TIMEZONE).date().isoformat()
    try:
        with httpx.Client(headers=headers, timeout=10) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get(f"{base}/me")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            time.sleep(10 if record else 1)  # every recorder connected
            timings: dict[str, list[float]] = {"timeline": [], "cameras": []}
            stop = time.monotonic() + seconds
            while time.monotonic() < stop:
                for name, path in (
                    ("timeline", f"/cameras/1/timeline?day={day}"),
                    ("cameras", "/cameras"),
                ):
                    began = time.perf_counter()
                    client.get(base + path).raise_for_status()
                    timings[name].append(time.perf_counter() - began)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {name: statistics.quantiles(values, n=20)[18] for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cameras", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    video = make_test_video(seconds=20)
    cameras = [RtspCamera(video, path=f"/cam{i}", port=0) for i in range(args.cameras)]
    data_dir = Path(tempfile.mkdtemp(prefix="cw-scale-"))
    try:
        for camera in cameras:
            camera.start()
        token = prepare(data_dir, [c.url for c in cameras])
        loaded, idle = [], []
        for _ in range(args.runs):
            loaded.append(measure(data_dir, token, args.seconds, record=True))
            idle.append(measure(data_dir, token, args.seconds, record=False))
    finally:
        for camera in cameras:
            camera.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(
        f"scale, {args.cameras} cameras recorded, p95 over {args.seconds:.0f} s, "
        f"median of {args.runs} runs:"
    )
    for name in ("timeline", "cameras"):
        busy = statistics.median(r[name] for r in loaded) * 1000
        calm = statistics.median(r[name] for r in idle) * 1000
        print(
            f"  {name}: {busy:.1f} ms while recording, {calm:.1f} ms not recording, "
            f"ratio {busy / calm:.2f}"
        )


if __name__ == "__main__":
    main()
