"""Settings, loaded once at start and passed explicitly to whatever needs them.

Sources, later ones winning: built-in defaults, `camwarden.toml` in the data folder, and the
environment (`CAMWARDEN_DATABASE_URL`). Unknown keys in the file are refused, so that a typo
never silently leaves a default in force.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camwarden.errors import InvalidInput

CONFIG_FILE_NAME = "camwarden.toml"
DATABASE_URL_ENV = "CAMWARDEN_DATABASE_URL"
DATA_DIR_ENV = "CAMWARDEN_DATA_DIR"


@dataclass(frozen=True)
class LoginPolicy:
    """Decision 724/QĐ-BTTTT: lockout after repeated failures, password complexity."""

    max_failures: int = 5
    failure_window_seconds: int = 30
    lockout_seconds: int = 300
    password_min_length: int = 8
    session_hours: int = 12


@dataclass(frozen=True)
class EscalationSettings:
    """Minutes a waiting alert of each severity may wait before it goes to the head of
    security, then to the board (R-7.1); 0: never that far. Fractions are allowed."""

    critical_to_security_lead_minutes: float = 2
    critical_to_board_minutes: float = 5
    high_to_security_lead_minutes: float = 5
    high_to_board_minutes: float = 15
    medium_to_security_lead_minutes: float = 15
    medium_to_board_minutes: float = 60
    low_to_security_lead_minutes: float = 0
    low_to_board_minutes: float = 0
    # A covered or turned camera straight to the board, e.g. after a break-in attempt.
    tamper_to_board_at_once: bool = False
    # Per zone kind ([escalation.zones.finance_room]): any of the minutes above, for that
    # kind's zones only; what a zone kind does not say comes from the school-wide values.
    zones: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    login: LoginPolicy = field(default_factory=LoginPolicy)
    escalation: EscalationSettings = field(default_factory=EscalationSettings)
    # Cookies marked Secure only make sense behind HTTPS; a school's reverse proxy turns it on.
    secure_cookies: bool = False
    default_locale: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    # Recording: one file per minute keeps a file's loss on a crash to its last fragment
    # and the index small (64 cameras x 30 days = 2.8 million rows).
    segment_seconds: int = 60
    video_loss_seconds: int = 10
    # Review. The regulation reviews footage every 15 days (Art. 5): a cycle
    # opens when its period ends, and footage is never deleted before a closed cycle covers it.
    review_period_days: int = 15
    # Days after a period's end the Board has to sign its review off; past them it is overdue.
    review_grace_days: int = 5
    # Disk-pressure guard: below this much free space (10^9 bytes) on the recordings
    # filesystem, the oldest unprotected footage goes. 10 GB is about an hour of eleven
    # cameras at 2 Mbit/s (0.9 GB per camera-hour), Frigate's "one hour of recording".
    free_margin_gb: float = 10.0
    retention_check_seconds: int = 60
    # Notifications: the school's mail server as an Apprise URL without recipient,
    # e.g. "mailtos://camera%40truong.edu.vn:APP_PASSWORD@smtp.gmail.com?from=camera@truong.edu.vn";
    # empty: no e-mail (other channels still work). It holds a password: keep the file 0600.
    mail_url: str = ""
    # Where people reach camwarden, for links in messages (e.g. "https://camera.truong.edu.vn").
    public_url: str = ""
    # The daily report to the board goes out after this hour (school time) for the day before.
    daily_report_hour: int = 7
    # Printed at the head of written records and reports ("Trường Tiểu học Nguyễn Du").
    school_name: str = "Trường Tiểu học"
    # Complaints (R-3.1, Art. 3): days the school has to decide one, from its filing. 15 is the
    # regulation's own review rhythm (Art. 5), so footage a complaint names is still there.
    complaint_deadline_days: int = 15
    # Footage requests: a copy leaves the school, so it needs a second board member's
    # approval as well; off: one approval is enough for a copy as for watching.
    copy_needs_second_approval: bool = True

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / "secrets"

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / "recordings"


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'camwarden.db'}"


_SETTING_TYPES: dict[str, type] = {"int": int, "bool": bool, "str": str, "float": float}

# Settings that make no sense below a bound (a zero review period would protect nothing).
_MINIMUMS: dict[str, float] = {
    "review_period_days": 1,
    "complaint_deadline_days": 1,
    "review_grace_days": 0,
    "free_margin_gb": 0,
    "retention_check_seconds": 1,
    **{f.name: 0 for f in dataclasses.fields(EscalationSettings) if f.name.endswith("_minutes")},
    "daily_report_hour": 0,
}
_MAXIMUMS: dict[str, float] = {"daily_report_hour": 23}


def _checked_section(
    raw: object, cls: type, section: str, *, exclude: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The section's values, refused when a key is unknown or a value has the wrong type."""
    if not isinstance(raw, dict):
        raise InvalidInput(
            "Section [{section}] of the settings file must be a table of settings.",
            section=section,
        )
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in exclude}
    for key, value in raw.items():
        if key not in fields:
            raise InvalidInput(
                "Setting '{key}' in section [{section}] is unknown; known settings: {known}.",
                key=key,
                section=section,
                known=", ".join(sorted(fields)),
            )
        expected = _SETTING_TYPES.get(str(fields[key].type))
        # bool is an int in Python; a setting that wants a number must not take `true`.
        wrong_bool = expected in (int, float) and isinstance(value, bool)
        # TOML writes `free_margin_gb = 10` as an integer; a whole number is a fine float.
        if expected is float and isinstance(value, int) and not wrong_bool:
            value = raw[key] = float(value)
        if expected is not None and (wrong_bool or not isinstance(value, expected)):
            raise InvalidInput(
                "Setting '{key}' in section [{section}] must be of type {expected}, not {value!r}.",
                key=key,
                section=section,
                expected=str(fields[key].type),
                value=value,
            )
        minimum = _MINIMUMS.get(key)
        if minimum is not None and value < minimum:
            raise InvalidInput(
                "Setting '{key}' in section [{section}] must be at least {minimum}, not {value!r}.",
                key=key,
                section=section,
                minimum=minimum,
                value=value,
            )
        maximum = _MAXIMUMS.get(key)
        if maximum is not None and value > maximum:
            raise InvalidInput(
                "Setting '{key}' in section [{section}] must be at most {maximum}, not {value!r}.",
                key=key,
                section=section,
                maximum=maximum,
                value=value,
            )
    return raw


