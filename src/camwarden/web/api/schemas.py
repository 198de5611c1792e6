"""Request and response bodies of the REST API.

Requests forbid unknown keys and carry the same bounds the governance services check (the
services stay the authority: a value these models let through can still be refused there).
Responses never carry a secret except the one-time values named as such (`initial_password`,
`password`, `token`); camera credentials never leave the server, only `has_credentials`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from camwarden.governance.cameras import MAX_RETENTION_DAYS, CameraState
from camwarden.governance.passwords import MAX_PASSWORD_LENGTH
from camwarden.governance.roles import Permission, Role
from camwarden.governance.stream_urls import MAX_URL_LENGTH
from camwarden.governance.zones import Purpose, ZoneKind
from camwarden.web.api._types import Id, UtcOutput

MAX_IDS = 1000  # zone or account ids in one list


class RequestBody(BaseModel):
    """A body sent to the API: unknown keys are refused, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid")


class ResponseBody(BaseModel):
    """A body the API answers with."""


# -- errors ----------------------------------------------------------------------------------


class ErrorDetail(ResponseBody):
    kind: str = Field(description="The error's type, e.g. InvalidInput, NotFound, Conflict.")
    message: str = Field(description="What went wrong, in the request's language.")
    field: str | None = Field(None, description="The input field at fault, when there is one.")


class ErrorBody(ResponseBody):
    """Every error answer: `{"error": {"kind", "message", "field"?}}`."""

    error: ErrorDetail


# -- who am I --------------------------------------------------------------------------------


class Me(ResponseBody):
    id: int
    username: str
    full_name: str
    role: Role
    permissions: list[Permission] = Field(description="What the role allows, sorted.")
    all_zones: bool = Field(description="True when the zone-scoped permissions cover every zone.")
    zone_ids: list[int] = Field(description="The zones covered when `all_zones` is false.")


class PasswordChange(RequestBody):
    current_password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(
        max_length=MAX_PASSWORD_LENGTH,
        description="At least the configured minimum length (8 by default), three of: "
        "lower-case, upper-case, digits, symbols; not containing the username.",
    )


# -- accounts --------------------------------------------------------------------------------

Username = Annotated[
    str,
    Field(
        min_length=3,
        max_length=64,
        description="3 to 64 lower-case letters, digits, dots, dashes or underscores, "
        "starting with a letter or digit.",
        examples=["nguyen.van.an"],
        # Documented here, checked by the domain (which also lower-cases and trims).
        json_schema_extra={"pattern": "^[a-z0-9][a-z0-9._-]{2,63}$"},
    ),
]
FullName = Annotated[str, Field(min_length=1, max_length=200, examples=["Nguyễn Văn An"])]
Email = Annotated[str, Field(max_length=254, description="An e-mail address; empty for none.")]
IdList = Annotated[list[Id], Field(max_length=MAX_IDS)]


class UserCreate(RequestBody):
    username: Username
    full_name: FullName
    role: Role
    email: Email | None = None
    all_zones: bool = Field(True, description="Zone-scoped permissions apply in every zone.")
    zone_ids: IdList = Field(
        default_factory=list, description="The zones covered when `all_zones` is false."
    )


class UserPatch(RequestBody):
    """Only the fields given change; an empty `email` removes it."""

    full_name: FullName | None = None
    email: Email | None = None
    role: Role | None = None
    all_zones: bool | None = None
    zone_ids: IdList | None = None
    is_active: bool | None = None


class UserOut(ResponseBody):
    id: int
    username: str
    full_name: str
    email: str | None
    role: Role
    all_zones: bool
    zone_ids: list[int]
    is_active: bool
    must_change_password: bool
    created_at: UtcOutput
    password_changed_at: UtcOutput | None


class UserCreated(UserOut):
    initial_password: str = Field(
        description="Shown this once; the person must change it at the first login."
    )


class PasswordReset(ResponseBody):
    password: str = Field(
        description="The new password, shown this once; the person must change it at the "
        "next login."
    )


# -- API tokens ------------------------------------------------------------------------------


class TokenCreate(RequestBody):
    name: str = Field(
        min_length=1, max_length=100, description="What the token is for.", examples=["backup"]
    )


class TokenOut(ResponseBody):
    id: int
    name: str
    created_at: UtcOutput


class TokenCreated(TokenOut):
    token: str = Field(
        description="The bearer token (starts with cw_), shown this once; it is not stored."
    )


# -- zones -----------------------------------------------------------------------------------

ZoneName = Annotated[str, Field(min_length=1, max_length=120, examples=["Cổng trường"])]
Unit = Annotated[str, Field(min_length=1, max_length=200, examples=["Tổ bảo vệ"])]
Description = Annotated[str, Field(max_length=2000)]
Purposes = Annotated[list[Purpose], Field(min_length=1, max_length=10)]


class ZoneCreate(RequestBody):
    name: ZoneName
    kind: ZoneKind
    purposes: Purposes = Field(description="Why cameras watch this zone (Art. 1).")
    responsible_unit: Unit = Field(description="The unit that answers for the zone.")
    description: Description = ""
    assignee_ids: IdList = Field(
        default_factory=list, description="Accounts assigned to the zone by the Board."
    )


