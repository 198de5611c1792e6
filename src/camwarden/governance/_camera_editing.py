"""An edit of a camera's register entry: each field given is checked and changed, the others
stay. The service asks who may (in the old zone and the new one), moves the zone and writes
the audit entry."""

from __future__ import annotations

from sqlalchemy.orm import Session

from camwarden.governance._camera_checks import (
    camera_name,
    check_retention_days,
    position_notes_text,
    refuse_duplicate,
    sub_stream_url,
)
from camwarden.governance._camera_credentials import seal_credentials
from camwarden.governance.stream_urls import StreamAddress, parse_stream_url
from camwarden.governance.vault import CredentialVault
from camwarden.storage.models import Camera


def apply_edit(
    session: Session,
    camera: Camera,
    vault: CredentialVault,
    *,
    name: str | None,
    main_url: str | None,
    sub_url: str | None,
    username: str | None,
    password: str | None,
    position_notes: str | None,
    retention_days: int | None,
    review_period_days: int,
) -> bool:
    """Change what is given; an empty `sub_url` removes it, the login stays unless given (on
    the form or in the new address). True when the login changed."""
    if name is not None:
        new_name = camera_name(name)
        if new_name != camera.name:
            refuse_duplicate(session, new_name)
            camera.name = new_name
    credentials_changed = False
    if main_url is not None:
        main = parse_stream_url(main_url, field="main_url")
        camera.main_url = main.url
        if main.username is not None:
            camera.credentials_encrypted = seal_credentials(vault, main, None, None)
            credentials_changed = True
    if sub_url is not None:
        camera.sub_url = sub_stream_url(sub_url)
    if username is not None or password is not None:
        camera.credentials_encrypted = seal_credentials(
            vault, StreamAddress(camera.main_url, None, None), username, password
        )
        credentials_changed = True
    if position_notes is not None:
        camera.position_notes = position_notes_text(position_notes)
    if retention_days is not None:
        camera.retention_days = check_retention_days(
            retention_days, review_period_days=review_period_days
        )
    return credentials_changed
