"""Exporting: the package, its clip, the lock on the footage, the record, and who may do it."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import av
import pytest
from sqlalchemy import delete, func, select
from tests.evidence.conftest import Footage, at

from camwarden.errors import Forbidden, InvalidInput, NotFound
from camwarden.evidence.verify import verify_package
from camwarden.governance.accounts import actor_for
from camwarden.governance.authorization import SYSTEM_ACTOR, Actor
from camwarden.governance.roles import Role
from camwarden.storage.holds import active_holds
from camwarden.storage.models import AuditEntry, EvidenceExport, FootageHold, Segment


def manifest_of(package: Path) -> dict[str, Any]:
    return dict(json.loads((package / "manifest.json").read_text(encoding="utf-8")))


def utc(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def counts(footage: Footage) -> list[int]:
    """Holds, export records and audit entries in the database."""
    with footage.inst.database.reading() as session:
        return [
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (FootageHold, EvidenceExport, AuditEntry)
        ]


def nothing_written(footage: Footage, before: list[int]) -> bool:
    leftovers = list(footage.out.iterdir()) if footage.out.exists() else []
    return counts(footage) == before and leftovers == []


def test_an_exported_package_verifies(package: Path) -> None:
    report = verify_package(package)
    assert report.ok, [p.render() for p in report.problems]
    assert report.clips_checked == 1
    assert package.name.startswith("camwarden-evidence-20261126T020000Z-")
    assert sorted(p.name for p in package.iterdir()) == [
        "README.txt",
        "SHA256SUMS",
        "clips",
        "manifest.json",
        "manifest.json.sig",
        "public-key.pem",
    ]
    assert [p.name for p in (package / "clips").iterdir()] == ["cong-chinh-20261126T010003Z.mp4"]


def test_the_clip_plays_and_runs_from_the_keyframe_before_the_start_to_the_end(
    package: Path,
) -> None:
    (entry,) = manifest_of(package)["ranges"]
    (clip,) = entry["clips"]
    # Keyframes every 2 s: a request from 3 s starts at the keyframe at 2 s; ends at 15 s.
    assert utc(clip["actual"]["start"]) == at(2)
    assert utc(clip["actual"]["end"]) == at(15)
    with av.open(str(package / clip["file"])) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        assert container.format.name.startswith("mov,mp4")
        assert stream.time_base is not None and frames[-1].pts is not None
        last = float(frames[-1].pts * stream.time_base)
    assert len(frames) == clip["frames"] == 13 * 15
    assert (frames[0].width, frames[0].height) == (clip["width"], clip["height"]) == (320, 180)
    assert last == pytest.approx(13 - 1 / 15, abs=0.01)
    assert clip["codec"] == "h264"
    assert entry["gaps"] == []


def test_the_clip_is_a_fast_start_mp4_with_its_index_before_the_video(package: Path) -> None:
    data = next((package / "clips").iterdir()).read_bytes()
    boxes, offset = [], 0
    while offset < len(data):
        boxes.append(data[offset + 4 : offset + 8].decode())
        offset += int.from_bytes(data[offset : offset + 4], "big")
    assert boxes.index("moov") < boxes.index("mdat")
    assert "moof" not in boxes  # a plain MP4, not fragmented


def test_the_manifest_says_who_exported_what_why_and_under_which_approval(
    footage: Footage,
) -> None:
    with footage.inst.database.transaction() as session:
        principal = footage.inst.accounts.create(
            session,
            SYSTEM_ACTOR,
            username="hieutruong",
            full_name="Trần Thị Hiệu",
            role="principal",
            password="Hieu-truong-2026!",
        ).user
        actor = actor_for(principal)
    result = footage.export(actor=actor)
    manifest = manifest_of(result.package_path)
    assert manifest["exported_by"] == {"username": "hieutruong", "full_name": "Trần Thị Hiệu"}
    assert manifest["reason"] == "Học sinh bị ngã ở cổng, phụ huynh đề nghị xem lại"
    assert manifest["approval_reference"] == "QĐ 12/2026"
    assert manifest["installation_key_id"] == result.key_id
    assert manifest["software"] == {"name": "camwarden", "version": "0.1.0"}
    assert manifest["created_at"] == "2026-11-26T02:00:00.000Z"
    (entry,) = manifest["ranges"]
    assert entry["camera"] == {
        "id": footage.gate_camera,
        "name": "Cổng chính",
        "zone": "Cổng trường",
    }
    assert entry["requested"] == {
        "start": "2026-11-26T01:00:03.000Z",
        "end": "2026-11-26T01:00:15.000Z",
    }
    assert entry["camera_clock_offset_seconds"] is None
    raw = (result.package_path / "manifest.json").read_bytes()
    assert (
        raw == json.dumps(manifest, sort_keys=True, ensure_ascii=False, indent=2).encode() + b"\n"
    )


def test_exporting_locks_the_footage_and_records_the_export_and_its_audit_entry(
    footage: Footage,
) -> None:
    result = footage.export()
    with footage.inst.database.reading() as session:
        (hold,) = active_holds(session, footage.gate_camera)
        (record,) = session.scalars(select(EvidenceExport)).all()
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "footage.export")
        ).one()
    # The hold covers what the clip holds: from the keyframe at 2 s, not only from 3 s.
    assert (hold.kind, hold.reference) == ("evidence", f"export:{result.export_id}")
    assert (hold.start_at, hold.end_at) == (at(2), at(15))
    assert record.id == result.record_id
    assert record.package_name == result.package_path.name
    assert record.manifest_sha256 == result.manifest_sha256
    assert (record.created_by, record.approval_reference) == ("hieutruong", "QĐ 12/2026")
    details = json.loads(entry.details)
    assert entry.actor == "hieutruong" and entry.target_id == str(record.id)
    assert details["package"] == result.package_path.name
    assert details["manifest_sha256"] == result.manifest_sha256
    assert details["reason"] == record.reason and details["approval_reference"] == "QĐ 12/2026"
    assert details["ranges"] == [
        {
            "camera_id": footage.gate_camera,
            "start": "2026-11-26T01:00:03.000Z",
            "end": "2026-11-26T01:00:15.000Z",
        }
    ]


@pytest.mark.parametrize("role", [Role.IT, Role.SECURITY, Role.ADMIN, Role.FINANCE])
def test_a_role_without_the_export_permission_is_refused_and_nothing_is_written(
    footage: Footage, role: Role
) -> None:
    before = counts(footage)
    actor = Actor(user_id=None, username="x", role=role, all_zones=True, zone_ids=frozenset())
    with pytest.raises(Forbidden, match="export_footage"):
        footage.export(actor=actor)
    assert nothing_written(footage, before)


def test_a_zone_scoped_head_of_security_exports_in_their_zone_only(footage: Footage) -> None:
    lead = Actor(
        user_id=None,
        username="truongbv",
        role=Role.SECURITY_LEAD,
        all_zones=False,
        zone_ids=frozenset({footage.gate_zone}),
    )
    before = counts(footage)
    # Outside their zones the camera is not even admitted to exist, as everywhere else.
    with pytest.raises(NotFound):
        footage.export(actor=lead, ranges=[(footage.yard_camera, at(3), at(5))])
    with pytest.raises(NotFound):
        footage.export(
            actor=lead,
            ranges=[(footage.gate_camera, at(3), at(5)), (footage.yard_camera, at(3), at(5))],
        )
    assert nothing_written(footage, before)
    assert verify_package(footage.export(actor=lead).package_path).ok


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_export_without_a_reason_is_refused(footage: Footage, reason: str) -> None:
    before = counts(footage)
    with pytest.raises(InvalidInput, match="Reason") as refused:
        footage.export(reason=reason)
    assert refused.value.field == "reason"
    assert nothing_written(footage, before)


def test_an_unknown_camera_is_not_found(footage: Footage) -> None:
    with pytest.raises(NotFound, match="Camera 999 does not exist"):
        footage.export(ranges=[(999, at(0), at(5))])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(10), at(5), "must end after it starts"),
        (at(0), at(0), "must end after it starts"),
        (at(0), at(0) + timedelta(hours=25), "longer than 24 hours"),
        (at(0).replace(tzinfo=None), at(5), "has no time zone"),
        (at(7200), at(7300), "in the future"),
    ],
)
def test_a_range_that_makes_no_sense_is_refused_naming_it(
    footage: Footage, start: datetime, end: datetime, expected: str
) -> None:
    with pytest.raises(InvalidInput, match=expected) as refused:
        footage.export(ranges=[(footage.gate_camera, start, end)])
    assert start.isoformat() in str(refused.value)


def test_overlapping_ranges_of_one_camera_and_too_many_ranges_are_refused(
    footage: Footage,
) -> None:
    camera = footage.gate_camera
    with pytest.raises(InvalidInput, match="overlaps"):
        footage.export(ranges=[(camera, at(0), at(10)), (camera, at(5), at(15))])
    with pytest.raises(InvalidInput, match="at most 16"):
        footage.export(ranges=[(camera, at(i), at(i + 0.5)) for i in range(17)])
    with pytest.raises(InvalidInput, match="at least one"):
        footage.export(ranges=[])


def test_a_range_with_no_footage_is_exported_with_the_whole_range_as_a_gap(
    footage: Footage,
) -> None:
    result = footage.export(ranges=[(footage.gate_camera, at(-600), at(-300))])
    (entry,) = result.manifest["ranges"]
    assert entry["clips"] == []
    assert entry["gaps"] == [entry["requested"]]
    assert list((result.package_path / "clips").iterdir()) == []
    assert verify_package(result.package_path).ok


def test_a_gap_in_the_recording_is_listed_and_stays_a_gap_in_the_clip(footage: Footage) -> None:
    inst = footage.inst
    with inst.database.transaction() as session:
        middle = session.scalars(
            select(Segment).where(
                Segment.camera_id == footage.gate_camera, Segment.start_at == at(6)
            )
        ).one()
        (inst.settings.recordings_dir / middle.path).unlink()
        session.execute(delete(Segment).where(Segment.id == middle.id))
    result = footage.export(ranges=[(footage.gate_camera, at(0), at(20))])
    (entry,) = result.manifest["ranges"]
    assert [(utc(g["start"]), utc(g["end"])) for g in entry["gaps"]] == [(at(6), at(12))]
    (clip,) = entry["clips"]
    assert clip["frames"] == 14 * 15
    with av.open(str(result.package_path / clip["file"])) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        times = [
            float(p.pts * stream.time_base) for p in container.demux(stream) if p.pts is not None
        ]
    # The frame before the outage is at 5.93 s; the next, 6 s of wall time later, at 12 s.
    jumps = [(round(a, 2), round(b, 2)) for a, b in itertools.pairwise(times) if b - a > 1]
    assert jumps == [(5.93, 12.0)]


def test_one_package_holds_several_cameras(footage: Footage) -> None:
    result = footage.export(
        ranges=[(footage.gate_camera, at(0), at(4)), (footage.yard_camera, at(10), at(20))]
    )
    names = [entry["camera"]["name"] for entry in result.manifest["ranges"]]
    assert names == ["Cổng chính", "Sân trường 1"]
    files = sorted(p.name for p in (result.package_path / "clips").iterdir())
    assert files == ["cong-chinh-20261126T010000Z.mp4", "san-truong-1-20261126T010010Z.mp4"]
    assert verify_package(result.package_path).clips_checked == 2
    with footage.inst.database.reading() as session:
        assert len(active_holds(session, footage.yard_camera)) == 1


def test_when_a_recording_cannot_be_read_nothing_is_recorded_and_no_file_remains(
    footage: Footage,
) -> None:
    inst = footage.inst
    (last,) = [s for s in inst.recordings.segments(footage.yard_camera) if s.start_at == at(18)]
    (inst.settings.recordings_dir / last.path).unlink()
    before = counts(footage)
    with pytest.raises(NotFound, match=last.path):
        footage.export(
            ranges=[(footage.gate_camera, at(0), at(10)), (footage.yard_camera, at(15), at(20))]
        )
    assert nothing_written(footage, before)


def test_when_the_database_refuses_the_record_the_package_is_removed(
    footage: Footage, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(footage)

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(footage.inst.audit, "record", refuse)
    with pytest.raises(RuntimeError, match="disk full"):
        footage.export()
    assert nothing_written(footage, before)


def test_times_given_in_the_school_time_zone_mean_the_same_instant(footage: Footage) -> None:
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    result = footage.export(
        ranges=[(footage.gate_camera, at(3).astimezone(hanoi), at(15).astimezone(hanoi))]
    )
    (entry,) = result.manifest["ranges"]
    assert entry["requested"]["start"] == "2026-11-26T01:00:03.000Z"
