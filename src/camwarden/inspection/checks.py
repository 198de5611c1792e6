"""One check of an inspection: what was looked at, what was seen, what was required, the result.

Texts are English message ids with parameters, translated when shown (web, CLI), so that the
record stays language-neutral like the domain's errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from camwarden.i18n import N_


class Result(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NOT_CHECKABLE = "not_checkable"


RESULT_LABELS: dict[Result, str] = {
    Result.PASS: N_("passed"),
    Result.WARN: N_("warning"),
    Result.FAIL: N_("failed"),
    Result.NOT_CHECKABLE: N_("not checkable"),
}


@dataclass(frozen=True)
class Text:
    """A message id and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Callable[[str], str]) -> str:
        try:
            return gettext(self.message).format(**self.params)
        except (KeyError, IndexError, ValueError):
            return gettext(self.message)

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "params": self.params}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Text:
        return cls(str(value["message"]), dict(value.get("params") or {}))


@dataclass(frozen=True)
class Check:
    id: str  # e.g. "profile.resolution", "security.factory_credentials"
    label: str  # message id: what is checked
    result: Result
    seen: Text
    required: Text | None = None
    # What the check serves: the QCVN 135:2024/BTTTT requirement group, or a profile's reason.
    basis: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "result": self.result.value,
            "seen": self.seen.as_json(),
            "required": self.required.as_json() if self.required else None,
            "basis": self.basis,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Check:
        required = value.get("required")
        return cls(
            id=str(value["id"]),
            label=str(value["label"]),
            result=Result(value["result"]),
            seen=Text.from_json(value["seen"]),
            required=Text.from_json(required) if required else None,
            basis=str(value.get("basis", "")),
        )


def failed(checks: Iterable[Check]) -> list[Check]:
    return [check for check in checks if check.result is Result.FAIL]
