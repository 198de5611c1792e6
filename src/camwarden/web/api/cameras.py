"""The camera register: list, create, read, change, delete, change the service state.

Answers never carry a camera's credentials, only whether some are stored.
"""

from __future__ import annotations

from fastapi import Response

from camwarden.governance.cameras import CameraState
from camwarden.storage.models import Camera
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, CameraId, resource_router
from camwarden.web.api.schemas import CameraCreate, CameraOut, CameraPatch, CameraStateChange
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
