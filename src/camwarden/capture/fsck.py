"""Make the recording index match the files on disk, after a crash or by hand (`camwarden fsck`).

- A segment still marked `recording` (its recorder was killed) is probed: its end, size and
  frame count come from what the file really holds, and it becomes `recovered`.
- A file under the recordings folder that the index does not know (the process died between
  creating the file and indexing it, or the index was lost) is probed and indexed.
- An indexed segment whose file is gone is reported, and its row removed: the index must
  never promise footage that cannot be played.
- A file that cannot be read at all (cut off before its first fragment) is moved aside to
  `damaged/`, never deleted, and reported.
- A segment left `deleting` (retention decided and audited its deletion, then stopped) is
  finished: its file removed if still there, then its row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
from sqlalchemy import delete, select

from camwarden.storage.database import Database
from camwarden.storage.models import Camera, Segment
from camwarden.storage.recordings import SegmentStatus

log = logging.getLogger(__name__)


@dataclass
class FsckReport:
    recovered: list[str] = field(default_factory=list)
    indexed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.recovered or self.indexed or self.missing or self.damaged or self.deleted)


@dataclass(frozen=True)
class Probe:
    seconds: float
    frames: int


def probe(path: Path) -> Probe | None:
    """How much playable video the file holds; None when none can be read."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            time_base = stream.time_base
            first = last = None
            frames = 0
            duration = 0
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                first = packet.pts if first is None else min(first, packet.pts)
                if last is None or packet.pts >= last:
                    last, duration = packet.pts, packet.duration or 0
                frames += 1
    except (av.FFmpegError, OSError, IndexError):
        return None
    if first is None or last is None or time_base is None:
        return None
    return Probe(seconds=float((last - first + duration) * time_base), frames=frames)


def _start_from_path(relative: str) -> tuple[int, datetime] | None:
    """<camera>/<YYYY-MM-DD>/<HHMMSS.ffffff>.mp4 → (camera id, start instant)."""
    parts = Path(relative).parts
    if len(parts) != 3 or not parts[0].isdigit() or not parts[2].endswith(".mp4"):
        return None
    try:
        start = datetime.strptime(f"{parts[1]} {parts[2][:-4]}", "%Y-%m-%d %H%M%S.%f")
    except ValueError:
        return None
    return int(parts[0]), start.replace(tzinfo=UTC)


def repair_index(database: Database, recordings_dir: Path) -> FsckReport:
    report = FsckReport()
    damaged_dir = recordings_dir / "damaged"
    with database.transaction() as session:
        known = {segment.path: segment for segment in session.scalars(select(Segment))}
        for relative, segment in known.items():
            path = recordings_dir / relative
            if segment.status == SegmentStatus.DELETING:
                # Decided (and audited) by retention before a crash: finish, never undo.
                path.unlink(missing_ok=True)
                session.execute(delete(Segment).where(Segment.id == segment.id))
                report.deleted.append(relative)
                continue
            if not path.exists():
                report.missing.append(relative)
                session.execute(delete(Segment).where(Segment.id == segment.id))
                continue
            if segment.status != SegmentStatus.RECORDING:
                continue
            found = probe(path)
            if found is None:
                _move_aside(path, damaged_dir / relative)
                session.execute(delete(Segment).where(Segment.id == segment.id))
                report.damaged.append(relative)
                continue
            segment.end_at = segment.start_at + timedelta(seconds=found.seconds)
            segment.bytes = path.stat().st_size
            segment.frames = found.frames
            segment.status = SegmentStatus.RECOVERED
            report.recovered.append(relative)
        camera_ids = set(session.scalars(select(Camera.id)))
        for path in sorted(recordings_dir.glob("*/*/*.mp4")):
            relative = path.relative_to(recordings_dir).as_posix()
            if relative in known or relative.startswith("damaged/"):
                continue
            parsed = _start_from_path(relative)
            if parsed is None or parsed[0] not in camera_ids:
                continue
            found = probe(path)
            if found is None:
                _move_aside(path, damaged_dir / relative)
                report.damaged.append(relative)
                continue
            camera_id, start = parsed
            session.add(
                Segment(
                    camera_id=camera_id,
                    path=relative,
                    start_at=start,
                    end_at=start + timedelta(seconds=found.seconds),
                    bytes=path.stat().st_size,
                    frames=found.frames,
                    status=SegmentStatus.RECOVERED,
                )
            )
            report.indexed.append(relative)
    for kind in ("recovered", "indexed", "missing", "damaged", "deleted"):
        for relative in getattr(report, kind):
            log.warning("fsck: %s %s", kind, relative)
    return report


def _move_aside(path: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
