"""Evidence exports: make a signed package of footage, and download it as a zip (R-4.3)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.responses import FileResponse

from camwarden.evidence.downloads import exports_dir, package_zip
from camwarden.evidence.export import export_package
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, ExportId, resource_router
from camwarden.web.api._types import Id, UtcInput
from camwarden.web.api.schemas import RequestBody, ResponseBody
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/exports", "evidence")


class ExportRange(RequestBody):
    camera_id: Id
    start: UtcInput
    end: UtcInput


class ExportRequest(RequestBody):
    ranges: Annotated[list[ExportRange], Field(min_length=1, max_length=16)]
    reason: str = Field(max_length=2000, description="Why: written into the manifest and log.")
    approval_reference: str = Field("", max_length=200, description="The approval, if any.")
    anonymise: bool = Field(
        False,
        description="Hide the people in the clips (a copy for someone outside the school).",
    )


class ExportOut(ResponseBody):
    id: int
    package_name: str
    manifest_sha256: str
    key_id: str
    anonymised: bool
    download_url: str


@router.post(
    "",
    status_code=201,
    response_model=ExportOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="create_export",
)
def create_export(body: ExportRequest, inst: Inst, caller: ApiCaller) -> ExportOut:
    """A signed evidence package of the ranges; the footage is locked against deletion."""
    folder = exports_dir(inst.settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    result = export_package(
        inst,
        caller.actor,
        [(r.camera_id, r.start, r.end) for r in body.ranges],
        reason=body.reason,
        approval_reference=body.approval_reference,
        out_dir=folder,
        anonymise=body.anonymise,
    )
    return ExportOut(
        id=result.record_id,
        package_name=result.package_path.name,
        manifest_sha256=result.manifest_sha256,
        key_id=result.key_id,
        anonymised=body.anonymise,
        download_url=f"/api/v1/exports/{result.record_id}/download",
    )


@router.get(
    "/{export_id}/download",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/zip": {}}, "description": "The package as a zip."},
        **NOT_FOUND,
    },
    name="download_export",
)
def download_export(export_id: ExportId, inst: Inst, caller: ApiCaller) -> FileResponse:
    """The package as a zip; every download is in the audit log."""
    with inst.database.transaction() as session:
        archive = package_zip(session, inst.audit, caller.actor, inst.settings.data_dir, export_id)
    return FileResponse(archive, media_type="application/zip", filename=archive.name)
