"""Zones of the school (R-1.1, R-6.1): kind, purposes, responsible unit, people assigned."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwarden.clock import Clock
from camwarden.errors import Conflict, InvalidInput, NotFound
from camwarden.governance._validation import bounded_text, required_text
from camwarden.governance.audit import AuditLog
from camwarden.governance.authorization import Actor, can, require
from camwarden.governance.roles import Permission
from camwarden.i18n import N_
from camwarden.storage.lookup import get_by_id, storable_ids
from camwarden.storage.models import Camera, User, Zone


class ZoneKind(StrEnum):
    GATE = "gate"
    YARD = "yard"
    CORRIDOR = "corridor"
    BUILDING_REAR = "building_rear"
    CLASSROOM = "classroom"
    IT_ROOM = "it_room"
    FINANCE_ROOM = "finance_room"
    OTHER = "other"


class Purpose(StrEnum):
    """Art. 1 of the regulation: why a camera is there."""

    SECURITY = "security"
    TEACHING = "teaching"
    EQUIPMENT = "equipment"


ZONE_KIND_LABELS: dict[ZoneKind, str] = {
    ZoneKind.GATE: N_("School gate"),
    ZoneKind.YARD: N_("Schoolyard"),
    ZoneKind.CORRIDOR: N_("Corridor"),
    ZoneKind.BUILDING_REAR: N_("Behind a building"),
    ZoneKind.CLASSROOM: N_("Classroom"),
    ZoneKind.IT_ROOM: N_("IT room"),
    ZoneKind.FINANCE_ROOM: N_("Finance room"),
    ZoneKind.OTHER: N_("Other"),
}

PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.SECURITY: N_("Security and order"),
    Purpose.TEACHING: N_("Supervision of teaching"),
    Purpose.EQUIPMENT: N_("Protection of equipment"),
}


def parse_kind(value: str) -> ZoneKind:
    try:
        return ZoneKind(value)
    except ValueError:
        raise InvalidInput(
            "Zone kind '{value}' does not exist; expected one of: {expected}.",
            field="kind",
            value=value,
            expected=", ".join(k.value for k in ZoneKind),
        ) from None


def parse_purposes(values: Iterable[str]) -> list[Purpose]:
    purposes: list[Purpose] = []
    for value in values:
        try:
            purpose = Purpose(value.strip())
        except ValueError:
            raise InvalidInput(
                "Purpose '{value}' does not exist; expected one of: {expected}.",
                field="purposes",
                value=value,
                expected=", ".join(p.value for p in Purpose),
            ) from None
        if purpose not in purposes:
            purposes.append(purpose)
    if not purposes:
        raise InvalidInput("A zone needs at least one purpose.", field="purposes")
    return purposes


def purposes_of(zone: Zone) -> list[Purpose]:
    return [Purpose(p) for p in zone.purposes.split(",") if p]


class Zones:
    def __init__(self, clock: Clock, audit: AuditLog) -> None:
        self._clock = clock
        self._audit = audit

    def list(self, session: Session, actor: Actor) -> Sequence[Zone]:
        """Every zone for those who manage zones; otherwise the zones whose cameras they see."""
        zones = session.scalars(select(Zone).order_by(Zone.name)).all()
        if can(actor, Permission.MANAGE_ZONES):
            return zones
        require(actor, Permission.VIEW_CAMERAS)
        return [z for z in zones if can(actor, Permission.VIEW_CAMERAS, z.id)]

    def all_for_choice(self, session: Session) -> Sequence[Zone]:
        """Every zone, for pickers shown to people who assign zones (accounts, cameras)."""
        return session.scalars(select(Zone).order_by(Zone.name)).all()

    def get(self, session: Session, actor: Actor, zone_id: int) -> Zone:
        zone = get_by_id(session, Zone, zone_id)
        if zone is None or not (
            can(actor, Permission.MANAGE_ZONES) or can(actor, Permission.VIEW_CAMERAS, zone_id)
        ):
            raise NotFound("Zone {value} does not exist.", value=zone_id)
        return zone

    def create(
        self,
        session: Session,
        actor: Actor,
        *,
        name: str,
        kind: str,
        purposes: Iterable[str],
        responsible_unit: str,
        description: str = "",
        assignee_ids: Iterable[int] = (),
    ) -> Zone:
        require(actor, Permission.MANAGE_ZONES)
        name = required_text(name, field="name", max_length=120)
        self._refuse_duplicate(session, name)
        zone = Zone(
            name=name,
            kind=parse_kind(kind).value,
            purposes=",".join(parse_purposes(purposes)),
            responsible_unit=required_text(
                responsible_unit, field="responsible_unit", max_length=200
            ),
            description=bounded_text(description, field="description", max_length=2000),
            created_at=self._clock.now(),
        )
        zone.assignees = self._users(session, assignee_ids)
        session.add(zone)
        session.flush()
        self._audit.record(
            session,
            actor,
            "zone.create",
            target_type="zone",
            target_id=zone.id,
            details=self._snapshot(zone),
        )
        return zone

    def update(
        self,
        session: Session,
        actor: Actor,
        zone_id: int,
        *,
        name: str | None = None,
        kind: str | None = None,
        purposes: Iterable[str] | None = None,
        responsible_unit: str | None = None,
        description: str | None = None,
        assignee_ids: Iterable[int] | None = None,
    ) -> Zone:
        require(actor, Permission.MANAGE_ZONES)
        zone = self.get(session, actor, zone_id)
        before = self._snapshot(zone)
        if name is not None:
            new_name = required_text(name, field="name", max_length=120)
            if new_name != zone.name:
                self._refuse_duplicate(session, new_name)
                zone.name = new_name
        if kind is not None:
            zone.kind = parse_kind(kind).value
        if purposes is not None:
            zone.purposes = ",".join(parse_purposes(purposes))
        if responsible_unit is not None:
            zone.responsible_unit = required_text(
                responsible_unit, field="responsible_unit", max_length=200
            )
        if description is not None:
            zone.description = bounded_text(description, field="description", max_length=2000)
        if assignee_ids is not None:
            zone.assignees = self._users(session, assignee_ids)
        after = self._snapshot(zone)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            self._audit.record(
                session,
                actor,
                "zone.update",
                target_type="zone",
                target_id=zone.id,
                details={"changes": changes},
            )
        return zone

    def delete(self, session: Session, actor: Actor, zone_id: int) -> None:
        require(actor, Permission.MANAGE_ZONES)
        zone = self.get(session, actor, zone_id)
        cameras = session.scalar(
            select(func.count()).select_from(Camera).where(Camera.zone_id == zone.id)
        )
        if cameras:
            raise Conflict(
                "Zone '{name}' still has {count} camera(s); move or remove them first.",
                name=zone.name,
                count=int(cameras),
            )
        self._audit.record(
            session,
            actor,
            "zone.delete",
            target_type="zone",
            target_id=zone.id,
            details=self._snapshot(zone),
        )
        session.delete(zone)

    def _refuse_duplicate(self, session: Session, name: str) -> None:
        if any(other.lower() == name.lower() for other in session.scalars(select(Zone.name))):
            raise Conflict("A zone named '{value}' already exists.", value=name)

    def _users(self, session: Session, user_ids: Iterable[int]) -> builtins.list[User]:
        wanted = set(user_ids)
        if not wanted:
            return []
        found = session.scalars(select(User).where(User.id.in_(storable_ids(wanted)))).all()
        missing = set(wanted) - {u.id for u in found}
        if missing:
            raise InvalidInput(
                "Account {value} does not exist.", field="assignee_ids", value=min(missing)
            )
        return list(found)

    @staticmethod
    def _snapshot(zone: Zone) -> dict[str, object]:
        return {
            "name": zone.name,
            "kind": zone.kind,
            "purposes": zone.purposes,
            "responsible_unit": zone.responsible_unit,
            "description": zone.description,
            "assignee_ids": sorted(u.id for u in zone.assignees),
        }
