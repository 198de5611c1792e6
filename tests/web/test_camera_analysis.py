"""Analysis settings on the camera page and through the API; tamper snapshots served only
from the snapshots folder, to whoever may see the live picture, each view audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from camwarden.analysis.mask import MASK_CELLS
from camwarden.analysis.snapshots import snapshots_dir
from camwarden.installation import Installation
from camwarden.storage.models import AuditEntry, Camera
from tests.support.footage import gate_camera
from tests.web.conftest import Account, MakeAccount

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"


@pytest.fixture
def camera_id(installation: Installation) -> int:
    return gate_camera(installation)


@pytest.fixture
def it_account(make_account: MakeAccount) -> Account:
    return make_account("it", username="cntt")


def stored(installation: Installation, camera_id: int) -> tuple[str, str, str]:
    with installation.database.reading() as session:
        camera = session.get(Camera, camera_id)
        assert camera is not None
        return camera.analysis_mask, camera.tamper_sensitivity, camera.motion_sensitivity


def actions(installation: Installation) -> list[str]:
    with installation.database.reading() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_the_camera_page_offers_it_a_grid_of_cells_over_the_live_picture(
    client: TestClient,
    it_account: Account,
    log_in: Callable[[Account], dict[str, str]],
    camera_id: int,
) -> None:
    log_in(it_account)
    html = client.get(f"/cameras/{camera_id}").text
    assert "Cài đặt phân tích hình ảnh" in html
    assert html.count('name="cell"') == MASK_CELLS
    assert f'src="/api/v1/cameras/{camera_id}/snapshot"' in html
    assert 'name="tamper_sensitivity"' in html and 'name="motion_sensitivity"' in html


def test_ticked_cells_become_the_mask_and_bad_input_changes_nothing(
    client: TestClient,
    installation: Installation,
    it_account: Account,
    log_in: Callable[[Account], dict[str, str]],
    camera_id: int,
) -> None:
    csrf = log_in(it_account)
    form = {
        "csrf_token": next(iter(csrf.values())),
        "tamper_sensitivity": "low",
        "motion_sensitivity": "high",
        "cell": ["0", "17"],
    }
    answer = client.post(f"/cameras/{camera_id}/analysis", data=form, follow_redirects=False)
    assert answer.status_code == 303
    mask = "".join("1" if i in (0, 17) else "0" for i in range(MASK_CELLS))
    assert stored(installation, camera_id) == (mask, "low", "high")
    assert actions(installation)[-1] == "camera.analysis_settings"

    bad = {**form, "tamper_sensitivity": "rất cao", "cell": ["3"]}
    answer = client.post(f"/cameras/{camera_id}/analysis", data=bad, follow_redirects=False)
    assert answer.status_code == 422
    assert "Mức độ nhạy &#39;rất cao&#39; không tồn tại" in answer.text
    assert stored(installation, camera_id) == (mask, "low", "high")


def test_the_api_reads_and_changes_the_settings_and_refuses_a_bad_mask_naming_it(
    client: TestClient, installation: Installation, it_account: Account, camera_id: int
) -> None:
    url = f"/api/v1/cameras/{camera_id}/analysis"
    assert client.get(url, headers=it_account.headers).json() == {
        "analysis_mask": "",
        "tamper_sensitivity": "normal",
        "motion_sensitivity": "normal",
    }
    mask = "/".join(["1100000000000000"] + ["0" * 16] * 8)
    changed = client.patch(
        url, json={"analysis_mask": mask, "motion_sensitivity": "low"}, headers=it_account.headers
    )
    assert changed.status_code == 200
    assert changed.json()["analysis_mask"] == mask.replace("/", "")
    refused = client.patch(url, json={"analysis_mask": "10x1"}, headers=it_account.headers)
    assert refused.status_code == 422
    assert "10x1" in refused.json()["error"]["message"]
    assert stored(installation, camera_id) == (mask.replace("/", ""), "normal", "low")


def tamper_event(installation: Installation, camera_id: int, before: str, after: str) -> int:
    return installation.recordings.open_event(
        camera_id,
        "covered",
        datetime(2026, 11, 26, 2, tzinfo=UTC),
        "score 0.97",
        score=0.97,
        snapshot_before=before,
        snapshot_after=after,
    )


def test_a_tamper_events_snapshots_are_served_to_who_may_watch_live_and_each_view_audited(
    client: TestClient,
    installation: Installation,
    make_account: MakeAccount,
    camera_id: int,
) -> None:
    folder = snapshots_dir(installation.settings.data_dir) / str(camera_id)
    folder.mkdir(parents=True)
    (folder / "b.jpg").write_bytes(JPEG)
    (folder / "a.jpg").write_bytes(JPEG[::-1])
    event_id = tamper_event(installation, camera_id, f"{camera_id}/b.jpg", f"{camera_id}/a.jpg")
    guard, accountant = make_account("security"), make_account("finance")
    url = f"/api/v1/cameras/{camera_id}/events/{event_id}/snapshots"

    before = client.get(f"{url}/before", headers=guard.headers)
    assert (before.status_code, before.headers["content-type"]) == (200, "image/jpeg")
    assert before.content == JPEG
    assert client.get(f"{url}/after", headers=guard.headers).content == JPEG[::-1]
    assert actions(installation)[-2:] == ["footage.event_snapshot"] * 2
    assert client.get(f"{url}/before", headers=accountant.headers).status_code in (403, 404)
    assert client.get(f"{url}/sideways", headers=guard.headers).status_code == 422


@pytest.mark.parametrize(
    "stored_path",
    ["../secrets/vault.key.jpg", "/etc/passwd.jpg", "1/../../camwarden.db", "1/missing.jpg"],
)
def test_a_snapshot_path_leading_outside_the_snapshots_folder_is_never_served(
    client: TestClient,
    installation: Installation,
    make_account: MakeAccount,
    camera_id: int,
    stored_path: str,
) -> None:
    outside = installation.settings.data_dir / "secrets" / "vault.key.jpg"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_bytes(JPEG)
    event_id = tamper_event(installation, camera_id, stored_path, stored_path)
    guard = make_account("security")
    answer = client.get(
        f"/api/v1/cameras/{camera_id}/events/{event_id}/snapshots/before", headers=guard.headers
    )
    assert answer.status_code == 404
    assert JPEG not in answer.content


def test_the_health_page_shows_a_tamper_events_score_and_its_pictures_behind_a_click(
    client: TestClient,
    installation: Installation,
    make_account: MakeAccount,
    log_in: Callable[[Account], dict[str, str]],
    camera_id: int,
) -> None:
    event_id = tamper_event(installation, camera_id, f"{camera_id}/b.jpg", f"{camera_id}/a.jpg")
    log_in(make_account("security"))
    audited = len(actions(installation))
    html = client.get("/health").text
    assert "Ống kính bị che" in html or "bị che" in html
    assert "điểm 0.97" in html
    assert f"/api/v1/cameras/{camera_id}/events/{event_id}/snapshots/before" in html
    assert 'loading="lazy"' in html and "<details" in html
    assert len(actions(installation)) == audited  # listing is not looking


def test_the_audit_entry_of_a_settings_change_names_the_camera_and_both_values(
    client: TestClient, installation: Installation, it_account: Account, camera_id: int
) -> None:
    client.patch(
        f"/api/v1/cameras/{camera_id}/analysis",
        json={"tamper_sensitivity": "high"},
        headers=it_account.headers,
    )
    with installation.database.reading() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert entry is not None
    details = json.loads(entry.details)
    assert details == {
        "camera": "Cổng chính",
        "changes": {"tamper_sensitivity": ["normal", "high"]},
    }


def test_nothing_outside_the_folder_exists_for_the_store(tmp_path: Path) -> None:
    from camwarden.analysis.snapshots import SnapshotStore

    store = SnapshotStore(tmp_path / "snapshots")
    saved = store.save(3, datetime(2026, 11, 26, 2, tzinfo=UTC), "covered", "after", JPEG)
    assert saved.startswith("3/") and saved.endswith("-covered-after.jpg")
    assert store.resolve(saved) == (tmp_path / "snapshots" / saved).resolve()
    assert store.resolve("../x.jpg") is None and store.resolve(None) is None