def _escalation_settings(raw: object) -> EscalationSettings:
    from camwarden.governance.zones import ZoneKind  # the zone kinds are the domain's

    values = dict(_checked_section(raw, EscalationSettings, "escalation", exclude=frozenset()))
    zones_raw = values.pop("zones", {})
    if not isinstance(zones_raw, dict):
        raise InvalidInput(
            "Section [{section}] of the settings file must be a table of settings.",
            section="escalation.zones",
        )
    zones: dict[str, dict[str, float]] = {}
    for kind, table in zones_raw.items():
        if kind not in {k.value for k in ZoneKind}:
            raise InvalidInput(
                "Zone kind '{value}' does not exist; expected one of: {expected}.",
                field="kind",
                value=kind,
                expected=", ".join(k.value for k in ZoneKind),
            )
        zones[kind] = _checked_section(
            table,
            EscalationSettings,
            f"escalation.zones.{kind}",
            exclude=frozenset({"tamper_to_board_at_once", "zones"}),
        )
    return EscalationSettings(**values, zones=zones)


def load_settings(data_dir: Path, environ: dict[str, str] | None = None) -> Settings:
    """Settings for the installation whose data folder is `data_dir`."""
    environ = dict(os.environ) if environ is None else environ
    data_dir = data_dir.resolve()
    file_values: dict[str, Any] = {}
    config_path = data_dir / CONFIG_FILE_NAME
    if config_path.exists():
        try:
            file_values = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput(
                "The settings file {path} is not valid TOML: {error}",
                path=str(config_path),
                error=str(exc),
            ) from exc
    login_raw = file_values.pop("login", {})
    escalation_raw = file_values.pop("escalation", {})
    top = _checked_section(
        file_values, Settings, "top level", exclude=frozenset({"data_dir", "login", "escalation"})
    )
    login = LoginPolicy(**_checked_section(login_raw, LoginPolicy, "login"))
    escalation = _escalation_settings(escalation_raw)
    database_url = environ.get(DATABASE_URL_ENV) or top.pop(
        "database_url", default_database_url(data_dir)
    )
    top.pop("database_url", None)
    return Settings(
        data_dir=data_dir, database_url=database_url, login=login, escalation=escalation, **top
    )
