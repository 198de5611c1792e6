"""The zones of a typical Vietnamese primary school, as Art. 1 of the regulation lists them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from camwarden.governance.authorization import Actor
from camwarden.governance.zones import Purpose, ZoneKind, Zones
from camwarden.storage.models import Zone


@dataclass(frozen=True)
class ZoneTemplate:
    name: str
    kind: ZoneKind
    purposes: tuple[Purpose, ...]
    responsible_unit: str


# Names are Vietnamese: they are what the school's people call these places.
STANDARD_ZONES: tuple[ZoneTemplate, ...] = (
    ZoneTemplate("Cổng trường", ZoneKind.GATE, (Purpose.SECURITY,), "Tổ bảo vệ"),
    ZoneTemplate("Sân trường", ZoneKind.YARD, (Purpose.SECURITY,), "Tổ bảo vệ"),
    ZoneTemplate("Hành lang", ZoneKind.CORRIDOR, (Purpose.SECURITY,), "Tổ bảo vệ"),
    ZoneTemplate("Phía sau nhà A", ZoneKind.BUILDING_REAR, (Purpose.SECURITY,), "Tổ bảo vệ"),
    ZoneTemplate("Phía sau nhà B", ZoneKind.BUILDING_REAR, (Purpose.SECURITY,), "Tổ bảo vệ"),
    ZoneTemplate("Phía sau nhà C", ZoneKind.BUILDING_REAR, (Purpose.SECURITY,), "Tổ bảo vệ"),
    ZoneTemplate(
        "Lớp học", ZoneKind.CLASSROOM, (Purpose.TEACHING, Purpose.SECURITY), "Ban giám hiệu"
    ),
    ZoneTemplate("Phòng tin học", ZoneKind.IT_ROOM, (Purpose.EQUIPMENT,), "Nhân viên CNTT"),
    ZoneTemplate(
        "Phòng tài chính",
        ZoneKind.FINANCE_ROOM,
        (Purpose.EQUIPMENT, Purpose.SECURITY),
        "Phòng tài chính kế toán",
    ),
)


def create_standard_zones(session: Session, zones: Zones, actor: Actor) -> list[Zone]:
    return [
        zones.create(
            session,
            actor,
            name=t.name,
            kind=t.kind.value,
            purposes=[p.value for p in t.purposes],
            responsible_unit=t.responsible_unit,
        )
        for t in STANDARD_ZONES
    ]
