"""Simulated IP cameras: H.264 video served over RTSP by a real RTSP server.

Used by `camwarden demo` (the school's cameras, simulated), the test suite and the benchmarks.
A camera is `rtsp_camera.py` beside this file, run by Debian's `/usr/bin/python3` (which has
the GStreamer bindings; the virtualenv does not), serving one H.264 file looped forever at
real-time pace. Needs Debian's ffmpeg, python3-gi and gst-rtsp-server: `make system-deps`.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Literal, NoReturn
from urllib.parse import quote, urlsplit

SYSTEM_PYTHON = Path("/usr/bin/python3")
FFMPEG = Path("/usr/bin/ffmpeg")
CAMERA_SCRIPT = Path(__file__).resolve().parent / "rtsp_camera.py"
READY_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 5.0
ENCODE_TIMEOUT_S = 300.0

_CAMERA_NAME = re.compile(r"[A-Za-z0-9._-]+")

AuthMethod = Literal["digest", "basic"]


class RtspCameraError(RuntimeError):
    """A simulated camera could not start, or was used in a state that does not allow it."""


# -- Test video --------------------------------------------------------------------------------


@functools.cache
def _video_cache() -> Path:
    """One temporary folder per test session (per process), removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="camwarden-test-video-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def make_test_video(
    path: str | os.PathLike[str] | None = None,
    *,
    seconds: float = 10,
    width: int = 1280,
    height: int = 720,
    fps: int = 15,
    gop: int = 30,
    pattern: str = "testsrc2",
    source: str | os.PathLike[str] | None = None,
    noise: int | None = None,
    bitrate_kbps: int = 2000,
    picture_filter: str | None = None,
) -> Path:
    """An Annex-B H.264 file as an IP camera would send it, for `RtspCamera`.

    Encoded by Debian's ffmpeg with libx264: no B-frames, an IDR every `gop` frames, an access
    unit delimiter before every frame (how the camera script finds frames), constant bitrate.
    The picture is ffmpeg's lavfi `pattern` (`testsrc2`, `smptebars`, `color=c=black`, ...) with
    `noise` (default 10: a sensor is never clean), or, with `source`, a real video file scaled
    to `width`x`height` and resampled to `fps`, looped if shorter than `seconds`.
    `picture_filter` is an ffmpeg filter chain applied to the picture before the noise (e.g.
    `gblur=sigma=6` for a camera out of focus, `eq=brightness=-0.45` for one in the dark).

    Files are cached by their parameters for the session, so asking twice costs nothing.
    Returns `path` when given (a link to or copy of the cached file), else the cached file.
    """
    if width % 2 or height % 2:
        raise ValueError(f"width and height must be even for yuv420p, not {width}x{height}")
    if source is not None:
        source_path = Path(source).resolve()
        stat = source_path.stat()  # FileNotFoundError names the missing file
        picture = f"file:{source_path}:{stat.st_size}:{stat.st_mtime_ns}"
    else:
        picture = f"lavfi:{pattern}"
    noise_level = noise if noise is not None else (0 if source is not None else 10)
    key = f"{picture}|{seconds}|{width}x{height}|{fps}|{gop}|{noise_level}|{bitrate_kbps}"
    if picture_filter:
        key += f"|{picture_filter}"
    cached = _video_cache() / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.h264"

    if not cached.exists():
        filters = [picture_filter] if picture_filter else []
        filters += [f"noise=alls={noise_level}:allf=t+u"] if noise_level else []
        if source is not None:
            # Loop the source so any `seconds` can be served, whatever its own length.
            inputs = ["-stream_loop", "-1", "-i", str(source_path)]
            filters = [f"scale={width}:{height}", "setsar=1", f"fps={fps}", *filters]
        else:
            joiner = ":" if "=" in pattern else "="
            inputs = ["-f", "lavfi", "-i", f"{pattern}{joiner}size={width}x{height}:rate={fps}"]
        partial = cached.with_suffix(".partial")
        bitrate = f"{bitrate_kbps}k"
        command = [
            str(FFMPEG), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            *inputs,
            "-t", str(seconds), "-an",
            *(["-vf", ",".join(filters)] if filters else []),
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
            "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0", "-bf", "0",
            "-x264-params", "aud=1",
            "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate,
            "-pix_fmt", "yuv420p", "-f", "h264", str(partial),
        ]  # fmt: skip
        result = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=ENCODE_TIMEOUT_S
        )
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise RuntimeError(
                f"ffmpeg could not make the test video ({result.returncode}):\n"
                f"{' '.join(command)}\n{result.stderr}"
            )
        partial.replace(cached)  # atomic: a cached file is always complete

    if path is None:
        return cached
    target = Path(path)
    if target.resolve() != cached.resolve():
        target.unlink(missing_ok=True)
        try:
            os.link(cached, target)
        except OSError:  # another file system
            shutil.copyfile(cached, target)
    return target


# -- Camera process ----------------------------------------------------------------------------