class ZonePatch(RequestBody):
    """Only the fields given change."""

    name: ZoneName | None = None
    kind: ZoneKind | None = None
    purposes: Purposes | None = None
    responsible_unit: Unit | None = None
    description: Description | None = None
    assignee_ids: IdList | None = None


class ZoneOut(ResponseBody):
    id: int
    name: str
    kind: ZoneKind
    purposes: list[Purpose]
    responsible_unit: str
    description: str
    assignee_ids: list[int]
    created_at: UtcOutput


# -- cameras ---------------------------------------------------------------------------------

CameraName = Annotated[str, Field(min_length=1, max_length=120, examples=["Cổng chính 1"])]
StreamUrl = Annotated[
    str,
    Field(
        max_length=MAX_URL_LENGTH,
        description="An rtsp:// or rtsps:// address; a user:password written in it is taken "
        "out and sealed like the separate credentials.",
        examples=["rtsp://192.168.1.64:554/Streaming/Channels/101"],
        json_schema_extra={"pattern": r"^rtsps?://\S+$"},
    ),
]
OptionalStreamUrl = Annotated[
    str,
    Field(
        max_length=MAX_URL_LENGTH,
        description="A lower-rate stream's rtsp:// or rtsps:// address; empty for none.",
        json_schema_extra={"pattern": r"^(rtsps?://\S+)?$"},
    ),
]
CameraUser = Annotated[str, Field(max_length=100, description="The camera's login name.")]
CameraPassword = Annotated[
    str, Field(max_length=200, description="The camera's password; stored encrypted.")
]
Notes = Annotated[str, Field(max_length=2000, description="Where it is mounted, what it sees.")]


RetentionDays = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_RETENTION_DAYS,
        description="Days continuous footage is kept; never under the review period (15).",
    ),
]


class CameraCreate(RequestBody):
    name: CameraName
    zone_id: Id
    main_url: StreamUrl
    sub_url: OptionalStreamUrl | None = None
    username: CameraUser | None = None
    password: CameraPassword | None = None
    position_notes: Notes = ""
    retention_days: RetentionDays | None = None


class CameraPatch(RequestBody):
    """Only the fields given change; an empty `sub_url` removes it; credentials stay unless
    `username` or `password` is given (both empty removes them)."""

    name: CameraName | None = None
    zone_id: Id | None = None
    main_url: StreamUrl | None = None
    sub_url: OptionalStreamUrl | None = None
    username: CameraUser | None = None
    password: CameraPassword | None = None
    position_notes: Notes | None = None
    retention_days: RetentionDays | None = None


class CameraStateChange(RequestBody):
    state: CameraState
    reason: str = Field(
        "",
        max_length=1000,
        description="Why; required to put a camera in service without a passed inspection.",
    )


class CameraOut(ResponseBody):
    id: int
    name: str
    zone_id: int
    main_url: str = Field(description="Without credentials.")
    sub_url: str | None
    has_credentials: bool = Field(description="Whether a login is stored (never shown).")
    state: CameraState
    in_service_by_override: bool = Field(
        description="Put in service by an administrator's override, without an inspection."
    )
    position_notes: str
    retention_days: int = Field(description="Days continuous footage is kept.")
    created_at: UtcOutput
    updated_at: UtcOutput


# -- audit -----------------------------------------------------------------------------------


class AuditEntryOut(ResponseBody):
    seq: int = Field(description="Position in the chain, from 1 without gaps.")
    at: UtcOutput
    actor_user_id: int | None
    actor: str
    action: str = Field(examples=["camera.create"])
    target_type: str
    target_id: str
    details: dict[str, Any]
    ip: str
    prev_hash: str
    entry_hash: str


class AuditPage(ResponseBody):
    items: list[AuditEntryOut] = Field(description="Newest first.")
    total: int = Field(description="Entries matching the filters, over all pages.")
    limit: int
    offset: int


class ChainReportOut(ResponseBody):
    ok: bool
    entries: int = Field(description="Entries verified before the first problem, if any.")
    head_hash: str = Field(description="Hash of the last good entry; write it down.")
    problem: str = Field(description="What is wrong (in English), empty when ok.")
    bad_seq: int | None = Field(description="The entry at fault, when not ok.")


# -- footage ---------------------------------------------------------------------------------


class TimeRangeOut(ResponseBody):
    start: UtcOutput
    end: UtcOutput


class TimelineEventOut(ResponseBody):
    kind: str = Field(description="video_loss, recording_stopped, storage_error, …")
    start: UtcOutput
    end: UtcOutput | None = Field(description="None while the event goes on.")


class TimelineOut(ResponseBody):
    camera_id: int
    start: UtcOutput = Field(description="The day's start (00:00 school time), in UTC.")
    end: UtcOutput
    now: UtcOutput
    recorded: list[TimeRangeOut]
    gaps: list[TimeRangeOut]
    events: list[TimelineEventOut]
