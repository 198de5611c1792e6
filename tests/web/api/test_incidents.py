"""Incidents through the API and the pages: opened from an alert, clips, entries, a viewing,
the biên bản, the package that verifies, a hand-over, closing; bad input named."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pypdfium2
from fastapi.testclient import TestClient

from camwarden.clock import ManualClock
from camwarden.evidence.verify import verify_package
from camwarden.governance.roles import Role
from camwarden.installation import Installation
from tests.capture.test_segments import START
from tests.governance.alert_helpers import event_alert, person
from tests.web.api.test_exports import _camera_with_footage
from tests.web.conftest import MakeAccount


def _pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_an_incident_from_an_alert_through_the_api_to_a_package_that_verifies(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    camera_id = _camera_with_footage(installation, clock)
    lead = make_account("security_lead")
    clock.advance((START + timedelta(seconds=3) - clock.now()).total_seconds())
    alert = event_alert(installation, camera_id)
    clock.advance(3600)
    made = client.post(
        "/api/v1/incidents",
        json={"title": "Camera cổng bị che", "alert_id": alert.id},
        headers=lead.headers,
    )
    assert made.status_code == 201, made.text
    incident = made.json()
    assert incident["reference"] == "SV-2026-0001"
    assert incident["source_kind"] == "alert"
    (clip,) = incident["clips"]
    assert clip["camera_id"] == camera_id
    base = f"/api/v1/incidents/{incident['id']}"

    entry = client.post(
        f"{base}/entries",
        json={"kind": "person", "text": "Trần Văn Bảo", "capacity": "bảo vệ ca đêm"},
        headers=lead.headers,
    )
    assert entry.status_code == 201, entry.text
    client.post(
        f"{base}/entries",
        json={"kind": "decision", "text": "Lắp thêm đèn ở cổng"},
        headers=lead.headers,
    )
    video = client.get(clip["video_url"], headers=lead.headers)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert len(video.content) > 1000

    package = client.post(
        f"{base}/exports", json={"reason": "Công an phường đề nghị"}, headers=lead.headers
    )
    assert package.status_code == 201, package.text
    download = client.get(package.json()["download_url"], headers=lead.headers)
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as bundle:
        bundle.extractall(tmp_path)
    (folder,) = tmp_path.glob("camwarden-evidence-*")
    report = verify_package(folder)
    assert report.ok and report.documents_checked == 1

    checked = client.post(
        f"{base}/exports/{package.json()['id']}/verify", headers=lead.headers
    ).json()
    assert checked["intact"] is True and checked["documents_checked"] == 1

    record = client.get(f"{base}/record", headers=lead.headers)
    assert record.status_code == 200 and record.headers["content-type"] == "application/pdf"
    text = _pdf_text(record.content)
    assert "BIÊN BẢN SỰ VIỆC" in text and "bảo vệ ca đêm" in text
    assert "Lắp thêm đèn ở cổng" in text
    (clip_file,) = (folder / "clips").iterdir()
    assert hashlib.sha256(clip_file.read_bytes()).hexdigest()[:32] in text

    handover = client.post(
        f"{base}/handovers",
        json={
            "recipient": "Trung uý Trần Văn Bình",
            "organisation": "Công an phường Dịch Vọng",
            "medium": "USB",
            "handed_at": (clock.now() - timedelta(minutes=1)).isoformat(),
        },
        headers=lead.headers,
    )
    assert handover.status_code == 201, handover.text
    closed = client.post(f"{base}/close", json={"reason": "Đã bàn giao"}, headers=lead.headers)
    assert closed.json()["status"] == "closed"

    detail = client.get(base, headers=lead.headers).json()
    assert [event["action"] for event in detail["custody"]] == [
        "clip_added",
        "viewed",
        "package_exported",
        "package_downloaded",
        "package_verified",
        "record_printed",
        "handed_over",
    ]
    assert detail["custody"][-1]["action_label"] == "Bàn giao"
    alert_now = client.get(f"/api/v1/alerts/{alert.id}", headers=lead.headers).json()
    assert alert_now["incident_reference"] == "SV-2026-0001"


def test_bad_input_is_refused_in_vietnamese_naming_the_field(
    installation: Installation, client: TestClient, make_account: MakeAccount
) -> None:
    principal = make_account("principal")
    no_time = client.post(
        "/api/v1/incidents", json={"title": "Cãi nhau"}, headers=principal.headers
    )
    assert no_time.status_code == 422
    assert "Thời điểm xảy ra" in no_time.json()["error"]["message"]
    missing = client.get("/api/v1/incidents/4242", headers=principal.headers)
    assert missing.status_code == 404
    assert "Sự việc 4242 không tồn tại" in missing.json()["error"]["message"]
    staff = make_account("staff")
    assert client.get("/api/v1/incidents", headers=staff.headers).status_code == 403


def test_the_pages_open_an_incident_by_hand_and_show_its_entries_and_custody(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    log_in: object,
) -> None:
    principal = make_account("principal")
    csrf = log_in(principal)["X-CSRF-Token"]  # type: ignore[operator]
    form = client.get("/incidents/new")
    assert form.status_code == 200
    opened = client.post(
        "/incidents/new",
        data={
            "csrf_token": csrf,
            "title": "Mất xe đạp",
            "occurred_at": "2026-01-05T07:30:00",
            "location": "Nhà xe",
            "description": "Phụ huynh báo mất xe đạp của con.",
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    page_url = opened.headers["location"].split("?")[0]
    refused = client.post(
        f"{page_url}/entries", data={"csrf_token": csrf, "kind": "note", "text": " "}
    )
    assert refused.status_code == 422 and "Nội dung" in refused.text
    client.post(
        f"{page_url}/entries",
        data={"csrf_token": csrf, "kind": "decision", "text": "Xem lại camera nhà xe"},
    )
    shown = client.get(page_url)
    assert "Mất xe đạp" in shown.text and "Xem lại camera nhà xe" in shown.text
    assert "07:30" in shown.text  # school time as typed
    listed = client.get("/incidents")
    assert "SV-2026-0001" in listed.text
    pdf = client.get(f"{page_url}/record.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert "In biên bản" in client.get(page_url).text


def test_the_incident_page_edits_its_facts_and_the_history_keeps_what_changed(
    installation: Installation,
    client: TestClient,
    make_account: MakeAccount,
    log_in: object,
) -> None:
    lead = make_account("security_lead")
    csrf = log_in(lead)["X-CSRF-Token"]  # type: ignore[operator]
    opened = client.post(
        "/incidents/new",
        data={"csrf_token": csrf, "title": "Mất xe", "occurred_at": "2026-01-05T07:30:00"},
        follow_redirects=False,
    )
    page_url = opened.headers["location"].split("?")[0]
    refused = client.post(
        f"{page_url}/edit",
        data={"csrf_token": csrf, "title": "Mất xe đạp", "occurred_at": "hôm qua"},
    )
    assert refused.status_code == 422 and "hôm qua" in refused.text
    edited = client.post(
        f"{page_url}/edit",
        data={
            "csrf_token": csrf,
            "title": "Mất xe đạp ở nhà xe",
            "occurred_at": "2026-01-05T07:15:00",
            "location": "Nhà xe",
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303
    incident_id = int(page_url.rsplit("/", 1)[1])
    with installation.database.reading() as session:
        history = installation.incidents.history(session, person(Role.PRINCIPAL), incident_id)
    assert [entry.action for entry in history] == ["incident.open", "incident.edit"]
    assert "Mất xe đạp ở nhà xe" in history[1].details