class RtspCamera:
    """One simulated camera: `rtsp_camera.py` serving `video` on rtsp://host:port/path.

    With `port=0` the camera process lets the system pick a free port when it first starts (no
    probe-then-bind race) and the camera keeps that port afterwards: a camera stopped and
    started again comes back on the same URL, as a real camera does after an outage.
    With `user` and `password` the camera refuses readers without them (401), asking by
    `auth`: "digest" (what most IP cameras use) or "basic".
    """

    def __init__(
        self,
        video: str | os.PathLike[str],
        *,
        path: str = "/cam1",
        port: int = 0,
        host: str = "127.0.0.1",
        fps: int = 15,
        user: str | None = None,
        password: str | None = None,
        auth: AuthMethod = "digest",
    ) -> None:
        if (user is None) != (password is None):
            raise ValueError("user and password go together")
        self.video = Path(video)
        self.path = path if path.startswith("/") else f"/{path}"
        self.port = port
        self.host = host
        self.fps = fps
        self.user = user
        self.password = password
        self.auth = auth
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None

    def __repr__(self) -> str:
        state = "running" if self.is_running else "stopped"
        return f"<RtspCamera {self.host}:{self.port or '?'}{self.path} {self.video.name} {state}>"

    @property
    def url(self) -> str:
        """The camera's URL without credentials (what a reader without them would use)."""
        if not self.port:
            raise RtspCameraError(f"camera {self.path} has no port until it is first started")
        return f"rtsp://{self.host}:{self.port}{self.path}"

    def url_with_credentials(self, user: str | None = None, password: str | None = None) -> str:
        """The URL with `user:password@` in it; by default the camera's own credentials."""
        user = self.user if user is None else user
        password = self.password if password is None else password
        if user is None or password is None:
            raise RtspCameraError(f"camera {self.path} has no credentials; pass user and password")
        userinfo = f"{quote(user, safe='')}:{quote(password, safe='')}"
        return f"rtsp://{userinfo}@{self.host}:{self.port}{self.path}"

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.is_running and self._process else None

    def start(self, *, ready_timeout_s: float = READY_TIMEOUT_S) -> None:
        """Starts the camera process and returns once it listens; raises with its stderr if not."""
        if self.is_running:
            raise RtspCameraError(f"camera {self.url} is already running")
        self._close_pipes()
        command = [
            str(SYSTEM_PYTHON), str(CAMERA_SCRIPT),
            "--file", str(self.video),
            "--port", str(self.port),
            "--path", self.path,
            "--address", self.host,
            "--fps", str(self.fps),
            "--exit-with-parent",
        ]  # fmt: skip
        if self.user is not None and self.password is not None:
            command += ["--user", self.user, "--password", self.password, "--auth", self.auth]
        # stderr to a file, not a pipe: nobody reads it while the camera runs, and a full pipe
        # would block GStreamer's logging and with it the stream. It lives as long as the
        # process, so no `with`: _close_pipes closes it.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._stderr
        )
        line = self._read_ready_line(ready_timeout_s)
        if not line.startswith("READY "):
            self._fail(f"printed {line!r} instead of READY rtsp://...")
        bound = urlsplit(line.split(maxsplit=1)[1]).port
        if bound is None or (self.port and bound != self.port):
            self._fail(f"reported {line!r}; expected port {self.port or 'any'}")
        self.port = bound

    def stop(self, *, timeout_s: float = STOP_TIMEOUT_S) -> int | None:
        """SIGTERM, then wait (SIGKILL after `timeout_s`). Returns the exit status, if it ran."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_pipes()
        return process.returncode

    def kill(self) -> int | None:
        """A hard stop (SIGKILL): the camera vanishes without closing its connections."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
            process.wait()
        self._close_pipes()
        return process.returncode

    def switch_file(self, video: str | os.PathLike[str]) -> None:
        """Serves another file on the same URL (a restart: readers see a short outage)."""
        self.stop()
        self.video = Path(video)
        self.start()

    def __enter__(self) -> RtspCamera:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _read_ready_line(self, timeout_s: float) -> str:
        assert self._process is not None and self._process.stdout is not None
        fd = self._process.stdout.fileno()
        deadline = time.monotonic() + timeout_s
        received = b""
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in received:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._fail(f"did not print READY within {timeout_s:g} s")
                if selector.select(remaining):
                    chunk = os.read(fd, 4096)
                    if not chunk:
                        self._process.wait(STOP_TIMEOUT_S)
                        self._fail(f"exited with status {self._process.returncode} before READY")
                    received += chunk
        return received.split(b"\n", 1)[0].decode(errors="replace").strip()

    def _fail(self, what: str) -> NoReturn:
        """Ends the process and raises, with everything it wrote on stderr."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        stderr = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            stderr = self._stderr.read().decode(errors="replace")
        self._close_pipes()
        port = self.port or "(any port)"
        raise RtspCameraError(
            f"camera {self.path} on {self.host}:{port} serving {self.video} {what}.\n"
            f"stderr:\n{stderr or '(empty)'}"
        )

    def _close_pipes(self) -> None:
        if self._process is not None and self._process.stdout is not None:
            self._process.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


# -- pytest fixture ----------------------------------------------------------------------------
