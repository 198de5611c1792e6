"""Languages: Vietnamese first, English second.

Message ids are English; the Vietnamese text lives in gettext catalogues under `locales/`
(one `.po` file per gettext domain: `core` for the domain, `web` for pages). Catalogues are
read with Babel at start, so no compile step is needed on a fresh machine.
"""

from __future__ import annotations

import contextvars
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).parent / "locales"
SUPPORTED_LOCALES = ("vi", "en")
DEFAULT_LOCALE = "vi"
SCHOOL_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_current_locale: contextvars.ContextVar[str] = contextvars.ContextVar(
    "camwarden_locale", default=DEFAULT_LOCALE
)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message


@cache
def translations_for(locale: str) -> NullTranslations:
    """All catalogues of `locale` merged; English (the message ids) needs none."""
    merged: NullTranslations = NullTranslations()
    catalogue_dir = LOCALES_DIR / locale / "LC_MESSAGES"
    for po_path in sorted(catalogue_dir.glob("*.po")):
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=locale)
        buffer = BytesIO()
        write_mo(buffer, catalogue)
        buffer.seek(0)
        domain = Translations(fp=buffer, domain=po_path.stem)
        if isinstance(merged, Translations):
            merged.merge(domain)
        else:
            merged = domain
    return merged


def normalise_locale(candidate: str | None) -> str:
    """A supported locale for an Accept-Language item, cookie or flag; Vietnamese otherwise."""
    if not candidate:
        return DEFAULT_LOCALE
    primary = candidate.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in SUPPORTED_LOCALES else DEFAULT_LOCALE


def set_current_locale(locale: str) -> contextvars.Token[str]:
    return _current_locale.set(normalise_locale(locale))


def current_locale() -> str:
    return _current_locale.get()


def gettext(message: str) -> str:
    """Translate into the current locale (set per request or per CLI run)."""
    return translations_for(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translations_for(current_locale()).ngettext(singular, plural, count)


def local_time(moment: datetime) -> datetime:
    """A stored UTC instant as the school's wall-clock time."""
    return moment.astimezone(SCHOOL_TIMEZONE)


def format_datetime(moment: datetime | None, *, seconds: bool = False) -> str:
    """dd/mm/yyyy HH:MM in the school's time zone, whatever the language."""
    if moment is None:
        return ""
    pattern = "dd/MM/yyyy HH:mm:ss" if seconds else "dd/MM/yyyy HH:mm"
    return babel_format_datetime(moment, pattern, tzinfo=SCHOOL_TIMEZONE, locale=current_locale())


def reset_locale(token: contextvars.Token[str]) -> None:
    _current_locale.reset(token)
