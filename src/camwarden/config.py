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
class Settings:
    data_dir: Path
    database_url: str
    login: LoginPolicy = field(default_factory=LoginPolicy)
    # Cookies marked Secure only make sense behind HTTPS; a school's reverse proxy turns it on.
    secure_cookies: bool = False
    default_locale: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / "secrets"


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'camwarden.db'}"


def _checked_section(raw: dict[str, Any], cls: type, section: str) -> dict[str, Any]:
    known = {f.name for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in known:
            raise InvalidInput(
                "Setting '{key}' in section [{section}] is unknown; known settings: {known}.",
                key=key,
                section=section,
                known=", ".join(sorted(known)),
            )
    return raw


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
    top_fields = {f.name for f in dataclasses.fields(Settings)} - {"data_dir", "login"}
    for key in file_values:
        if key not in top_fields:
            raise InvalidInput(
                "Setting '{key}' in section [{section}] is unknown; known settings: {known}.",
                key=key,
                section="top level",
                known=", ".join(sorted(top_fields | {"login"})),
            )
    login = LoginPolicy(**_checked_section(login_raw, LoginPolicy, "login"))
    database_url = environ.get(DATABASE_URL_ENV) or file_values.pop(
        "database_url", default_database_url(data_dir)
    )
    file_values.pop("database_url", None)
    return Settings(data_dir=data_dir, database_url=database_url, login=login, **file_values)
