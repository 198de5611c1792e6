"""An incident's evidence (R-4.3), under the same /incidents prefix: hand-overs recorded, the
biên bản printed, signed packages exported and checked; each step is a link of the chain of
custody. The incident's own operations are in incidents.py."""

from __future__ import annotations

from starlette.responses import Response

from camwarden.governance._incident_export import (
    export_incident,
    verify_incident_package,
    written_record,
)
from camwarden.governance.authorization import Actor
from camwarden.governance.incidents import Handover
from camwarden.i18n import gettext
from camwarden.installation import Installation
from camwarden.web.api._incident_schemas import (
    CHANGE_ERRORS,
    CustodyOut,
    ExportNew,
    IncidentId,
    PackageId,
    PackageOut,
    VerificationOut,
    custody_out,
    package_out,
)
from camwarden.web.api._routing import NOT_FOUND, resource_router
from camwarden.web.api.incidents import HandoverNew
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/incidents", "incidents")

PDF = {"content": {"application/pdf": {}}, "description": "The biên bản, in Vietnamese."}


def record_response(inst: Installation, actor: Actor, incident_id: int) -> Response:
    """The biên bản as a PDF download: the API and the incident's page answer with it."""
    content, name = written_record(inst, actor, incident_id)
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/{incident_id}/handovers",
    status_code=201,
    response_model=CustodyOut,
    responses=NOT_FOUND,
    name="record_incident_handover",
)
def record_handover(
    incident_id: IncidentId, body: HandoverNew, inst: Inst, caller: ApiCaller
) -> CustodyOut:
    """A copy handed over outside camwarden ("on USB to Officer X, police ward Y")."""
    with inst.database.transaction() as session:
        event = inst.incidents.chain.record_handover(
            session,
            caller.actor,
            incident_id,
            Handover(
                recipient=body.recipient,
                organisation=body.organisation,
                medium=body.medium,
                handed_at=body.handed_at,
                note=body.note,
            ),
        )
        (out,) = custody_out([event])
        return out


@router.get(
    "/{incident_id}/record",
    response_class=Response,
    responses={200: PDF, **NOT_FOUND},
    name="get_incident_record",
)
def get_record(incident_id: IncidentId, inst: Inst, caller: ApiCaller) -> Response:
    """The biên bản as it stands (with the hashes of the latest package); printing is logged."""
    return record_response(inst, caller.actor, incident_id)


@router.post(
    "/{incident_id}/exports",
    status_code=201,
    response_model=PackageOut,
    responses=CHANGE_ERRORS,
    name="export_incident",
)
def export_package(
    incident_id: IncidentId, body: ExportNew, inst: Inst, caller: ApiCaller
) -> PackageOut:
    """A signed package of the incident's clips with its biên bản."""
    result = export_incident(
        inst,
        caller.actor,
        incident_id,
        reason=body.reason,
        approval_reference=body.approval_reference,
    )
    with inst.database.reading() as session:
        return package_out(
            inst.incidents.export(session, caller.actor, incident_id, result.record_id)
        )


@router.post(
    "/{incident_id}/exports/{export_id}/verify",
    response_model=VerificationOut,
    responses=NOT_FOUND,
    name="verify_incident_package",
)
def verify_package(
    incident_id: IncidentId, export_id: PackageId, inst: Inst, caller: ApiCaller
) -> VerificationOut:
    """Check the package as it lies on the server; the check is in the chain of custody."""
    report = verify_incident_package(inst, caller.actor, incident_id, export_id)
    return VerificationOut(
        intact=report.ok,
        problems=[problem.render(gettext) for problem in report.problems],
        clips_checked=report.clips_checked,
        documents_checked=report.documents_checked,
        key_id=report.key_id,
    )
