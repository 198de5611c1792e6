"""The camera register: list, create, read, change, delete, change the service state.

Answers never carry a camera's credentials, only whether some are stored.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import Path, Response
from pydantic import Field

from camwarden.analysis.mask import MASK_CELLS, MASK_COLUMNS, MASK_ROWS
from camwarden.analysis.snapshots import SnapshotStore, snapshots_dir
from camwarden.errors import NotFound
from camwarden.governance.cameras import CameraState
from camwarden.storage.lookup import MAX_ID
from camwarden.storage.models import Camera
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, CameraId, resource_router
from camwarden.web.api.schemas import (
    CameraCreate,
    CameraOut,
    CameraPatch,
    CameraStateChange,
    RequestBody,
    ResponseBody,
)
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/cameras", "cameras")


def camera_out(camera: Camera) -> CameraOut:
    return CameraOut(
        id=camera.id,
        name=camera.name,
        zone_id=camera.zone_id,
        main_url=camera.main_url,
        sub_url=camera.sub_url,
        has_credentials=camera.credentials_encrypted is not None,
        state=CameraState(camera.state),
        in_service_by_override=camera.in_service_by_override,
        position_notes=camera.position_notes,
        retention_days=camera.retention_days,
        created_at=camera.created_at,
        updated_at=camera.updated_at,
    )


@router.get("", response_model=list[CameraOut], name="list_cameras")
def list_cameras(inst: Inst, caller: ApiCaller) -> list[CameraOut]:
    """The cameras in the caller's zones, by name."""
    with inst.database.reading() as session:
        return [camera_out(camera) for camera in inst.cameras.list(session, caller.actor)]


@router.post(
    "",
    status_code=201,
    response_model=CameraOut,
    responses=CONFLICT,
    name="create_camera",
)
def create_camera(body: CameraCreate, inst: Inst, caller: ApiCaller) -> CameraOut:
    """A new camera, as a draft until it is accepted (R-2.1)."""
    with inst.database.transaction() as session:
        camera = inst.cameras.create(
            session,
            caller.actor,
            name=body.name,
            zone_id=body.zone_id,
            main_url=body.main_url,
            sub_url=body.sub_url,
            username=body.username,
            password=body.password,
            position_notes=body.position_notes,
            retention_days=body.retention_days,
        )
        return camera_out(camera)


@router.get("/{camera_id}", response_model=CameraOut, responses=NOT_FOUND, name="get_camera")
def get_camera(camera_id: CameraId, inst: Inst, caller: ApiCaller) -> CameraOut:
    """One camera in the caller's zones."""
    with inst.database.reading() as session:
        return camera_out(inst.cameras.get(session, caller.actor, camera_id))


@router.patch(
    "/{camera_id}",
    response_model=CameraOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="update_camera",
)
def update_camera(
    camera_id: CameraId, body: CameraPatch, inst: Inst, caller: ApiCaller
) -> CameraOut:
    """Change what is given."""
    with inst.database.transaction() as session:
        camera = inst.cameras.update(
            session,
            caller.actor,
            camera_id,
            name=body.name,
            zone_id=body.zone_id,
            main_url=body.main_url,
            sub_url=body.sub_url,
            username=body.username,
            password=body.password,
            position_notes=body.position_notes,
            retention_days=body.retention_days,
        )
        return camera_out(camera)


@router.delete(
    "/{camera_id}",
    status_code=204,
    response_class=Response,
    responses={**NOT_FOUND, **CONFLICT},
    name="delete_camera",
)
def delete_camera(camera_id: CameraId, inst: Inst, caller: ApiCaller) -> None:
    """Remove a camera that is not in service."""
    with inst.database.transaction() as session:
        inst.cameras.delete(session, caller.actor, camera_id)


@router.post(
    "/{camera_id}/state",
    response_model=CameraOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="change_camera_state",
)
def change_camera_state(
    camera_id: CameraId, body: CameraStateChange, inst: Inst, caller: ApiCaller
) -> CameraOut:
    """Take a camera out of service, or put it in service (by an audited override, for now)."""
    with inst.database.transaction() as session:
        camera = inst.cameras.set_state(
            session, caller.actor, camera_id, body.state.value, reason=body.reason
        )
        return camera_out(camera)


# -- analysis settings (R-2.3) -----------------------------------------------------------------

MASK_DESCRIPTION = (
    f"'' (nothing masked) or {MASK_CELLS} characters '0'/'1', {MASK_COLUMNS} columns x "
    f"{MASK_ROWS} rows, row by row from the top left; '1' = the cell is ignored by the "
    "detectors (e.g. a flag moving in the wind)."
)


