"""Which package is a request's anonymised copy: the one made into the request's own folder."""

from __future__ import annotations

import json
from datetime import timedelta

from camwarden.evidence import package as pkg
from camwarden.governance._requests_copy import anonymised_package, copies_dir
from camwarden.installation import Installation
from camwarden.storage.models import EvidenceExport


def test_a_staff_export_citing_the_request_is_not_taken_for_its_copy(
    installation: Installation, cameras: dict[str, int]
) -> None:
    now = installation.clock.now()
    data_dir = installation.settings.data_dir
    with installation.database.transaction() as session:
        request = installation.requests.file(
            session,
            actor=None,
            name="Phụ huynh",
            contact="ph@example.com",
            organisation="",
            purpose="Xem lại việc con bị ngã",
            access="copy",
            camera_ids=[cameras["gate"]],
            footage_start=now - timedelta(hours=2),
            footage_end=now - timedelta(hours=1),
        ).request
        assert anonymised_package(session, data_dir, request) is None
        for name in ("camwarden-evidence-copy", "camwarden-evidence-by-staff-elsewhere"):
            session.add(
                EvidenceExport(
                    created_at=now,
                    created_by="hd.lan",
                    reason="Bản sao cho phụ huynh",
                    approval_reference=request.reference,
                    ranges="[]",
                    package_name=name,
                    manifest_sha256="0" * 64,
                    anonymised=True,
                )
            )
        session.flush()
        # Only the first was written into the request's folder; the later one lives elsewhere.
        copy = copies_dir(data_dir, request.reference) / "camwarden-evidence-copy"
        copy.mkdir(parents=True)
        (copy / pkg.MANIFEST).write_text(json.dumps({"ranges": []}), encoding="utf-8")

        assert anonymised_package(session, data_dir, request) == copy
