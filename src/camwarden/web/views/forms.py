"""What the pages' forms send, one model per form; the services still validate every value.

The bounds here only stop absurd input early; the domain's own limits (and messages in the
user's language) are the ones that matter.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class ZoneForm(BaseModel):
    name: str = Field("", max_length=1000)
    kind: str = Field("", max_length=100)
    purposes: list[str] = Field(default_factory=list, max_length=20)
    responsible_unit: str = Field("", max_length=1000)
    description: str = Field("", max_length=5000)
    assignee_ids: list[int] = Field(default_factory=list, max_length=1000)


class CameraForm(BaseModel):
    name: str = Field("", max_length=1000)
    zone_id: int = 0
    main_url: str = Field("", max_length=2000)
    sub_url: str = Field("", max_length=2000)
    username: str = Field("", max_length=1000)
    password: str = Field("", max_length=1000)
    position_notes: str = Field("", max_length=5000)
    retention_days: int | None = None

    def shown_back(self) -> dict[str, object]:
        """The values to put back into the form after an error: never the password."""
        return self.model_dump(exclude={"password"})

    def credentials(self) -> dict[str, str | None]:
        """Empty fields mean "keep what is stored" (on edit) or "none" (on create)."""
        return {"username": self.username or None, "password": self.password or None}


class AccountForm(BaseModel):
    username: str = Field("", max_length=1000)
    full_name: str = Field("", max_length=1000)
    email: str = Field("", max_length=1000)
    role: str = Field("", max_length=100)
    zone_scope: str = Field("all", max_length=20)
    zone_ids: list[int] = Field(default_factory=list, max_length=1000)
    is_active: str = Field("", max_length=10)

    @property
    def all_zones(self) -> bool:
        return self.zone_scope == "all"

    def shown_back(self) -> dict[str, object]:
        return {
            **self.model_dump(exclude={"zone_scope", "is_active"}),
            "all_zones": self.all_zones,
            "is_active": self.is_active == "on",
        }