class SensitivityLevel(StrEnum):
    """How readily a detector raises (analysis/sensitivity.py)."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class AnalysisSettingsOut(ResponseBody):
    analysis_mask: str = Field(description=MASK_DESCRIPTION)
    tamper_sensitivity: SensitivityLevel
    motion_sensitivity: SensitivityLevel


class AnalysisSettingsPatch(RequestBody):
    """Only the fields given change; all are checked before any is changed."""

    analysis_mask: str | None = Field(None, max_length=1000, description=MASK_DESCRIPTION)
    tamper_sensitivity: SensitivityLevel | None = None
    motion_sensitivity: SensitivityLevel | None = None


def analysis_out(camera: Camera) -> AnalysisSettingsOut:
    return AnalysisSettingsOut(
        analysis_mask=camera.analysis_mask,
        tamper_sensitivity=SensitivityLevel(camera.tamper_sensitivity),
        motion_sensitivity=SensitivityLevel(camera.motion_sensitivity),
    )


@router.get(
    "/{camera_id}/analysis",
    response_model=AnalysisSettingsOut,
    responses=NOT_FOUND,
    name="get_camera_analysis",
)
def get_camera_analysis(camera_id: CameraId, inst: Inst, caller: ApiCaller) -> AnalysisSettingsOut:
    """The camera's analysis mask and sensitivities."""
    with inst.database.reading() as session:
        return analysis_out(inst.cameras.get(session, caller.actor, camera_id))


@router.patch(
    "/{camera_id}/analysis",
    response_model=AnalysisSettingsOut,
    responses=NOT_FOUND,
    name="update_camera_analysis",
)
def update_camera_analysis(
    camera_id: CameraId, body: AnalysisSettingsPatch, inst: Inst, caller: ApiCaller
) -> AnalysisSettingsOut:
    """Change the mask or sensitivities (IT, audited); live analysis follows within seconds,
    recording is not interrupted."""
    with inst.database.transaction() as session:
        camera = inst.cameras.set_analysis(
            session,
            caller.actor,
            camera_id,
            analysis_mask=body.analysis_mask,
            tamper_sensitivity=body.tamper_sensitivity,
            motion_sensitivity=body.motion_sensitivity,
        )
        return analysis_out(camera)


class ViewLearning(RequestBody):
    reason: str = Field(
        min_length=1,
        max_length=1000,
        description="Why what the camera shows now is its normal view (re-aimed on purpose, "
        "or learnt while someone stood in front of it).",
    )


class EndedEvent(ResponseBody):
    id: int
    kind: str
    started_at: datetime
    ended_at: datetime


class ViewLearningOut(ResponseBody):
    camera_id: int
    ended_events: list[EndedEvent] = Field(
        description="The camera's tamper events that were open, ended now."
    )


@router.post(
    "/{camera_id}/view-learning",
    response_model=ViewLearningOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="learn_camera_view_again",
)
def learn_camera_view_again(
    camera_id: CameraId, body: ViewLearning, inst: Inst, caller: ApiCaller
) -> ViewLearningOut:
    """IT: the camera shows its normal view now. Its live analysis learns the view again
    within half a minute and its open tamper events end now (audited, with the reason). Only for a
    camera in service."""
    with inst.database.transaction() as session:
        ended = inst.cameras.learn_view_again(session, caller.actor, camera_id, reason=body.reason)
        return ViewLearningOut(
            camera_id=camera_id,
            ended_events=[
                EndedEvent.model_validate(event, from_attributes=True) for event in ended
            ],
        )


EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="The camera event's id.", examples=[1])]


@router.get(
    "/{camera_id}/events/{event_id}/snapshots/{which}",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}}, "description": "The snapshot, as JPEG."},
        **NOT_FOUND,
    },
    name="get_event_snapshot",
)
def get_event_snapshot(
    camera_id: CameraId,
    event_id: EventId,
    which: Literal["before", "after"],
    inst: Inst,
    caller: ApiCaller,
) -> Any:
    """A tamper event's snapshot: the last normal view before it ("before") or the view that
    raised it ("after"). Allowed to whoever may see the camera's live snapshot; each view is
    recorded in the audit log."""
    store = SnapshotStore(snapshots_dir(inst.settings.data_dir))
    with inst.database.transaction() as session:
        event = inst.footage.event_snapshot(session, caller.actor, camera_id, event_id, which)
        path = store.resolve(event.snapshot_before if which == "before" else event.snapshot_after)
        if path is None:
            raise NotFound("Event {value} has no such snapshot.", value=event_id)
        jpeg = path.read_bytes()
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "private"})
