"""`camwarden inspect CAMERA`: measure a camera and check it, as the acceptance inspection does."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from sqlalchemy import select

from camwarden import i18n
from camwarden.cli._context import acting_for, cli_actor, fail, installation
from camwarden.governance.authorization import Actor
from camwarden.i18n import gettext as _
from camwarden.inspection.checks import RESULT_LABELS, Check, Result
from camwarden.inspection.records import (
    KIND_LABELS,
    PASSED,
    VERDICT_LABELS,
    checks_of,
    drift_of,
    measurements_of,
)
from camwarden.inspection.service import Inspections
from camwarden.installation import Installation
from camwarden.storage.models import Camera, Inspection

# Exit status of an inspection that ran and failed (1 is an error that stopped it).
FAILED_STATUS = 2


def _camera_id(inst: Installation, camera: str) -> int:
    with inst.database.reading() as session:
        if camera.isdigit():
            return int(camera)
        found = session.scalar(select(Camera.id).where(Camera.name == camera))
    if found is None:
        raise fail(_("There is no camera named '{name}'.").format(name=camera))
    return found


def _signer(inst: Installation, username: str | None) -> Actor:
    if not username:
        raise fail(_("Signing off names the person who signs: add --as USERNAME."))
    return acting_for(inst, username)


def inspect(
    ctx: typer.Context,
    camera: Annotated[str, typer.Argument(help="The camera's id or exact name.")],
    supplier: Annotated[
        str, typer.Option(help="The supplier who installed the camera (needed to sign off).")
    ] = "",
    sign_off: Annotated[
        bool, typer.Option("--sign-off", help="Sign the inspection off (with --as).")
    ] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", help="The account signing off (IT, for the zone).")
    ] = None,
    onvif_port: Annotated[
        int | None, typer.Option(help="The camera's ONVIF port (default 80).")
    ] = None,
    no_onvif: Annotated[bool, typer.Option("--no-onvif", help="Skip the ONVIF checks.")] = False,
    new_acceptance: Annotated[
        str,
        typer.Option(
            "--new-acceptance",
            help="REASON: an accepted camera re-aimed or replaced on purpose is accepted again "
            "(new reference view) instead of re-inspected.",
        ),
    ] = "",
    json_output: Annotated[bool, typer.Option("--json", help="The record as JSON.")] = False,
) -> None:
    """Inspect a camera: measure its picture against its zone's profile and check its security
    (QCVN 135:2024/BTTTT); exit status 2 when it fails."""
    with installation(ctx) as inst:
        signer = _signer(inst, as_user) if sign_off else None
        camera_id = _camera_id(inst, camera)
        service = Inspections.for_installation(inst)
        if not json_output:
            typer.echo(_("Measuring the camera's stream for about 15 seconds…"))
        inspection = service.inspect(
            inst.database,
            signer or cli_actor(),
            camera_id,
            onvif_port=onvif_port,
            check_onvif=not no_onvif,
            supplier=supplier,
            new_acceptance_reason=new_acceptance,
        )
        if signer is not None:
            with inst.database.transaction() as session:
                inspection = service.sign_off(session, signer, inspection.id, supplier=supplier)
                session.flush()
                session.expunge(inspection)
    if json_output:
        typer.echo(json.dumps(_as_json(inspection), ensure_ascii=False, indent=2))
    else:
        _print(inspection)
    if inspection.verdict != PASSED:
        raise typer.Exit(FAILED_STATUS)


def _as_json(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.id,
        "camera_id": inspection.camera_id,
        "kind": inspection.kind,
        "verdict": inspection.verdict,
        "measurements": measurements_of(inspection),
        "checks": [
            {**check.as_json(), "seen_text": check.seen.render(i18n.gettext)}
            for check in checks_of(inspection)
        ],
        "drift": drift_of(inspection),
        "reference_view": inspection.reference_view,
        "supplier": inspection.supplier,
        "signed_off_by": inspection.signed_off_by,
    }


_MARKS = {Result.PASS: "✓", Result.WARN: "!", Result.FAIL: "✗", Result.NOT_CHECKABLE: "–"}


def _row(check: Check) -> str:
    required = check.required.render(_) if check.required else ""
    return (
        f"  {_MARKS[check.result]} {_(check.label):<28} {check.seen.render(_)}"
        + (f"\n      {_('required')}: {required}" if required else "")
        + f"   [{_(RESULT_LABELS[check.result])}]"
    )


def _print(inspection: Inspection) -> None:
    checks = checks_of(inspection)
    typer.echo(
        _("{kind} {id}, camera {camera}:").format(
            kind=_(KIND_LABELS[inspection.kind]), id=inspection.id, camera=inspection.camera_id
        )
    )
    for title, prefix in (
        (_("Picture (measured / required)"), "profile."),
        (_("Security (QCVN 135:2024/BTTTT)"), "security."),
        (_("Drift since acceptance"), "drift."),
    ):
        group = [check for check in checks if check.id.startswith(prefix)]
        if group:
            typer.echo(title)
            for check in group:
                typer.echo(_row(check))
    verdict = _(VERDICT_LABELS[inspection.verdict])
    colour = typer.colors.GREEN if inspection.verdict == PASSED else typer.colors.RED
    typer.secho(_("Verdict: {verdict}").format(verdict=verdict), fg=colour, bold=True)
    if inspection.reference_view:
        typer.echo(_("Reference view: {path}").format(path=inspection.reference_view))
    if inspection.signed_off_by:
        typer.echo(
            _("Signed off by {who}; supplier: {supplier}.").format(
                who=inspection.signed_off_by, supplier=inspection.supplier
            )
        )
