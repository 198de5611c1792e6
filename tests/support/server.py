"""`camwarden serve` in a process of its own, as systemd runs it, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

from tests.support.artifacts import TEST_ARTIFACTS

# The server's log is kept for after the test: a pipe nobody reads would lose it, and a full
# pipe would stall the server's next write.
LOGS = TEST_ARTIFACTS / "server-logs"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """A real server over `data_dir`; `start()` returns once its login page answers."""

    def __init__(self, data_dir: Path, *, record: bool = True) -> None:
        self._data_dir = data_dir
        self._record = record
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = LOGS / f"{data_dir.name}-{self.port}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # Generous: on a shared two-core machine under load, imports and migrations can take long.
    def start(self, timeout: float = 90.0) -> str:
        # The test's own CAMWARDEN_* settings must not leak into the server.
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAMWARDEN_")}
        LOGS.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = self._spawn(env, log)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.base_url}/login", timeout=1).status_code == 200:
                    return self.base_url
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                self.process.wait()
                errors = self.log_path.read_text(errors="replace")[-20_000:]
                raise RuntimeError(f"camwarden serve did not start ({self.log_path}):\n{errors}")
            time.sleep(0.2)

    def _spawn(self, env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "camwarden.cli",
                "--data-dir",
                str(self._data_dir),
                "serve",
                "--port",
                str(self.port),
                "--record" if self._record else "--no-record",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as a power cut or the OOM killer would do it."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
