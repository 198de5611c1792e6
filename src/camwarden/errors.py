"""One error hierarchy for the whole system, mapped to HTTP and exit codes in one place each.

Messages are English msgids marked for translation; the adapters (web, CLI) translate them
into the user's language with the parameters, so that the domain stays language-neutral.
"""

from __future__ import annotations

from typing import Any


class Translatable(str):
    """A message parameter that is itself a msgid, translated when the message is rendered."""


class CamwardenError(Exception):
    """Base of every error a user can cause or meet; carries a translatable message."""

    http_status = 400

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(self.render())

    def render(self, gettext: Any = None) -> str:
        """The message with its parameters, translated when a gettext function is given."""
        template = gettext(self.message) if gettext is not None else self.message
        params = {
            key: gettext(value)
            if gettext is not None and isinstance(value, Translatable)
            else value
            for key, value in self.params.items()
        }
        try:
            return str(template).format(**params)
        except (KeyError, IndexError, ValueError):
            return str(template)


class InvalidInput(CamwardenError):
    """The input is malformed or breaks a rule; nothing was changed."""

    http_status = 422

    def __init__(self, message: str, /, *, field: str | None = None, **params: Any) -> None:
        self.field = field
        if field is not None:
            params.setdefault("field", field)
        super().__init__(message, **params)


class NotFound(CamwardenError):
    """The thing named does not exist (or the caller may not know it exists)."""

    http_status = 404


class Conflict(CamwardenError):
    """The change clashes with existing state (a duplicate name, a forbidden transition)."""

    http_status = 409


class NotAuthenticated(CamwardenError):
    """No valid session or token."""

    http_status = 401


class Forbidden(CamwardenError):
    """Authenticated, but the role or zone scope does not allow this."""

    http_status = 403


class PasswordChangeRequired(Forbidden):
    """The account must set its own password before doing anything else."""
