#!/usr/bin/python3
"""A simulated IP camera: serves one pre-encoded H.264 file over RTSP, looped forever.

Run it with Debian's own interpreter, which has the GStreamer bindings (`python3-gi`,
`gir1.2-gst-rtsp-server-1.0`); a virtualenv does not see them:

    /usr/bin/python3 src/camwarden/simulator/rtsp_camera.py --port 8554 --path /cam1 --file cam.h264

It prints `READY rtsp://HOST:PORT/PATH` on stdout once it listens (with `--port 0` the system
picks the port and the line names it), and exits with status 0 on SIGTERM or SIGINT.

The file must be Annex-B H.264 without B-frames, best with an access unit delimiter (AUD)
before every frame (x264 `aud=1`); `tests/support/rtsp.py:make_test_video` makes such files.

How it works, and why:
- The file is split into access units (frames) once, at start; the stream never touches the
  disk again and never decodes or encodes anything.
- Frames enter the pipeline through `appsrc` with PTS, DTS and duration set here. The obvious
  `multifilesrc ! h264parse` gives every buffer a zero timestamp: RTP timestamps stop moving and
  readers (ffmpeg, PyAV) see a broken stream. Timestamps set in code also keep running across
  the loop, so to a reader the camera looks like one endless live stream.
- The pace is real time: timestamps are the pipeline's running time, frames are pushed up to a
  second ahead, and `clocksync` releases each one when the clock reaches it. Pacing in the
  pipeline, not in gst-rtsp-server's sinks, keeps it independent of how those are set up for
  UDP or TCP-interleaved clients.
- One shared media per mount: every client reads the same pipeline (as with a real camera), so
  N readers cost one pipeline. When the last client leaves, the media is torn down and built
  again for the next one.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstApp, GstRtsp, GstRtspServer  # noqa: E402

# NAL unit types (H.264 table 7-1) that matter for splitting a stream into frames.
NAL_NON_IDR_SLICE = 1
NAL_IDR_SLICE = 5
NAL_SEI = 6
NAL_SPS = 7
NAL_PPS = 8
NAL_AUD = 9
VCL_TYPES = frozenset({NAL_NON_IDR_SLICE, NAL_IDR_SLICE})
# Non-VCL units that, after a picture's slices, can only belong to the next access unit.
PREFIX_TYPES = frozenset({NAL_SEI, NAL_SPS, NAL_PPS, NAL_AUD, 14, 15, 16, 17, 18})

START_CODE = b"\x00\x00\x00\x01"


@dataclass(frozen=True)
class AccessUnit:
    """One frame: its NAL units in Annex-B form (4-byte start codes), and whether it is IDR."""

    data: bytes
    keyframe: bool


def split_nal_units(stream: bytes) -> list[bytes]:
    """The NAL units of an Annex-B byte stream, without start codes or trailing zero bytes."""
    units: list[bytes] = []
    start = stream.find(b"\x00\x00\x01")
    while start >= 0:
        begin = start + 3
        following = stream.find(b"\x00\x00\x01", begin)
        end = len(stream) if following < 0 else following
        # A 4-byte start code's leading zero (and any trailing_zero_8bits) ends up here.
        unit = stream[begin:end].rstrip(b"\x00")
        if unit:
            units.append(unit)
        start = following
    return units


def _first_slice_of_picture(unit: bytes) -> bool:
    """True when a slice NAL unit starts a picture: first_mb_in_slice, ue(v), is 0 (bit '1')."""
    return len(unit) > 1 and bool(unit[1] & 0x80)


def split_access_units(stream: bytes) -> list[AccessUnit]:
    """Groups NAL units into frames, each IDR frame carrying its SPS and PPS.

    An access unit ends before an AUD, before a parameter set or SEI that follows a picture's
    slices, or before the first slice of a new picture. With x264's `aud=1` the first rule does
    all the work; the others make files without AUDs work too (one picture per frame, as here).
    """
    frames: list[tuple[list[bytes], bool]] = []
    current: list[bytes] = []
    has_slice = False
    keyframe = False

    def close() -> None:
        nonlocal current, has_slice, keyframe
        if has_slice:
            frames.append((current, keyframe))
        current, has_slice, keyframe = [], False, False

    for unit in split_nal_units(stream):
        kind = unit[0] & 0x1F
        starts_new = kind == NAL_AUD or (
            has_slice
            and (kind in PREFIX_TYPES or (kind in VCL_TYPES and _first_slice_of_picture(unit)))
        )
        if starts_new:
            close()
        current.append(unit)
        if kind in VCL_TYPES:
            has_slice = True
            keyframe = keyframe or kind == NAL_IDR_SLICE
    close()
    # A reader must be able to start decoding at the loop point: begin at the first IDR.
    first_key = next((i for i, (_, key) in enumerate(frames) if key), None)
    if first_key is None:
        raise ValueError("no IDR frame in the file: cannot loop it")
    return [
        AccessUnit(b"".join(START_CODE + unit for unit in units), key)
        for units, key in _with_parameter_sets(frames[first_key:])
    ]


def _with_parameter_sets(
    frames: list[tuple[list[bytes], bool]],
) -> list[tuple[list[bytes], bool]]:
    """Puts the latest SPS and PPS in front of every IDR frame that lacks them.

    A reader joins the shared stream at any point and can only start at an IDR that has its
    parameter sets in-band. x264 repeats them (ffmpeg's raw `-f h264` output does), other files
    may not. This is done here, once, rather than by rtph264pay's `config-interval=-1`: with
    that (GStreamer 1.22) ffmpeg cut every IDR frame in two and concealed half of it, as if the
    parameter sets went in front of each IDR *slice* (x264's sliced threads give two slices a
    frame at 720p).
    """
    sps = [unit for units, _ in frames for unit in units if unit[0] & 0x1F == NAL_SPS]
    pps = [unit for units, _ in frames for unit in units if unit[0] & 0x1F == NAL_PPS]
    if not sps or not pps:
        raise ValueError("no SPS/PPS in the file")
    latest = {NAL_SPS: sps[0], NAL_PPS: pps[0]}
    completed: list[tuple[list[bytes], bool]] = []
    for units, key in frames:
        kinds = {unit[0] & 0x1F for unit in units}
        for unit in units:
            if unit[0] & 0x1F in latest:
                latest[unit[0] & 0x1F] = unit
        if key and not {NAL_SPS, NAL_PPS} <= kinds:
            after_aud = 1 if units[0][0] & 0x1F == NAL_AUD else 0
            units = [
                *units[:after_aud],
                latest[NAL_SPS],
                latest[NAL_PPS],
                *(u for u in units[after_aud:] if u[0] & 0x1F not in latest),
            ]
        completed.append((units, key))
    return completed


class FramePump:
    """Feeds one media's appsrc with the file's frames, looped, with running-time timestamps.

    Frames are pushed in batches, up to LOOKAHEAD_NS ahead of the pipeline clock, and
    `clocksync` after appsrc releases each one when the clock reaches its timestamp. Python
    wakes up twice a second instead of once a frame: with one reader, 0.75 % of a core instead
    of 1.2 % when a GLib timer pushed each frame on time (the Python side went from 0.55 % to
    0.05 %; the rest is GStreamer's RTP and TCP work).
    """

    LOOKAHEAD_NS = Gst.SECOND
    TICK_MS = 500

    def __init__(self, appsrc: GstApp.AppSrc, buffers: list[Gst.Buffer], fps: int) -> None:
        self._appsrc = appsrc
        self._buffers = buffers
        self._duration_ns = Gst.SECOND // fps
        self._sent = 0  # frames pushed so far, across loops
        self._origin_ns: int | None = None  # running time of the first frame
        self._stopped = threading.Event()

    def start(self) -> None:
        GLib.timeout_add(10, self._tick)  # until the clock is there, then every TICK_MS

    def stop(self) -> None:
        self._stopped.set()

    def _running_time_ns(self) -> int | None:
        clock = self._appsrc.get_clock()
        if clock is None:  # not PLAYING yet: no clock distributed
            return None
        return int(clock.get_time() - self._appsrc.get_base_time())

    def _tick(self) -> bool:
        """A GLib timeout callback; returns True to be called again."""
        if self._stopped.is_set():
            return False
        now = self._running_time_ns()
        if now is None:
            return True
        if self._origin_ns is None:
            # The first frame is due now; later ones every frame duration after it.
            self._origin_ns = now
            GLib.timeout_add(self.TICK_MS, self._tick)
            self._fill(now)
            return False
        self._fill(now)
        return not self._stopped.is_set()

    def _fill(self, now: int) -> None:
        assert self._origin_ns is not None
        while self._origin_ns + self._sent * self._duration_ns <= now + self.LOOKAHEAD_NS:
            if not self._push(self._origin_ns + self._sent * self._duration_ns):
                self.stop()
                return

    def _push(self, pts_ns: int) -> bool:
        template = self._buffers[self._sent % len(self._buffers)]
        # A shallow copy shares the frame's memory; only the metadata is new.
        buffer = template.copy()
        buffer.pts = buffer.dts = pts_ns
        buffer.duration = self._duration_ns
        self._sent += 1
        result = self._appsrc.push_buffer(buffer)
        # FLUSHING or EOS: the media is being torn down; the pump ends with it.
        return bool(result == Gst.FlowReturn.OK)


class CameraFactory(GstRtspServer.RTSPMediaFactory):
    """A shared media factory whose media are `appsrc ! rtph264pay`, fed by a FramePump."""

    def __init__(self, frames: list[AccessUnit], fps: int) -> None:
        super().__init__()
        self._fps = fps
        self._buffers = [self._template(frame) for frame in frames]
        # Whole frames in Annex-B form: rtph264pay takes them as they are (no h264parse, which
        # lives in gstreamer1.0-plugins-bad). Readers learn the size from the SPS in the SDP.
        caps = f"video/x-h264,stream-format=byte-stream,alignment=au,framerate={fps}/1"
        # is-live: the media is a live source (no preroll, joins mid-stream like a camera).
        # format=time: the buffers carry our timestamps; appsrc must not invent its own.
        # max-*=0: no queue limit; FramePump keeps at most LOOKAHEAD_NS queued.
        # clocksync: holds each frame until the clock reaches its timestamp (real-time pace).
        # config-interval=0: SPS/PPS are already in every IDR frame (see _with_parameter_sets).
        self.set_launch(
            f'( appsrc name=camera is-live=true format=time do-timestamp=false caps="{caps}" '
            "max-bytes=0 max-buffers=0 max-time=0 "
            "! clocksync ! rtph264pay name=pay0 pt=96 config-interval=0 )"
        )
        self.set_shared(True)
        self.connect("media-configure", self._on_media_configure)

    @staticmethod
    def _template(frame: AccessUnit) -> Gst.Buffer:
        buffer = Gst.Buffer.new_wrapped(frame.data)
        if not frame.keyframe:
            buffer.set_flags(Gst.BufferFlags.DELTA_UNIT)
        return buffer

    def _on_media_configure(
        self, _factory: GstRtspServer.RTSPMediaFactory, media: GstRtspServer.RTSPMedia
    ) -> None:
        appsrc = media.get_element().get_by_name_recurse_up("camera")
        pump = FramePump(appsrc, self._buffers, self._fps)
        media.connect("unprepared", lambda _media: pump.stop())
        pump.start()


def require_credentials(
    server: GstRtspServer.RTSPServer,
    factory: GstRtspServer.RTSPMediaFactory,
    user: str,
    password: str,
    method: str,
) -> None:
    """Makes the server ask for `user`/`password`, by HTTP Basic or Digest as IP cameras do.

    One method at a time: gst_rtsp_auth_set_supported_methods takes a bit mask, but its
    introspection data types it as an enum, and PyGObject refuses BASIC | DIGEST (3).
    """
    role = "camera-user"
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, role)
    auth = GstRtspServer.RTSPAuth()
    if method == "basic":
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.BASIC)
    else:
        auth.add_digest(user, password, token)
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod.DIGEST)
    server.set_auth(auth)
    # Only that role may see and open the mount; anyone else gets 401.
    permissions, _ = Gst.Structure.from_string(
        f"{role}, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"
    )
    factory.add_role_from_structure(permissions)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True, help="Annex-B H.264 file to loop")
    parser.add_argument("--port", type=int, default=8554, help="TCP port; 0: let the system pick")
    parser.add_argument("--path", default="/cam1", help="mount point, e.g. /cam1")
    parser.add_argument("--address", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--fps", type=int, default=15, help="frames per second of the file")
    parser.add_argument("--user", help="require this user name (RTSP Basic or Digest)")
    parser.add_argument("--password", help="the user's password")
    parser.add_argument(
        "--auth",
        choices=("digest", "basic"),
        default="digest",
        help="how --user/--password are asked for (default: digest, as most IP cameras)",
    )
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="exit when the process that started this one dies (no orphans after a crashed test)",
    )
    args = parser.parse_args(argv)
    if (args.user is None) != (args.password is None):
        parser.error("--user and --password go together")
    if not args.path.startswith("/"):
        args.path = "/" + args.path
    if args.fps <= 0:
        parser.error(f"--fps must be positive, not {args.fps}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    Gst.init(None)
    try:
        frames = split_access_units(args.file.read_bytes())
    except (OSError, ValueError) as error:
        print(f"rtsp_camera: cannot use {args.file}: {error}", file=sys.stderr)
        return 2

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    factory = CameraFactory(frames, args.fps)
    if args.user is not None:
        require_credentials(server, factory, args.user, args.password, args.auth)
    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print(f"rtsp_camera: cannot listen on {args.address}:{args.port}", file=sys.stderr)
        return 1

    loop = GLib.MainLoop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, loop.quit)
    if args.exit_with_parent:
        parent = os.getppid()

        def parent_gone() -> bool:
            if os.getppid() != parent:  # re-parented: whoever started us is gone
                loop.quit()
                return False
            return True

        GLib.timeout_add_seconds(1, parent_gone)
    print(f"READY rtsp://{args.address}:{server.get_bound_port()}{args.path}", flush=True)
    loop.run()
    # Close client connections before leaving, so readers see the camera go away at once.
    server.client_filter(lambda _server, _client: GstRtspServer.RTSPFilterResult.REMOVE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
