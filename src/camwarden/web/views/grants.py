"""The grant page of an outsider (R-4.2): what the Board approved, watched or downloaded
through the secret link the requester was sent, each use in the audit log. Expired or
revoked links say so in words a parent reads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fastapi import Request
from starlette.responses import FileResponse, Response

from camwarden.errors import Forbidden, NotFound
from camwarden.governance._requests_copy import anonymised_package, package_clips
from camwarden.governance.requests import valid_token_input
from camwarden.installation import Installation
from camwarden.storage.models import FootageGrant, FootageRequest
from camwarden.web.security import Inst, client_ip
from camwarden.web.views import page_router
from camwarden.web.views._common import page
from camwarden.web.views._public_forms import optional_caller
from camwarden.web.views.requests import request_labels


def _granted_copy(
    inst: Installation, token: str, request: Request, action: str, **details: object
) -> tuple[FootageRequest, FootageGrant, Path | None]:
    """The request, its grant and the copy's folder; the use goes to the audit log."""
    token = valid_token_input(token)
    with inst.database.transaction() as session:
        grant = inst.requests.grant_by_token(session, token)
        found = grant.request
        folder = anonymised_package(session, inst.settings.data_dir, found)
        inst.requests.record_use(session, grant, action, client_ip(request), **details)
        session.expunge_all()
        return found, grant, folder


@page_router.get("/grants/{token}")
def grant_page(request: Request, inst: Inst, token: str) -> Response:
    try:
        found, grant, folder = _granted_copy(inst, token, request, "footage_request.link_view")
    except Forbidden as error:
        # Expired or revoked: say so in words a parent reads, with the way forward.
        closed = page(
            request, optional_caller(request), "requests/grant_closed.html", {}, error=error
        )
        closed.headers["Referrer-Policy"] = "no-referrer"
        return closed
    clips = package_clips(folder) if folder is not None else []
    context = {
        "item": found,
        "token": token,
        "access": grant.access,
        "clips": list(enumerate(clips)),
        "copy_ready": folder is not None,
        "expires_at": grant.expires_at,
        **request_labels(),
    }
    response = page(request, optional_caller(request), "requests/grant.html", context)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@page_router.get("/grants/{token}/clips/{index}")
def grant_clip(request: Request, inst: Inst, token: str, index: int) -> Response:
    _found, _grant, folder = _granted_copy(
        inst, token, request, "footage_request.link_play", clip=index
    )
    clips = package_clips(folder) if folder is not None else []
    if folder is None or not 0 <= index < len(clips):
        raise NotFound("Clip {value} does not exist.", value=index)
    path = (folder / clips[index].file).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise NotFound("Clip {value} does not exist.", value=index)
    return FileResponse(path, media_type="video/mp4", headers={"Cache-Control": "no-store"})


@page_router.get("/grants/{token}/download")
def grant_download(request: Request, inst: Inst, token: str) -> Response:
    found, grant, folder = _granted_copy(inst, token, request, "footage_request.link_download")
    if grant.access != "copy":
        raise NotFound("This grant allows watching only, not a copy.")
    if folder is None:
        raise NotFound("The copy is not ready yet; try again later.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    headers = {
        "Content-Disposition": f'attachment; filename="{found.reference}.zip"',
        "Cache-Control": "no-store",
    }
    return Response(buffer.getvalue(), media_type="application/zip", headers=headers)
