"""Zones of the school: list, create, read, change, delete."""

from __future__ import annotations

from fastapi import Response

from camwarden.governance.zones import ZoneKind, purposes_of
from camwarden.storage.models import Zone
from camwarden.web.api._routing import CONFLICT, NOT_FOUND, ZoneId, resource_router
from camwarden.web.api.schemas import ZoneCreate, ZoneOut, ZonePatch
from camwarden.web.security import ApiCaller, Inst

router = resource_router("/zones", "zones")


def zone_out(zone: Zone) -> ZoneOut:
    return ZoneOut(
        id=zone.id,
        name=zone.name,
        kind=ZoneKind(zone.kind),
        purposes=purposes_of(zone),
        responsible_unit=zone.responsible_unit,
        description=zone.description,
        assignee_ids=sorted(user.id for user in zone.assignees),
        created_at=zone.created_at,
    )


@router.get("", response_model=list[ZoneOut], name="list_zones")
def list_zones(inst: Inst, caller: ApiCaller) -> list[ZoneOut]:
    """Every zone for those who manage zones; otherwise the zones whose cameras the caller sees."""
    with inst.database.reading() as session:
        return [zone_out(zone) for zone in inst.zones.list(session, caller.actor)]


@router.post(
    "",
    status_code=201,
    response_model=ZoneOut,
    responses=CONFLICT,
    name="create_zone",
)
def create_zone(body: ZoneCreate, inst: Inst, caller: ApiCaller) -> ZoneOut:
    """A new zone."""
    with inst.database.transaction() as session:
        zone = inst.zones.create(
            session,
            caller.actor,
            name=body.name,
            kind=body.kind.value,
            purposes=[purpose.value for purpose in body.purposes],
            responsible_unit=body.responsible_unit,
            description=body.description,
            assignee_ids=body.assignee_ids,
        )
        return zone_out(zone)


@router.get("/{zone_id}", response_model=ZoneOut, responses=NOT_FOUND, name="get_zone")
def get_zone(zone_id: ZoneId, inst: Inst, caller: ApiCaller) -> ZoneOut:
    """One zone."""
    with inst.database.reading() as session:
        return zone_out(inst.zones.get(session, caller.actor, zone_id))


@router.patch(
    "/{zone_id}",
    response_model=ZoneOut,
    responses={**NOT_FOUND, **CONFLICT},
    name="update_zone",
)
def update_zone(zone_id: ZoneId, body: ZonePatch, inst: Inst, caller: ApiCaller) -> ZoneOut:
    """Change what is given."""
    with inst.database.transaction() as session:
        zone = inst.zones.update(
            session,
            caller.actor,
            zone_id,
            name=body.name,
            kind=body.kind.value if body.kind is not None else None,
            purposes=[p.value for p in body.purposes] if body.purposes is not None else None,
            responsible_unit=body.responsible_unit,
            description=body.description,
            assignee_ids=body.assignee_ids,
        )
        return zone_out(zone)


@router.delete(
    "/{zone_id}",
    status_code=204,
    response_class=Response,
    responses={**NOT_FOUND, **CONFLICT},
    name="delete_zone",
)
def delete_zone(zone_id: ZoneId, inst: Inst, caller: ApiCaller) -> None:
    """Delete a zone that has no cameras left."""
    with inst.database.transaction() as session:
        inst.zones.delete(session, caller.actor, zone_id)
