"""The signed review reports: rendered in the school's language with people's names, kept
on disk as one PDF per cycle under `<data>/reviews/`, written whole (fsync, then rename) and
read back only when it matches the SHA-256 signed off."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwarden.errors import Conflict
from camwarden.governance._review_reading import CycleView
from camwarden.i18n import reset_locale, set_current_locale
from camwarden.storage.models import ReviewCycle, User


def render_report(
    session: Session, view: CycleView, *, school_name: str, timezone: ZoneInfo, locale: str
) -> bytes:
    """The cycle's report as a PDF, in `locale`."""
    from camwarden.documents.review_report import review_report_pdf

    token = set_current_locale(locale)
    try:
        # A signed paper names people, not accounts.
        names = {
            name: full for name, full in session.execute(select(User.username, User.full_name))
        }
        return review_report_pdf(view, school_name=school_name, timezone=timezone, names=names)
    finally:
        reset_locale(token)


class ReportFiles:
    def __init__(self, directory: Path, timezone: ZoneInfo) -> None:
        self.directory = directory
        self._tz = timezone

    def path(self, cycle: ReviewCycle) -> Path:
        day = cycle.period_start.astimezone(self._tz)
        return self.directory / f"review-{cycle.id}-{day:%Y%m%d}.pdf"

    def write(self, cycle: ReviewCycle, pdf: bytes) -> str:
        """Store the report; its SHA-256."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path(cycle)
        partial = path.with_suffix(".part")
        with partial.open("wb") as file:
            file.write(pdf)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(path)
        return hashlib.sha256(pdf).hexdigest()

    def read(self, cycle: ReviewCycle) -> bytes | None:
        """The report as signed off; None when there is none."""
        path = self.path(cycle)
        if cycle.report_sha256 is None or not path.is_file():
            return None
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != cycle.report_sha256:
            raise Conflict(
                "The report file of review cycle {value} does not match the one signed off.",
                value=cycle.id,
            )
        return data
